-- Headline figures per department × fiscal year. Totals come from the overall table; basic/project/
-- reserve from its 支出用途 side where the template prints one (Jiangsu), else from the 支出总表
-- (Shenzhen 表3), else from the 合计 line of the general-public-budget function table.
with lines as (
    select * from {{ ref('int_table_lines') }}
),

department_years as (
    select * from {{ ref('int_department_years') }}
),

overall as (
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        max(amount) filter (where item = 'total_revenue') as total_revenue,
        max(amount) filter (where item = 'total_expenditure') as total_expenditure,
        max(amount) filter (where item = 'basic_expenditure') as basic_expenditure,
        max(amount) filter (where item = 'project_expenditure') as project_expenditure,
        max(amount) filter (where item = 'reserve_expenditure') as reserve_expenditure
    from lines
    where table_type = 'overall'
    group by all
),

expenditure_summary as (
    -- the department as a whole: its 合计 line (or its only line), else the sum of its 预算单位 lines
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        {% for measure in ['basic', 'project'] %}
        cast({{ table_total("measure = '" ~ measure ~ "'") }} as decimal(24, 6)) as {{ measure }}_expenditure{{ ',' if not loop.last }}
        {% endfor %}
    from lines
    where table_type = 'expenditure_summary'
    group by all
),

function_total as (
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        {% for measure in ['basic', 'project'] %}
        cast({{ table_total("measure = '" ~ measure ~ "'") }} as decimal(24, 6)) as {{ measure }}_expenditure{{ ',' if not loop.last }}
        {% endfor %}
    from lines
    where table_type = 'function_general_public'
    group by all
),

quality as (
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        {{ worst_quality_status() }} as quality_status
    from lines
    where table_type in ('overall', 'expenditure_summary', 'function_general_public')
    group by all
),

final as (
    select
        department_years.department_id,
        department_years.department_name,
        department_years.region,
        department_years.fiscal_year,
        department_years.disclosure_level,
        department_years.document_kind,
        overall.total_revenue,
        overall.total_expenditure,
        coalesce(overall.basic_expenditure, expenditure_summary.basic_expenditure, function_total.basic_expenditure)
            as basic_expenditure,
        coalesce(overall.project_expenditure, expenditure_summary.project_expenditure, function_total.project_expenditure)
            as project_expenditure,
        overall.reserve_expenditure,
        department_years.source_files,
        -- no line of the overall, 支出总表 or function table read: nothing here can be verified
        coalesce(quality.quality_status, 'incomplete') as quality_status
    from department_years
    left join overall using (department_id, fiscal_year, disclosure_level, document_kind)
    left join expenditure_summary using (department_id, fiscal_year, disclosure_level, document_kind)
    left join function_total using (department_id, fiscal_year, disclosure_level, document_kind)
    left join quality using (department_id, fiscal_year, disclosure_level, document_kind)
)

select * from final
