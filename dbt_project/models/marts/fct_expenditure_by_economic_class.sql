-- 基本支出 by 经济科目 (economic classification), one row per department × year × fund scope × code.
with lines as (
    select * from {{ ref('int_table_lines') }}
    where table_type in ('basic_economic_fiscal', 'basic_economic_general_public')
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
            when 'basic_economic_fiscal' then 'fiscal_appropriation'
            when 'basic_economic_general_public' then 'general_public_budget'
        end as fund_scope,
        code as economic_code,
        any_value(name order by line_no) as economic_name,
        -- a table of several 预算单位: the department's figure (see macro department_figure)
        {% for measure in ['total', 'personnel', 'public'] %}
        cast({{ department_figure("measure = '" ~ measure ~ "'") }} as decimal(24, 6)) as amount_{{ measure }},
        {% endfor %}
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
        pivoted.fund_scope,
        pivoted.economic_code,
        pivoted.economic_name,
        case length(pivoted.economic_code) when 3 then 1 when 5 then 2 end as economic_level,
        case when length(pivoted.economic_code) = 5 then left(pivoted.economic_code, 3) end as parent_code,
        pivoted.amount_total,
        pivoted.amount_personnel,
        pivoted.amount_public,
        pivoted.source_file,
        pivoted.source_page,
        pivoted.quality_status
    from pivoted
    inner join department_years using (department_id, fiscal_year, disclosure_level, document_kind)
)

select * from final
