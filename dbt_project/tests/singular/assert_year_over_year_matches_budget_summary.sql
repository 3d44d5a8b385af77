-- Every mart_department_year_over_year row agrees with the fct_budget_summary rows it derives from:
-- one row per summary row, this year's figures equal, prior-year figures equal to the prior year's own
-- row when prior_year_source = 'prior_year_document', changes and percentages recomputed.
-- In Dagster a check on the mart it verifies: a singular test reading two nodes needs this ref, or
-- dagster-dbt logs its result as an observation instead of a check.
{{ config(meta={'dagster': {'ref': {'name': 'mart_department_year_over_year'}}}) }}
{% set measures = ['total_expenditure', 'basic_expenditure', 'project_expenditure'] %}

with year_over_year as (
    select * from {{ ref('mart_department_year_over_year') }}
),

summary as (
    select * from {{ ref('fct_budget_summary') }}
),

missing as (
    select summary.department_id, summary.fiscal_year, summary.disclosure_level, summary.document_kind, 'summary row without a year-over-year row' as problem
    from summary
    left join year_over_year using (department_id, fiscal_year, disclosure_level, document_kind)
    where year_over_year.department_id is null
),

mismatched as (
    select
        yoy.department_id,
        yoy.fiscal_year,
        yoy.disclosure_level,
        yoy.document_kind,
        case
            {%- for m in measures %}
            when yoy.{{ m }} is distinct from this_year.{{ m }} then '{{ m }} differs from fct_budget_summary'
            when yoy.prior_year_source = 'prior_year_document' and yoy.{{ m }}_prior is distinct from prior_year.{{ m }}
                then '{{ m }}_prior differs from the prior year''s row'
            when yoy.{{ m }}_change is distinct from yoy.{{ m }} - yoy.{{ m }}_prior then '{{ m }}_change is not the difference'
            when abs(yoy.{{ m }}_change_pct - 100.0 * yoy.{{ m }}_change / yoy.{{ m }}_prior) > 0.005
                then '{{ m }}_change_pct is not the percent change'
            {%- endfor %}
            when yoy.prior_year_source = 'prior_year_document' and prior_year.department_id is null
                then 'prior_year_document without a prior-year row'
            when yoy.prior_year_source is null and prior_year.department_id is not null
                then 'prior-year row exists but is not used'
        end as problem
    from year_over_year as yoy
    inner join summary as this_year using (department_id, fiscal_year, disclosure_level, document_kind)
    left join summary as prior_year
        on prior_year.department_id = yoy.department_id
        and prior_year.fiscal_year = yoy.fiscal_year - 1
        and prior_year.disclosure_level = yoy.disclosure_level
        and prior_year.document_kind = yoy.document_kind
)

select * from missing
union all
select * from mismatched where problem is not null
