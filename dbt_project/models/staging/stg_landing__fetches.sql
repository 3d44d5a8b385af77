with source as (
    select * from {{ source('landing', 'fetches') }}
)

select
    run_id,
    source,
    url,
    parent_url,
    final_url,
    fetched_at,
    http_status,
    etag,
    last_modified,
    sha256,
    bytes,
    outcome,
    reason,
    saved_as
from source
