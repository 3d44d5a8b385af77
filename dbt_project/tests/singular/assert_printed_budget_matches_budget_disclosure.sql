-- The 预算数 a 部门决算 prints beside its “三公” 决算数 against the same year's budget disclosure, where both are
-- loaded: a difference is a warning with both figures (the 决算 may print the 调整预算, the budget disclosure
-- prints the 年初预算), never a failure.
{{ config(severity='warn', meta={'dagster': {'ref': {'name': 'fct_three_public_expenses'}}}) }}

with printed as (
    select department_id, fiscal_year, disclosure_level, replace(measure, 'budget_', '') as item, amount, source_file, source_page
    from {{ ref('int_table_lines') }}
    where document_kind = 'final_accounts' and table_type = 'three_public'
      and item = 'current_year' and measure like 'budget\_%' escape '\'
),

disclosed as (
    select * from {{ ref('fct_three_public_expenses') }}
    where document_kind = 'budget'
)

select
    printed.department_id,
    printed.fiscal_year,
    printed.item,
    printed.amount as printed_in_final_accounts,
    case printed.item
        {% for item in ['total', 'outbound_travel', 'official_reception', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation'] %}
        when '{{ item }}' then disclosed.{{ item }}
        {% endfor %}
    end as in_budget_disclosure,
    printed.source_file,
    printed.source_page
from printed
inner join disclosed using (department_id, fiscal_year, disclosure_level)
where coalesce(printed.amount, 0) <> coalesce(in_budget_disclosure, 0)
