-- Budget against actual: for each department-year with final accounts (部门决算), what was budgeted and what
-- was spent, line by line — the overall totals, each 一般公共预算 function code, each “三公” item. The
-- budgeted figure comes from that year's budget disclosure (部门预算) where it is loaded, else from the
-- 预算数 the final accounts print beside their 决算数 (“三公”), and budget_source says which. A blank 决算数 is
-- nothing spent (0); a line missing from one side is null there.
{% set three_public_items = {'total': '“三公”经费合计', 'outbound_travel': '因公出国（境）费',
                             'official_reception': '公务接待费', 'vehicle_total': '公务用车购置及运行费',
                             'vehicle_purchase': '公务用车购置费', 'vehicle_operation': '公务用车运行费'} %}
{% set overall_lines = {'total_expenditure': '支出总计', 'basic_expenditure': '基本支出',
                        'project_expenditure': '项目支出'} %}

with summary as (
    select * from {{ ref('fct_budget_summary') }}
),

functions as (
    select * from {{ ref('fct_expenditure_by_function') }}
    where fund_scope = 'general_public_budget'
),

three_public as (
    select * from {{ ref('fct_three_public_expenses') }}
),

lines as (
    select * from {{ ref('int_table_lines') }}
),

final_accounts as (
    select distinct department_id, fiscal_year, disclosure_level
    from summary
    where document_kind = 'final_accounts'
),

overall_figures as (
    {% for measure, label in overall_lines.items() %}
    select
        department_id, fiscal_year, disclosure_level, document_kind,
        'overall' as line_kind, '{{ measure }}' as line_code, '{{ label }}' as line_name,
        {{ measure }} as amount, source_files as source_file, cast(null as integer) as source_page, quality_status
    from summary
    {{ 'union all' if not loop.last }}
    {% endfor %}
),

function_figures as (
    select
        department_id, fiscal_year, disclosure_level, document_kind,
        'function' as line_kind, function_code as line_code, function_name as line_name,
        amount_total as amount, source_file, source_page, quality_status
    from functions
),

three_public_figures as (
    {% for item, label in three_public_items.items() %}
    select
        department_id, fiscal_year, disclosure_level, document_kind,
        'three_public' as line_kind, '{{ item }}' as line_code, '{{ label }}' as line_name,
        {{ item }} as amount, source_file, source_page, quality_status
    from three_public
    {{ 'union all' if not loop.last }}
    {% endfor %}
),

figures as (
    select * from overall_figures
    union all select * from function_figures
    union all select * from three_public_figures
),

-- the 预算数 a final account prints beside its 决算数 (“三公”经费支出决算表)
printed_budget as (
    select
        department_id, fiscal_year, disclosure_level,
        'three_public' as line_kind,
        replace(measure, 'budget_', '') as line_code,
        {{ department_figure("true") }} as amount,
        min(source_page) as source_page
    from lines
    where document_kind = 'final_accounts' and table_type = 'three_public'
      and item = 'current_year' and measure like 'budget\_%' escape '\'
    group by all
),

actual as (
    select figures.*
    from figures
    inner join final_accounts using (department_id, fiscal_year, disclosure_level)
    where figures.document_kind = 'final_accounts'
),

budgeted as (
    select figures.*
    from figures
    inner join final_accounts using (department_id, fiscal_year, disclosure_level)
    where figures.document_kind = 'budget'
),

compared as (
    select
        coalesce(actual.department_id, budgeted.department_id) as department_id,
        coalesce(actual.fiscal_year, budgeted.fiscal_year) as fiscal_year,
        coalesce(actual.disclosure_level, budgeted.disclosure_level) as disclosure_level,
        coalesce(actual.line_kind, budgeted.line_kind) as line_kind,
        coalesce(actual.line_code, budgeted.line_code) as line_code,
        coalesce(actual.line_name, budgeted.line_name) as line_name,
        coalesce(budgeted.amount, printed_budget.amount) as budgeted,
        case
            when budgeted.amount is not null then 'budget_disclosure'
            when printed_budget.amount is not null then 'printed_in_final_accounts'
        end as budget_source,
        -- a blank 决算数 on a printed line is nothing spent
        case when actual.line_code is not null then coalesce(actual.amount, 0) end as actual,
        actual.source_file,
        actual.source_page,
        case
            when 'failed_checks' in (actual.quality_status, budgeted.quality_status) then 'failed_checks'
            when 'incomplete' in (actual.quality_status, budgeted.quality_status) then 'incomplete'
            else 'verified'
        end as quality_status
    from actual
    full outer join budgeted using (department_id, fiscal_year, disclosure_level, line_kind, line_code)
    left join printed_budget
        on printed_budget.department_id = coalesce(actual.department_id, budgeted.department_id)
        and printed_budget.fiscal_year = coalesce(actual.fiscal_year, budgeted.fiscal_year)
        and printed_budget.disclosure_level = coalesce(actual.disclosure_level, budgeted.disclosure_level)
        and printed_budget.line_kind = coalesce(actual.line_kind, budgeted.line_kind)
        and printed_budget.line_code = coalesce(actual.line_code, budgeted.line_code)
),

final as (
    select
        compared.department_id,
        departments.department_name,
        compared.fiscal_year,
        compared.disclosure_level,
        compared.line_kind,
        compared.line_code,
        compared.line_name,
        cast(compared.budgeted as decimal(24, 6)) as budgeted,
        cast(compared.actual as decimal(24, 6)) as actual,
        cast(compared.actual - compared.budgeted as decimal(24, 6)) as difference,
        case when compared.budgeted > 0 then cast(round(compared.actual / compared.budgeted, 4) as decimal(9, 4)) end
            as execution_rate,
        compared.budget_source,
        compared.source_file,
        compared.source_page,
        compared.quality_status
    from compared
    inner join {{ ref('dim_department') }} as departments using (department_id)
)

select * from final
