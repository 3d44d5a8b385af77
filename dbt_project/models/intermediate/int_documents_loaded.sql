-- Documents whose extraction passed its contracts and that no newer revision replaces.
with documents as (
    select * from {{ ref('int_documents') }}
)

select * from documents
where status = 'loaded'
