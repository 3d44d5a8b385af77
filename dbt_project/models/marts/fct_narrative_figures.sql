-- Key figures stated in the narrative (文字部分), with the sentence and page they come from.
-- prior_year_amount is the amount stated for the prior year, or else this year's amount minus the
-- stated change ("比上年增加X万元"): prior_year_basis says which.
with figures as (
    select * from {{ ref('stg_landing__narrative_figures') }}
),

documents as (
    select partition_key, extraction_id, department_id, fiscal_year, disclosure_level, document_kind from {{ ref('int_documents_loaded') }}
),

department_years as (
    select * from {{ ref('int_department_years') }}
),

current_figures as (
    select figures.*, documents.department_id, documents.fiscal_year, documents.disclosure_level, documents.document_kind
    from figures
    inner join documents using (partition_key, extraction_id)
),

ranked as (
    -- a figure can be stated twice (summary and detail); keep the first statement
    select *, row_number() over (partition by department_id, fiscal_year, disclosure_level, document_kind, figure order by source_page, sentence) as nth
    from current_figures
),

final as (
    select
        ranked.department_id,
        department_years.department_name,
        ranked.fiscal_year,
        ranked.disclosure_level,
        ranked.document_kind,
        ranked.figure,
        ranked.amount,
        cast(coalesce(ranked.prior_year_amount_stated, ranked.amount - ranked.change_amount) as decimal(24, 6))
            as prior_year_amount,
        case
            when ranked.prior_year_amount_stated is not null then 'stated'
            when ranked.change_amount is not null then 'derived_from_stated_change'
        end as prior_year_basis,
        ranked.change_amount,
        ranked.source_file,
        ranked.source_page,
        ranked.sentence
    from ranked
    inner join department_years using (department_id, fiscal_year, disclosure_level, document_kind)
    where ranked.nth = 1
)

select * from final
