-- One row per department × fiscal year × edition (部门预算 / 单位预算), from all its loaded documents (narrative and tables PDFs).
with documents as (
    select * from {{ ref('int_documents_loaded') }}
),

names as (
    -- the canonical name most often printed, ties broken alphabetically, so the choice is stable
    select
        department_id,
        arg_max(department_canonical_name, n) as department_name
    from (
        select department_id, department_canonical_name, count(*) as n
        from documents
        group by all
    )
    group by department_id
),

final as (
    select
        documents.department_id,
        names.department_name,
        any_value(documents.region) as region,
        documents.fiscal_year,
        documents.disclosure_level,
        documents.document_kind,
        any_value(documents.admin_level) as admin_level,
        string_agg(distinct documents.source_file, '; ' order by documents.source_file) as source_files
    from documents
    inner join names using (department_id)
    group by documents.department_id, names.department_name, documents.fiscal_year, documents.disclosure_level, documents.document_kind, documents.document_kind
)

select * from final
