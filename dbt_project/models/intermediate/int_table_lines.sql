-- Lines of loaded documents only, from each document's current extraction (the commit point), and for
-- each department × year × edition × table type from one document: a department-year published as a narrative
-- PDF plus a tables PDF may carry a table in both; the tables PDF wins, then the most recent extraction.
with lines as (
    select * from {{ ref('stg_landing__table_lines') }}
),

documents as (
    select * from {{ ref('int_documents_loaded') }}
),

failed_tables as (
    select distinct partition_key, extraction_id, table_type
    from {{ ref('stg_landing__reconciliation_failures') }}
),

current_lines as (
    select
        lines.*,
        documents.department_id,
        documents.fiscal_year,
        documents.disclosure_level,
        documents.document_kind,
        documents.role,
        documents.extracted_at,
        case when failed_tables.table_type is null then 'verified' else 'failed_checks' end as quality_status
    from lines
    inner join documents
        on lines.partition_key = documents.partition_key
        and lines.extraction_id = documents.extraction_id
    left join failed_tables
        on lines.partition_key = failed_tables.partition_key
        and lines.extraction_id = failed_tables.extraction_id
        and lines.table_type = failed_tables.table_type
),

document_tables as (
    select distinct department_id, fiscal_year, disclosure_level, document_kind, table_type, partition_key, role, extracted_at
    from current_lines
),

document_rank as (
    select
        department_id,
        fiscal_year,
        disclosure_level,
        document_kind,
        table_type,
        partition_key,
        row_number() over (
            partition by department_id, fiscal_year, disclosure_level, document_kind, table_type
            order by case role when 'tables' then 0 when 'full' then 1 else 2 end, extracted_at desc, partition_key
        ) as preference
    from document_tables
),

chosen as (
    select current_lines.*
    from current_lines
    inner join document_rank using (department_id, fiscal_year, disclosure_level, document_kind, table_type, partition_key)
    where document_rank.preference = 1
),

-- a department-year (edition) whose overall table or function table was not read is incomplete: its
-- figures are what was printed, but its totals cannot be checked against them (never `verified`)
final as (
    select
        chosen.* replace (
            case
                when quality_status = 'failed_checks' then 'failed_checks'
                when not bool_or(table_type = 'overall') over department_year
                    or not bool_or(table_type in ('function_general_public', 'function_fiscal_appropriation'))
                        over department_year
                    then 'incomplete'
                else quality_status
            end as quality_status
        )
    from chosen
    window department_year as (partition by department_id, fiscal_year, disclosure_level, document_kind)
)

select * from final
