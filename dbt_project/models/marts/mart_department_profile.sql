-- 部门概况 — one wide row per department × fiscal year with the headline figures, for BI tools.
-- 人员经费 = 工资福利支出 (301) + 对个人和家庭的补助 (303), 公用经费 = 商品和服务支出 (302), from the
-- general-public-budget basic expenditure by economic class; 机关运行经费 and 政府采购 from the 合计 of
-- their tables, else from the figure the narrative states.
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
    -- 合计 of each function table: the department's spending per fund scope, as printed (a table of several
    -- 预算单位 that prints no 合计: the sum of its units' rows)
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        {% for table_type, scope in [('function_general_public', 'general_public_budget'),
                                     ('function_fiscal_appropriation', 'fiscal_appropriation'),
                                     ('function_government_fund', 'government_fund')] %}
        cast({{ table_total("table_type = '" ~ table_type ~ "'") }} as decimal(24, 6)) as {{ scope }}_expenditure{{ ',' if not loop.last }}
        {% endfor %}
    from lines
    where measure = 'total'
      and table_type in ('function_general_public', 'function_fiscal_appropriation', 'function_government_fund')
    group by all
),

economic as (
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        cast(sum(amount_total) filter (where economic_code in ('301', '303')) as decimal(24, 6)) as personnel_expenditure,
        cast(sum(amount_total) filter (where economic_code = '302') as decimal(24, 6)) as public_expenditure
    from {{ ref('fct_expenditure_by_economic_class') }}
    where fund_scope = 'general_public_budget' and economic_level = 1
    group by all
),

table_totals as (
    select * from {{ ref('int_table_totals') }}
),

narrative as (
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        max(amount) filter (where figure = 'operating_costs') as operating_costs,
        max(amount) filter (where figure = 'government_procurement') as government_procurement
    from {{ ref('fct_narrative_figures') }}
    group by all
),

extra_figures as (
    select
        summary.department_id,
        summary.fiscal_year,
        summary.disclosure_level,
        summary.document_kind,
        economic.personnel_expenditure,
        economic.public_expenditure,
        year_over_year.three_public_total,
        coalesce(table_totals.operating_costs, narrative.operating_costs) as administrative_operating_expenses,
        coalesce(table_totals.government_procurement, narrative.government_procurement) as government_procurement_total
    from summary
    left join year_over_year using (department_id, fiscal_year, disclosure_level, document_kind)
    left join economic using (department_id, fiscal_year, disclosure_level, document_kind)
    left join table_totals using (department_id, fiscal_year, disclosure_level, document_kind)
    left join narrative using (department_id, fiscal_year, disclosure_level, document_kind)
),

final as (
    select
        summary.department_id,
        summary.department_name,
        summary.region,
        departments.admin_level,
        summary.fiscal_year,
        summary.disclosure_level,
        summary.document_kind,
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
    left join scope_totals using (department_id, fiscal_year, disclosure_level, document_kind)
    left join extra_figures using (department_id, fiscal_year, disclosure_level, document_kind)
)

select * from final
