{{ config(alias='documents') }}
-- One row per file seen in the raw folder (files with identical content share a row).
with documents as (
    select * from {{ ref('stg_landing__documents') }}
)

select
    source_file,
    source_files,
    sha256,
    partition_key,
    status,
    reason,
    department_name,
    fiscal_year,
    region,
    template,
    role,
    unit,
    pages,
    tables_found,
    listed_tables,
    extracted_at,
    extract_seconds,
    extractor_version
from documents
