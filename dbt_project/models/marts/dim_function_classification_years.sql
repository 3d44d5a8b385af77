-- 功能分类科目 by year: one row per function code × fiscal year it was printed in, with that year's
-- name. Codes are national (政府收支分类科目) but names change between editions, e.g. 210
-- 医疗卫生与计划生育支出 (2018) → 卫生健康支出 (2019). When departments print a code differently in one
-- year, the name printed most often wins, ties broken alphabetically so the choice is stable.
with functions as (
    select * from {{ ref('fct_expenditure_by_function') }}
),

printed as (
    select
        function_code,
        fiscal_year,
        function_name,
        count(*) as printed_count
    from functions
    where function_name is not null
    group by all
),

final as (
    select
        function_code,
        fiscal_year,
        first(function_name order by printed_count desc, function_name) as function_name,
        case length(function_code) when 3 then 1 when 5 then 2 when 7 then 3 end as function_level,
        case when length(function_code) > 3 then left(function_code, length(function_code) - 2) end as parent_code,
        count(*) as name_variants
    from printed
    group by function_code, fiscal_year
)

select * from final
