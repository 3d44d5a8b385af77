-- 同比 — year-over-year comparison, one row per department × fiscal year: each headline figure with its
-- prior-year value, absolute change and percent change. The prior-year value comes from the prior
-- year's own row where the warehouse holds it ('prior_year_document'); otherwise from the figure this
-- year's document states for last year ('stated_in_this_document': its narrative, or the “三公” table's
-- prior-year row).
{% set measures = ['total_expenditure', 'basic_expenditure', 'project_expenditure', 'three_public_total'] %}

with summary as (
    select * from {{ ref('fct_budget_summary') }}
),

three_public as (
    select department_id, fiscal_year, disclosure_level, document_kind, total as three_public_total, prior_year_total as three_public_prior_stated
    from {{ ref('fct_three_public_expenses') }}
),

narrative as (
    select * from {{ ref('fct_narrative_figures') }}
),

stated_prior_year as (
    -- prior-year figures this year's document states: in its narrative (stated, or amount minus the stated
    -- change), or for “三公” in the table's own prior-year row
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        {%- for measure in measures %}
        max(prior_year_amount) filter (where figure = '{{ measure }}') as {{ measure }}_stated{{ ',' if not loop.last }}
        {%- endfor %}
    from narrative
    group by all
),

figures as (
    select
        summary.department_id,
        summary.department_name,
        summary.region,
        summary.fiscal_year,
        summary.disclosure_level,
        summary.document_kind,
        summary.total_expenditure,
        summary.basic_expenditure,
        summary.project_expenditure,
        three_public.three_public_total,
        three_public.three_public_prior_stated
    from summary
    left join three_public using (department_id, fiscal_year, disclosure_level, document_kind)
),

compared as (
    select
        this_year.department_id,
        this_year.department_name,
        this_year.region,
        this_year.fiscal_year,
        this_year.disclosure_level,
        this_year.document_kind,
        this_year.fiscal_year - 1 as prior_fiscal_year,
        case
            when prior_year.department_id is not null then 'prior_year_document'
            when stated.department_id is not null or this_year.three_public_prior_stated is not null
                then 'stated_in_this_document'
        end as prior_year_source,
        {%- for measure in measures %}
        this_year.{{ measure }},
        case
            when prior_year.department_id is not null then prior_year.{{ measure }}
            {%- if measure == 'three_public_total' %}
            else coalesce(this_year.three_public_prior_stated, stated.{{ measure }}_stated)
            {%- else %}
            else stated.{{ measure }}_stated
            {%- endif %}
        end as {{ measure }}_prior{{ ',' if not loop.last }}
        {%- endfor %}
    from figures as this_year
    left join figures as prior_year
        on prior_year.department_id = this_year.department_id
        and prior_year.fiscal_year = this_year.fiscal_year - 1
        and prior_year.disclosure_level = this_year.disclosure_level
        and prior_year.document_kind = this_year.document_kind
    left join stated_prior_year as stated
        on stated.department_id = this_year.department_id
        and stated.fiscal_year = this_year.fiscal_year
        and stated.disclosure_level = this_year.disclosure_level
        and stated.document_kind = this_year.document_kind
),

final as (
    select
        department_id,
        department_name,
        region,
        fiscal_year,
        disclosure_level,
        document_kind,
        prior_fiscal_year,
        prior_year_source,
        {%- for measure in measures %}
        {{ measure }},
        {{ measure }}_prior,
        cast({{ measure }} - {{ measure }}_prior as decimal(24, 6)) as {{ measure }}_change,
        case when {{ measure }}_prior <> 0
            then cast(round(100.0 * ({{ measure }} - {{ measure }}_prior) / {{ measure }}_prior, 2) as decimal(9, 2))
        end as {{ measure }}_change_pct{{ ',' if not loop.last }}
        {%- endfor %}
    from compared
)

select * from final
