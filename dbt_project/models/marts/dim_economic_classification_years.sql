-- 经济分类科目 by year: one row per economic code × fiscal year it was printed in, with that year's name,
-- from the economic-classification tables (基本支出/一般公共预算基本支出表（经济分类）, 机关运行经费/运转
-- 经费). Empty until extraction lands those table types; it needs no change when they arrive.
with lines as (
    select * from {{ ref('int_table_lines') }}
    where table_type in ('basic_economic_fiscal', 'basic_economic_general_public', 'operating_costs')
      and code is not null
),

printed as (
    select
        code as economic_code,
        fiscal_year,
        name as economic_name,
        count(*) as printed_count
    from lines
    where name is not null
    group by all
),

final as (
    select
        economic_code,
        fiscal_year,
        first(economic_name order by printed_count desc, economic_name) as economic_name,
        case length(economic_code) when 3 then 1 when 5 then 2 when 7 then 3 end as economic_level,
        case when length(economic_code) > 3 then left(economic_code, length(economic_code) - 2) end as parent_code,
        count(*) as name_variants
    from printed
    group by economic_code, fiscal_year
)

select * from final
