-- 跨部门功能支出比较 — one row per fiscal year × fund scope × function code (类 and 款 levels) ×
-- department: the amount, its share of the department's own total in the same scope, its share of all
-- departments' spending on that code (same year and scope) and the department's rank on that code.
-- Every figure stays within one fund scope: scopes overlap (财政拨款 includes 一般公共预算), never add them.
with functions as (
    select * from {{ ref('fct_expenditure_by_function') }}
    where function_level in (1, 2)
),

lines as (
    select * from {{ ref('int_table_lines') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

printed_totals as (
    -- the 合计 line of each function table, as printed
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
        max(amount) as department_total
    from lines
    where table_type in ('function_general_public', 'function_fiscal_appropriation', 'function_government_fund')
      and item = 'total'
      and measure = 'total'
    group by all
),

class_totals as (
    -- fallback when a table prints no 合计: the sum of its 类 lines
    select department_id, fiscal_year, disclosure_level, document_kind, fund_scope, cast(sum(amount_total) as decimal(24, 6)) as department_total
    from functions
    where function_level = 1
    group by all
),

with_totals as (
    select
        functions.*,
        coalesce(printed_totals.department_total, class_totals.department_total) as department_total
    from functions
    left join printed_totals using (department_id, fiscal_year, disclosure_level, document_kind, fund_scope)
    left join class_totals using (department_id, fiscal_year, disclosure_level, document_kind, fund_scope)
),

final as (
    select
        with_totals.fiscal_year,
        with_totals.disclosure_level,
        with_totals.document_kind,
        with_totals.fund_scope,
        with_totals.function_code,
        with_totals.function_level,
        with_totals.parent_code,
        with_totals.function_name,
        with_totals.department_id,
        with_totals.department_name,
        departments.region,
        with_totals.amount_total as amount,
        with_totals.department_total,
        round(with_totals.amount_total / nullif(with_totals.department_total, 0), 6) as share_of_department_total,
        cast(sum(with_totals.amount_total) over function_year as decimal(24, 6)) as all_departments_amount,
        round(
            with_totals.amount_total / nullif(sum(with_totals.amount_total) over function_year, 0), 6
        ) as share_of_function_total,
        rank() over (
            partition by with_totals.fiscal_year, with_totals.disclosure_level, with_totals.document_kind, with_totals.fund_scope, with_totals.function_code
            order by with_totals.amount_total desc nulls last
        ) as rank_in_function,
        count(*) over function_year as departments_in_function,
        with_totals.quality_status
    from with_totals
    left join departments using (department_id)
    window function_year as (partition by with_totals.fiscal_year, with_totals.disclosure_level, with_totals.document_kind, with_totals.fund_scope, with_totals.function_code)
)

select * from final
