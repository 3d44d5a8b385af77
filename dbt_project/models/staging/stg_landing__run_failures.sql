with source as (
    select * from {{ source('landing', 'run_failures') }}
)

select
    run_id,
    job_name,
    partition_key,
    step_key,
    asset_keys,
    error_type,
    error,
    failed_at
from source
