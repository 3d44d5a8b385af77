-- a document's rows count only along with its `documents` row, the commit point the same extraction writes:
-- depends_on: {{ source('landing', 'documents') }}
with source as (
    select * from {{ source('landing', 'document_tables') }}
)

select
    partition_key,
    extraction_id,
    source_file,
    table_type,
    table_title,
    first_page,
    last_page,
    lines,
    amounts,
    pages_not_read
from source
