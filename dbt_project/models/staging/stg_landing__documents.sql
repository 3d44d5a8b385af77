with source as (
    select * from {{ source('landing', 'documents') }}
),

renamed as (
    select
        partition_key,
        extraction_id,
        source_file,
        source_files,
        sha256,
        file_size,
        file_modified_at,
        status,
        reason,
        template,
        department_name,
        {{ short_department_name('department_name') }} as department_canonical_name,
        fiscal_year,
        unit,
        region,
        admin_level,
        coalesce(disclosure_level, 'department') as disclosure_level,
        coalesce(document_kind, 'budget') as document_kind,
        role,
        pages,
        tables_found,
        listed_tables,
        extracted_at,
        extract_seconds,
        validate_seconds,
        extractor_version
    from source
),

-- the region rule compares the short name (中共江苏省委 → 江苏省委) with the region, so it comes second
named as (
    select
        * replace (
            {{ department_name_in_region('department_canonical_name', 'region') }} as department_canonical_name
        )
    from renamed
)

select * from named
