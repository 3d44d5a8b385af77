with source as (
    select * from {{ source('landing', 'check_results') }}
)

select
    partition_key,
    extraction_id,
    source_file,
    check_name,
    severity,
    passed,
    detail
from source
