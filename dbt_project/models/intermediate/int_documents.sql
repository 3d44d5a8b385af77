-- Every document with its department identity and its effective status:
--  * `removed` when its file is no longer in the raw folder (its data leaves the marts; the row stays),
--  * `superseded` when a newer file (by modification time) of the same department, year, edition
--    (disclosure_level) and role (narrative / tables / full) was loaded too — a revised disclosure replaces
--    the earlier one; a 单位预算 and a 部门预算 of one body and year are two publications, never revisions.
with documents as (
    select * from {{ ref('stg_landing__documents') }}
),

inventory as (
    select partition_key from {{ source('landing', 'raw_inventory') }}
),

aliases as (
    select * from {{ ref('department_aliases') }}
),

-- names the rules cannot decide resolve through the seed (same region only), before the id is made
resolved as (
    select
        documents.* replace (
            coalesce(by_printed.canonical_name, by_rule.canonical_name, documents.department_canonical_name)
                as department_canonical_name
        )
    from documents
    left join aliases as by_printed
        on by_printed.printed_name = regexp_replace(documents.department_name, '\s+', '', 'g')
        and by_printed.region = documents.region
    left join aliases as by_rule
        on by_rule.printed_name = documents.department_canonical_name
        and by_rule.region = documents.region
),

-- a body and its office (江苏省人大常委会 / 江苏省人大常委会办公厅) publish one budget, which the office keeps:
-- a narrative may print the body's name where the tables print the office's. A name that is another name
-- of the same region less 办公厅/办公室 takes that name.
offices as (
    select
        region,
        regexp_extract(department_canonical_name, '^(.+)(?:办公厅|办公室)$', 1) as body_name,
        min(department_canonical_name) as office_name
    from resolved
    where regexp_matches(department_canonical_name, '^.+(?:办公厅|办公室)$')
    group by all
),

with_offices as (
    select
        resolved.* replace (
            coalesce(offices.office_name, resolved.department_canonical_name) as department_canonical_name
        )
    from resolved
    left join offices
        on offices.body_name = resolved.department_canonical_name
        and offices.region = resolved.region
),

identified as (
    select
        *,
        case when department_canonical_name is not null
            then {{ department_id('region', 'department_canonical_name') }}
        end as department_id
    from with_offices
),

present as (
    select
        identified.* replace (
            case when inventory.partition_key is null then 'removed' else identified.status end as status
        ),
        identified.status as extraction_status
    from identified
    left join inventory using (partition_key)
),

ranked as (
    select
        *,
        case when status = 'loaded' then
            row_number() over (
                partition by status, department_id, fiscal_year, disclosure_level, document_kind, role
                order by file_modified_at desc, partition_key desc
            )
        end as revision_rank
    from present
),

final as (
    select
        * exclude (status, revision_rank),
        case when revision_rank > 1 then 'superseded' else status end as status,
        case
            when revision_rank > 1 then 'a newer file of the same department, year, edition and role was loaded'
            when status = 'removed' then 'the file is no longer in the raw folder; its data is excluded from the marts'
            else reason
        end as status_reason
    from ranked
)

select * from final
