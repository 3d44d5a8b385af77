-- The 合计 of each function table (一般公共预算 / 财政拨款 / 政府性基金) equals the same scope's figure in the
-- overall table (收支总表: 一般公共预算 / 财政拨款 / 政府性基金 revenue) of that department-year, within
-- rounding tolerance 0.5 × (n + 1) units of the last printed digit, n = the 类 lines of the function table
-- (0.01 for two-decimal data, 1 for whole numbers, in that table's unit). Compared in 元 on the figures as
-- printed, since the two tables may print different units and 0.01 万元 is coarser than 元. Spending may exceed this
-- year's revenue by the 上年结转 carried over, so only a total outside [revenue, revenue + carry-over]
-- is a real mismatch. A scope printed in one table and absent (or zero) in the other is one too. A table of
-- several 预算单位 that prints no 合计 is compared by the sum of its units' rows.
with lines as (
    select * from {{ ref('int_table_lines') }}
),

precision_by_table as (
    select
        partition_key,
        table_type,
        case when bool_or(raw_value like '%.%') then 0.01 else 1 end
            * any_value({{ yuan_per_unit('unit') }}) as last_digit_yuan
    from lines
    group by all
),

function_totals as (
    select
        lines.department_id,
        lines.fiscal_year,
        lines.disclosure_level,
        lines.document_kind,
        case lines.table_type
            when 'function_general_public' then 'general_public_budget'
            when 'function_fiscal_appropriation' then 'fiscal_appropriation'
            when 'function_government_fund' then 'government_fund'
        end as fund_scope,
        {{ table_total("lines.measure = 'total'", amount='lines.amount_printed * ' ~ yuan_per_unit('lines.unit')) }}
            as function_total_yuan,
        count(distinct lines.code) filter (where length(lines.code) = 3) as classes,
        any_value(precision_by_table.last_digit_yuan) as last_digit_yuan
    from lines
    inner join precision_by_table using (partition_key, table_type)
    where lines.table_type in ('function_general_public', 'function_fiscal_appropriation', 'function_government_fund')
    group by all
),

overall as (
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        item as fund_scope,
        max(amount_printed * {{ yuan_per_unit('unit') }}) as summary_total_yuan
    from lines
    where table_type = 'overall'
      and item in ('general_public_budget', 'fiscal_appropriation', 'government_fund')
    group by all
),

carryover as (
    select department_id, fiscal_year, disclosure_level, document_kind, max(amount_printed * {{ yuan_per_unit('unit') }}) as prior_year_carryover_yuan
    from lines
    where table_type = 'overall' and item = 'prior_year_carryover'
    group by all
),

compared as (
    select
        function_totals.*,
        overall.summary_total_yuan,
        coalesce(carryover.prior_year_carryover_yuan, 0) as prior_year_carryover_yuan,
        0.5 * (function_totals.classes + 1) * function_totals.last_digit_yuan as tolerance_yuan
    from function_totals
    inner join overall using (department_id, fiscal_year, disclosure_level, document_kind, fund_scope)
    left join carryover using (department_id, fiscal_year, disclosure_level, document_kind)
)

select *
from compared
where coalesce(function_total_yuan, 0) < coalesce(summary_total_yuan, 0) - tolerance_yuan
   or coalesce(function_total_yuan, 0) > coalesce(summary_total_yuan, 0) + prior_year_carryover_yuan + tolerance_yuan
