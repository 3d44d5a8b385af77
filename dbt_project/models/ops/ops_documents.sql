{{ config(alias='documents') }}
-- One row per file content seen in the raw folder (identical copies share a row), with its effective status.
with documents as (
    select * from {{ ref('int_documents') }}
),

-- where a fetched file came from: the URL its content was first saved from
fetched as (
    select sha256, arg_min(url, fetched_at) as source_url
    from {{ ref('stg_landing__fetches') }}
    where outcome = 'saved'
    group by sha256
)

select
    source_file,
    source_files,
    sha256,
    fetched.source_url,
    partition_key,
    status,
    status_reason as reason,
    department_name,
    fiscal_year,
    disclosure_level,
    document_kind,
    region,
    admin_level,
    template,
    role,
    unit,
    pages,
    tables_found,
    listed_tables,
    extracted_at,
    extract_seconds,
    validate_seconds,
    extractor_version
from documents
left join fetched using (sha256)
