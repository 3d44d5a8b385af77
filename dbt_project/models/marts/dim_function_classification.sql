-- 功能分类科目: one row per function code seen in any year, with its level, parent and current name
-- (the name of the latest year it was printed in). Names per year: dim_function_classification_years.
with code_years as (
    select * from {{ ref('dim_function_classification_years') }}
),

with_current as (
    select
        *,
        arg_max(function_name, fiscal_year) over (partition by function_code) as current_name
    from code_years
),

final as (
    select
        function_code,
        any_value(function_level) as function_level,
        any_value(parent_code) as parent_code,
        any_value(current_name) as current_name,
        string_agg(distinct function_name, '; ' order by function_name) filter (where function_name <> current_name)
            as former_names,
        min(fiscal_year) as first_year,
        max(fiscal_year) as last_year,
        string_agg(fiscal_year::varchar, '; ' order by fiscal_year) as valid_years
    from with_current
    group by function_code
)

select * from final
