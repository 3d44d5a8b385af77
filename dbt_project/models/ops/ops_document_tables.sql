{{ config(alias='document_tables') }}
-- Per department × year (over all its loaded files): each table type listed in a contents page or
-- found in the body, where it was found (file, pages, lines) and a status. A table the contents list
-- but the body lacks is `listed_but_absent` — a fact about the publication, not an extraction error;
-- one printed with amounts that could not be read (`printed_not_read`, `partly_read`) is the extractor's;
-- one the registry recognizes but does not extract (基本支出总表, 项目支出总表) is `printed_not_extracted`;
-- one we extract printed without a line ("本部门无政府性基金预算") is `found_empty`.
with documents as (
    select * from {{ ref('int_documents_loaded') }}
),

found_tables as (
    select * from {{ ref('stg_landing__document_tables') }}
),

department_years as (
    select * from {{ ref('int_department_years') }}
),

listed as (
    select distinct department_id, fiscal_year, disclosure_level, document_kind, trim(table_type) as table_type
    from documents, unnest(string_split(listed_tables, ',')) as listed(table_type)
    where trim(table_type) <> ''
),

found as (
    select
        documents.department_id,
        documents.fiscal_year,
        documents.disclosure_level,
        documents.document_kind,
        found_tables.table_type,
        found_tables.source_file,
        found_tables.table_title,
        found_tables.first_page,
        found_tables.last_page,
        found_tables.lines,
        found_tables.amounts,
        found_tables.pages_not_read
    from found_tables
    inner join documents using (partition_key, extraction_id)
),

table_types as (
    select department_id, fiscal_year, disclosure_level, document_kind, table_type from listed
    union
    select department_id, fiscal_year, disclosure_level, document_kind, table_type from found
),

final as (
    select
        table_types.department_id,
        department_years.department_name,
        table_types.fiscal_year,
        table_types.disclosure_level,
        table_types.document_kind,
        table_types.table_type,
        listed.table_type is not null as listed_in_contents,
        found.source_file,
        found.table_title,
        found.first_page,
        found.last_page,
        found.lines,
        found.pages_not_read,
        case
            when found.table_type is null then 'listed_but_absent'
            when found.pages_not_read is not null and found.lines = 0 then 'printed_not_read'
            when found.pages_not_read is not null then 'partly_read'
            when found.lines = 0 and found.table_type not in ('{{ var("line_tables") | join("', '") }}')
                then 'printed_not_extracted'
            when found.amounts = 0 then 'found_empty'
            when listed.table_type is null then 'found_not_listed'
            else 'found'
        end as status
    from table_types
    inner join department_years using (department_id, fiscal_year, disclosure_level, document_kind)
    left join listed using (department_id, fiscal_year, disclosure_level, document_kind, table_type)
    left join found using (department_id, fiscal_year, disclosure_level, document_kind, table_type)
)

select * from final
