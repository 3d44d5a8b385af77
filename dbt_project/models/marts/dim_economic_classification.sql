-- 经济分类科目: one row per economic code seen in any year, with its level, parent and current name
-- (the name of the latest year it was printed in). Names per year: dim_economic_classification_years.
with code_years as (
    select * from {{ ref('dim_economic_classification_years') }}
),

with_current as (
    select
        *,
        arg_max(economic_name, fiscal_year) over (partition by economic_code) as current_name
    from code_years
),

final as (
    select
        economic_code,
        any_value(economic_level) as economic_level,
        any_value(parent_code) as parent_code,
        any_value(current_name) as current_name,
        string_agg(distinct economic_name, '; ' order by economic_name) filter (where economic_name <> current_name)
            as former_names,
        min(fiscal_year) as first_year,
        max(fiscal_year) as last_year,
        string_agg(fiscal_year::varchar, '; ' order by fiscal_year) as valid_years
    from with_current
    group by economic_code
)

select * from final
