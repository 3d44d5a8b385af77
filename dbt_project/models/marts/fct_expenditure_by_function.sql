-- Function-classification (功能科目) expenditure, one row per department × year × fund scope × code.
-- A department of several 预算单位 (Shenzhen template) prints each unit's coded rows under the unit's row:
-- the department's figure for a code is then the sum over its units, unless the table prints the code at
-- department level too (a row outside any unit), which is taken as printed.
with lines as (
    select * from {{ ref('int_table_lines') }}
    where table_type in ('function_general_public', 'function_fiscal_appropriation', 'function_government_fund')
      and code is not null
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
        case table_type
            when 'function_general_public' then 'general_public_budget'
            when 'function_fiscal_appropriation' then 'fiscal_appropriation'
            when 'function_government_fund' then 'government_fund'
        end as fund_scope,
        code as function_code,
        any_value(name order by line_no) as function_name,
        {% for measure in ['total', 'basic', 'project'] %}
        cast({{ department_figure("measure = '" ~ measure ~ "'") }} as decimal(24, 6)) as amount_{{ measure }},
        {% endfor %}
        case when bool_or(budget_unit is null) then 0 else count(distinct budget_unit) end as budget_units,
        any_value(source_file) as source_file,
        min(source_page) as source_page,
        {{ worst_quality_status() }}
            as quality_status
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
        pivoted.fund_scope,
        pivoted.function_code,
        pivoted.function_name,
        case length(pivoted.function_code) when 3 then 1 when 5 then 2 when 7 then 3 end as function_level,
        case when length(pivoted.function_code) > 3 then left(pivoted.function_code, length(pivoted.function_code) - 2) end
            as parent_code,
        pivoted.amount_total,
        pivoted.amount_basic,
        pivoted.amount_project,
        pivoted.budget_units,
        pivoted.source_file,
        pivoted.source_page,
        pivoted.quality_status
    from pivoted
    inner join department_years using (department_id, fiscal_year, disclosure_level, document_kind)
)

select * from final
