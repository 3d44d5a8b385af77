{{ config(alias='narrative_vs_tables') }}
-- Do the figures stated in the narrative agree with the tables? One row per department × year × figure
-- that both publish. The narrative rounds (“三公”经费80万元 vs 80.00 in the table), so a figure agrees when
-- it differs by at most half a unit of the narrative's own last digit.
with narrative as (
    select * from {{ ref('fct_narrative_figures') }}
),

summary as (
    select * from {{ ref('fct_budget_summary') }}
),

three_public as (
    select * from {{ ref('fct_three_public_expenses') }}
),

table_totals as (
    select * from {{ ref('int_table_totals') }}
),

table_figures as (
    unpivot (
        select
            summary.department_id,
            summary.fiscal_year,
            summary.disclosure_level,
            summary.document_kind,
            summary.total_revenue,
            summary.total_expenditure,
            summary.basic_expenditure,
            summary.project_expenditure,
            three_public.total as three_public_total,
            three_public.outbound_travel,
            three_public.official_reception,
            three_public.vehicle_total,
            three_public.vehicle_purchase,
            three_public.vehicle_operation,
            three_public.meeting,
            three_public.training,
            table_totals.operating_costs,
            table_totals.government_procurement
        from summary
        left join three_public using (department_id, fiscal_year, disclosure_level, document_kind)
        left join table_totals using (department_id, fiscal_year, disclosure_level, document_kind)
    )
    on columns(* exclude (department_id, fiscal_year, disclosure_level, document_kind))
    into name figure value table_amount
),

compared as (
    select
        narrative.department_id,
        narrative.department_name,
        narrative.fiscal_year,
        narrative.disclosure_level,
        narrative.document_kind,
        narrative.figure,
        narrative.amount as narrative_amount,
        table_figures.table_amount,
        narrative.amount - table_figures.table_amount as difference,
        -- half a unit of the narrative's last printed digit: 0.5 for whole numbers, else 0.005
        case when narrative.amount = round(narrative.amount) then 0.5 else 0.005 end as tolerance,
        narrative.source_file,
        narrative.source_page,
        narrative.sentence
    from narrative
    inner join table_figures using (department_id, fiscal_year, disclosure_level, document_kind, figure)
),

final as (
    select *, abs(difference) <= tolerance as agrees
    from compared
)

select * from final
