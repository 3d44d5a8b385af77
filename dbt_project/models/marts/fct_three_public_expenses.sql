-- “三公”经费 (and 会议费/培训费 where the template prints them, 机关运行经费 where one table prints it beside
-- them: “三公”经费和机关运行经费预算表), one row per department × fiscal year × edition.
-- A table that also prints the prior year (Shenzhen: 2021年 / 2022年 / 增减变化) gives prior_year_total.
-- A table of several 预算单位 gives the department's rows where it prints them (unit 合计, or no unit column),
-- else the sum over its units.
{% set measures = ['total', 'outbound_travel', 'official_reception', 'vehicle_total', 'vehicle_purchase',
                   'vehicle_operation', 'meeting', 'training', 'grand_total', 'operating_costs'] %}

with lines as (
    select * from {{ ref('int_table_lines') }}
    where table_type = 'three_public'
),

department_years as (
    select * from {{ ref('int_department_years') }}
),

pivoted as (
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        {% for measure in measures %}
        cast({{ department_figure("item = 'current_year' and measure = '" ~ measure ~ "'") }} as decimal(24, 6)) as {{ measure }},
        {% endfor %}
        cast({{ department_figure("item = 'prior_year' and measure = 'total'") }} as decimal(24, 6)) as prior_year_total,
        any_value(source_file) as source_file,
        min(source_page) as source_page,
        {{ worst_quality_status() }} as quality_status
    from lines
    group by all
),

final as (
    select
        pivoted.department_id,
        department_years.department_name,
        pivoted.fiscal_year,
        pivoted.disclosure_level,
        pivoted.document_kind,
        {% for measure in measures %}pivoted.{{ measure }},
        {% endfor %}pivoted.prior_year_total,
        pivoted.source_file,
        pivoted.source_page,
        pivoted.quality_status
    from pivoted
    inner join department_years using (department_id, fiscal_year, disclosure_level, document_kind)
)

select * from final
