-- Documents whose extraction passed its contracts, with the department identity they resolve to.
with documents as (
    select * from {{ ref('stg_landing__documents') }}
),

loaded as (
    select
        *,
        {{ department_id('region', 'department_canonical_name') }} as department_id
    from documents
    where status = 'loaded'
)

select * from loaded
