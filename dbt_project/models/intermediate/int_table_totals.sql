-- The printed 合计 of tables whose total is a headline figure, one row per department × fiscal year.
with lines as (
    select * from {{ ref('int_table_lines') }}
    where item = 'total' and measure = 'total'
)

select
    department_id,
    fiscal_year,
    disclosure_level,
    document_kind,
    max(amount) filter (where table_type = 'operating_costs') as operating_costs,
    max(amount) filter (where table_type = 'government_procurement') as government_procurement
from lines
group by all
