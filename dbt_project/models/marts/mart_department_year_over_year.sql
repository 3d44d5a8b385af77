-- 同比 — year-over-year comparison, one row per department × fiscal year: each headline figure with its
-- prior-year value, absolute change and percent change. The prior-year value comes from the prior
-- year's own row where the warehouse holds it ('prior_year_document'); otherwise from the figure this
-- year's document states for last year ('stated_in_this_document', once narrative figures land).
{% set measures = ['total_expenditure', 'basic_expenditure', 'project_expenditure', 'three_public_total'] %}

with summary as (
    select * from {{ ref('fct_budget_summary') }}
),

three_public as (
    {#- “三公” total per department-year. When marts.fct_three_public_expenses exists, replace the line
        below with: select department_id, fiscal_year, total as three_public_total from {{ ref('fct_three_public_expenses') }} #}
    select department_id, fiscal_year, cast(null as decimal(18, 2)) as three_public_total from summary
),

stated_prior_year as (
    {#- Prior-year figures stated in this year's document, one row per department-year, columns
        <measure>_stated (null when not stated). The narrative figures are named like the measures
        (total_expenditure, basic_expenditure, project_expenditure, three_public_total), so when
        marts.fct_narrative_figures is in place this CTE becomes:
            select department_id, fiscal_year,
                {% for measure in measures %}max(prior_year_amount) filter (where figure = '{{ measure }}') as {{ measure }}_stated, {% endfor %}
            from {{ ref('fct_narrative_figures') }} group by all
        Until then: none. #}
    select
        department_id,
        fiscal_year,
        {%- for measure in measures %}
        cast(null as decimal(18, 2)) as {{ measure }}_stated{{ ',' if not loop.last }}
        {%- endfor %}
    from summary
    where false
),

figures as (
    select
        summary.department_id,
        summary.department_name,
        summary.region,
        summary.fiscal_year,
        summary.total_expenditure,
        summary.basic_expenditure,
        summary.project_expenditure,
        three_public.three_public_total
    from summary
    left join three_public using (department_id, fiscal_year)
),

compared as (
    select
        this_year.department_id,
        this_year.department_name,
        this_year.region,
        this_year.fiscal_year,
        this_year.fiscal_year - 1 as prior_fiscal_year,
        case
            when prior_year.department_id is not null then 'prior_year_document'
            when stated.department_id is not null then 'stated_in_this_document'
        end as prior_year_source,
        {%- for measure in measures %}
        this_year.{{ measure }},
        case
            when prior_year.department_id is not null then prior_year.{{ measure }}
            else stated.{{ measure }}_stated
        end as {{ measure }}_prior{{ ',' if not loop.last }}
        {%- endfor %}
    from figures as this_year
    left join figures as prior_year
        on prior_year.department_id = this_year.department_id
        and prior_year.fiscal_year = this_year.fiscal_year - 1
    left join stated_prior_year as stated
        on stated.department_id = this_year.department_id
        and stated.fiscal_year = this_year.fiscal_year
),

final as (
    select
        department_id,
        department_name,
        region,
        fiscal_year,
        prior_fiscal_year,
        prior_year_source,
        {%- for measure in measures %}
        {{ measure }},
        {{ measure }}_prior,
        {{ measure }} - {{ measure }}_prior as {{ measure }}_change,
        case when {{ measure }}_prior <> 0
            then cast(round(100.0 * ({{ measure }} - {{ measure }}_prior) / {{ measure }}_prior, 2) as decimal(9, 2))
        end as {{ measure }}_change_pct{{ ',' if not loop.last }}
        {%- endfor %}
    from compared
)

select * from final
