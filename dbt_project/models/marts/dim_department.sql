-- One row per department: canonical name, region, administrative level, every name it was printed
-- under, and the years the warehouse holds for it.
with department_years as (
    select * from {{ ref('int_department_years') }}
),

documents as (
    select * from {{ ref('int_documents_loaded') }}
),

aliases as (
    select
        department_id,
        string_agg(distinct regexp_replace(department_name, '\s+', '', 'g'), '; '
            order by regexp_replace(department_name, '\s+', '', 'g')) as aliases,
        count(distinct regexp_replace(department_name, '\s+', '', 'g')) as alias_count
    from documents
    where department_name is not null
    group by department_id
),

years as (
    select
        department_id,
        -- the name most often printed (int_department_years); all years agree by construction
        any_value(department_name) as department_name,
        any_value(region) as region,
        any_value(admin_level) as admin_level,
        min(fiscal_year) as first_year,
        max(fiscal_year) as last_year,
        count(distinct fiscal_year) as years_loaded
    from department_years
    group by department_id
),

final as (
    select
        years.department_id,
        years.department_name,
        years.region,
        years.admin_level,
        aliases.aliases,
        aliases.alias_count,
        years.first_year,
        years.last_year,
        years.years_loaded
    from years
    left join aliases using (department_id)
)

select * from final
