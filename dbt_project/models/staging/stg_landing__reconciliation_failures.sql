-- a document's rows count only along with its `documents` row, the commit point the same extraction writes:
-- depends_on: {{ source('landing', 'documents') }}
with source as (
    select * from {{ source('landing', 'reconciliation_failures') }}
)

select
    partition_key,
    extraction_id,
    source_file,
    "check" as check_name,
    table_type,
    page as source_page,
    code,
    name,
    measure,
    expected,
    found,
    tolerance
from source
