-- a document's rows count only along with its `documents` row, the commit point the same extraction writes:
-- depends_on: {{ source('landing', 'documents') }}
with unioned as (
    select * from {{ source('landing', 'table_lines') }}
),

renamed as (
    select
        partition_key,
        extraction_id,
        source_file,
        source_page,
        table_index,
        table_type,
        table_title,
        line_no,
        section,
        item,
        code,
        name,
        measure,
        amount as amount_printed,
        unit,
        {{ to_wanyuan('amount', 'unit') }} as amount,
        raw_value,
        attributes,
        json_extract_string(attributes, '$.budget_unit') as budget_unit
    from unioned
)

select * from renamed
