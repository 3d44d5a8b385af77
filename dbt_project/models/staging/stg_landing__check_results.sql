-- a document's rows count only along with its `documents` row, the commit point the same extraction writes:
-- depends_on: {{ source('landing', 'documents') }}
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
