-- Two different departments must never share a department_id. Fails on:
--  * a department_id carrying more than one (region, canonical name) — an identity bug or id collision;
--  * an alias chain in the seed: a printed name that is itself the canonical name of another alias row
--    in the same region, which would fold one department into another.
-- In Dagster a check on int_documents, where department identity is decided: a singular test reading
-- two nodes needs this ref, or dagster-dbt logs its result as an observation instead of a check.
{{ config(meta={'dagster': {'ref': {'name': 'int_documents'}}}) }}
with documents as (
    select * from {{ ref('int_documents') }}
    where department_id is not null
),

aliases as (
    select * from {{ ref('department_aliases') }}
),

id_collisions as (
    select
        department_id,
        'department_id has ' || count(distinct region || '|' || department_canonical_name)
            || ' names: ' || string_agg(distinct region || ' ' || department_canonical_name, '; ') as problem
    from documents
    group by department_id
    having count(distinct region || '|' || department_canonical_name) > 1
),

alias_chains as (
    select
        null as department_id,
        'seed maps ' || aliases.printed_name || ' → ' || aliases.canonical_name || ', but '
            || aliases.printed_name || ' is itself a canonical name in ' || aliases.region as problem
    from aliases
    inner join aliases as targets
        on targets.canonical_name = aliases.printed_name
        and targets.region = aliases.region
    where aliases.printed_name <> aliases.canonical_name
)

select * from id_collisions
union all
select * from alias_chains
