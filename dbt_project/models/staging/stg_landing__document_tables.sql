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
