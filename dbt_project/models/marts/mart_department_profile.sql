-- 部门概况 — one wide row per department × fiscal year with the headline figures, for BI tools. Figures
-- whose source tables are not extracted yet (人员经费/公用经费, “三公”, 机关运行经费, 政府采购) are null
-- until their marts exist; each is one line to switch on (see the CTEs below).
with summary as (
    select * from {{ ref('fct_budget_summary') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

lines as (
    select * from {{ ref('int_table_lines') }}
),

year_over_year as (
    -- “三公” is switched on in one place, mart_department_year_over_year, and read from there
    select * from {{ ref('mart_department_year_over_year') }}
),

scope_totals as (
    -- 合计 of each function table: the department's spending per fund scope, as printed
    select
        department_id,
        fiscal_year,
        max(amount) filter (where table_type = 'function_general_public') as general_public_budget_expenditure,
        max(amount) filter (where table_type = 'function_fiscal_appropriation') as fiscal_appropriation_expenditure,
        max(amount) filter (where table_type = 'function_government_fund') as government_fund_expenditure
    from lines
    where item = 'total' and measure = 'total'
      and table_type in ('function_general_public', 'function_fiscal_appropriation', 'function_government_fund')
    group by all
),

extra_figures as (
    {#- Each null below becomes one expression when its mart exists: 人员经费/公用经费 from
        fct_expenditure_by_economic_class, 机关运行经费 and 政府采购 from their facts. #}
    select
        summary.department_id,
        summary.fiscal_year,
        cast(null as decimal(18, 2)) as personnel_expenditure,
        cast(null as decimal(18, 2)) as public_expenditure,
        year_over_year.three_public_total,
        cast(null as decimal(18, 2)) as administrative_operating_expenses,
        cast(null as decimal(18, 2)) as government_procurement_total
    from summary
    left join year_over_year using (department_id, fiscal_year)
),

final as (
    select
        summary.department_id,
        summary.department_name,
        summary.region,
        departments.admin_level,
        summary.fiscal_year,
        summary.total_revenue,
        summary.total_expenditure,
        summary.basic_expenditure,
        summary.project_expenditure,
        summary.reserve_expenditure,
        scope_totals.general_public_budget_expenditure,
        scope_totals.fiscal_appropriation_expenditure,
        scope_totals.government_fund_expenditure,
        extra_figures.personnel_expenditure,
        extra_figures.public_expenditure,
        extra_figures.three_public_total,
        extra_figures.administrative_operating_expenses,
        extra_figures.government_procurement_total,
        summary.quality_status,
        summary.source_files
    from summary
    left join departments using (department_id)
    left join scope_totals using (department_id, fiscal_year)
    left join extra_figures using (department_id, fiscal_year)
)

select * from final
