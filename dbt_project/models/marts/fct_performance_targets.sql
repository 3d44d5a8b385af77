-- 绩效目标表: task lines with their amounts, the total line, the overall goal, and indicator lines
-- with their level-1/2/3 names and target values (as printed text).
with lines as (
    select * from {{ ref('int_table_lines') }}
    where table_type = 'performance_targets'
),

department_years as (
    select * from {{ ref('int_department_years') }}
),

pivoted as (
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        line_no,
        any_value(item) as line_kind,
        any_value(name) as line_name,
        any_value(attributes) as attributes,
        max(amount) filter (where measure = 'total') as amount_total,
        max(amount) filter (where measure = 'fiscal') as amount_fiscal,
        max(amount) filter (where measure = 'other') as amount_other,
        any_value(source_file) as source_file,
        min(source_page) as source_page,
        {{ worst_quality_status() }} as quality_status
    from lines
    group by all
),

final as (
    select
        pivoted.department_id,
        department_years.department_name,
        pivoted.fiscal_year,
        pivoted.disclosure_level,
        pivoted.document_kind,
        pivoted.line_no,
        pivoted.line_kind,
        pivoted.line_name,
        json_extract_string(pivoted.attributes, '$.content') as task_content,
        pivoted.amount_total,
        pivoted.amount_fiscal,
        pivoted.amount_other,
        json_extract_string(pivoted.attributes, '$.indicator_level1') as indicator_level1,
        json_extract_string(pivoted.attributes, '$.indicator_level2') as indicator_level2,
        json_extract_string(pivoted.attributes, '$.indicator_level3') as indicator_level3,
        json_extract_string(pivoted.attributes, '$.target_value') as target_value,
        pivoted.source_file,
        pivoted.source_page,
        pivoted.quality_status
    from pivoted
    inner join department_years using (department_id, fiscal_year, disclosure_level, document_kind)
)

select * from final
