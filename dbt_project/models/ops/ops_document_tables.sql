{{ config(alias='document_tables') }}
-- The tables found in each document's current extraction.
with found as (
    select * from {{ ref('stg_landing__document_tables') }}
),

documents as (
    select partition_key, extraction_id from {{ ref('stg_landing__documents') }}
)

select found.source_file, found.table_type, found.table_title, found.first_page, found.last_page, found.lines
from found
inner join documents using (partition_key, extraction_id)
