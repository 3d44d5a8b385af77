-- 政府采购 budget lines at every printed level (category, project, economic item, procured item).
-- Sum one level only: each level adds up to the 合计 line (level = 'total').
with lines as (
    select * from {{ ref('int_table_lines') }}
    where table_type = 'government_procurement' and measure = 'total'
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
        lines.line_no,
        coalesce(json_extract_string(lines.attributes, '$.level'), lines.item) as line_level,
        lines.name as line_name,
        json_extract_string(lines.attributes, '$.category') as procurement_category,
        json_extract_string(lines.attributes, '$.project') as project_name,
        json_extract_string(lines.attributes, '$.economic_item') as economic_item,
        json_extract_string(lines.attributes, '$.procurement_item') as procurement_item,
        json_extract_string(lines.attributes, '$.procurement_method') as procurement_method,
        lines.amount,
        lines.source_file,
        lines.source_page,
        lines.quality_status
    from lines
    inner join department_years using (department_id, fiscal_year, disclosure_level, document_kind)
)

select * from final
