-- Every document with its department identity and its effective status: a loaded document is
-- `superseded` when a newer file (by modification time) of the same department, year and role
-- (narrative / tables / full) was loaded too — a revised disclosure replaces the earlier one.
with documents as (
    select * from {{ ref('stg_landing__documents') }}
),

identified as (
    select
        *,
        case when department_canonical_name is not null
            then {{ department_id('region', 'department_canonical_name') }}
        end as department_id
    from documents
),

ranked as (
    select
        *,
        case when status = 'loaded' then
            row_number() over (
                partition by status, department_id, fiscal_year, role
                order by file_modified_at desc, partition_key desc
            )
        end as revision_rank
    from identified
),

final as (
    select
        * exclude (status, revision_rank),
        status as extraction_status,
        case when revision_rank > 1 then 'superseded' else status end as status,
        case when revision_rank > 1 then 'a newer file of the same department, year and role was loaded' else reason end
            as status_reason
    from ranked
)

select * from final
