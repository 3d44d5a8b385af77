{{ config(alias='reconciliation_failures') }}
-- Every figure of a current extraction that does not add up, readably: file, table, page, code, name,
-- expected (sum of the parts) and found (printed).
with failures as (
    select * from {{ ref('stg_landing__reconciliation_failures') }}
),

documents as (
    select partition_key, extraction_id from {{ ref('stg_landing__documents') }}
)

select
    failures.source_file,
    failures.check_name,
    failures.table_type,
    failures.source_page,
    failures.code,
    failures.name,
    failures.measure,
    failures.expected,
    failures.found,
    failures.tolerance
from failures
inner join documents using (partition_key, extraction_id)
