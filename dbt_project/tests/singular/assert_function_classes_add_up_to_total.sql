-- In each function table the 类 lines add up to the printed 合计, within rounding tolerance
-- 0.5 × (n + 1) units of the last printed digit (n = number of 类 lines). Longhua 2022 prints 22,070
-- against 类 adding up to 22,071 (its own 尾数误差 note): within its tolerance of 3, so not flagged.
-- Compared as printed, in the table's unit: the marts' 万元 figures are rounded to 0.01 万元 (100 元),
-- finer than a table printed in 元 can be checked on. A table of several 预算单位 that prints no 合计 is
-- checked against the sum of its units' rows.
with lines as (
    select * from {{ ref('int_table_lines') }}
    where table_type in ('function_general_public', 'function_fiscal_appropriation', 'function_government_fund')
),

by_table as (
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        table_type,
        any_value(unit) as unit,
        {{ table_total("measure = 'total'", amount='amount_printed') }} as printed_total,
        -- the department's own 类 where printed outside any 预算单位, else every unit's
        coalesce(
            sum(amount_printed) filter (where length(code) = 3 and measure = 'total' and budget_unit is null),
            sum(amount_printed) filter (where length(code) = 3 and measure = 'total')
        ) as classes_sum,
        count(distinct code) filter (where length(code) = 3) as classes,
        case when bool_or(raw_value like '%.%') then 0.01 else 1 end as last_digit
    from lines
    group by all
)

select *, 0.5 * (classes + 1) * last_digit as tolerance
from by_table
where classes > 0
  and abs(coalesce(printed_total, 0) - classes_sum) > 0.5 * (classes + 1) * last_digit
