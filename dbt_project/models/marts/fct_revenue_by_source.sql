-- Revenue lines (收入) of the overall table's revenue side and of the revenue table (收入预算总表),
-- in printed order, with the canonical item where the line is a known one.
with lines as (
    select * from {{ ref('int_table_lines') }}
    where (table_type = 'overall' and section = 'revenue')
       or table_type = 'revenue_summary'
),

department_years as (
    select * from {{ ref('int_department_years') }}
),

final as (
    select
        lines.department_id,
        department_years.department_name,
        lines.fiscal_year,
        lines.disclosure_level,
        lines.document_kind,
        lines.table_type as source_table,
        lines.line_no,
        lines.name as revenue_name,
        lines.item as revenue_item,
        json_extract_string(lines.attributes, '$.group') as revenue_group,
        lines.amount,
        lines.source_file,
        lines.source_page,
        lines.quality_status
    from lines
    inner join department_years using (department_id, fiscal_year, disclosure_level, document_kind)
    -- the line's amount (收入总表 by function code also prints it split by source: not this fact's grain)
    where lines.measure in ('amount', 'total')
)

select * from final
