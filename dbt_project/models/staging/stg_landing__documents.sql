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
        {{ canonical_department_name('department_name') }} as department_canonical_name,
        fiscal_year,
        unit,
        region,
        role,
        pages,
        tables_found,
        listed_tables,
        extracted_at,
        extract_seconds,
        validate_seconds,
        extractor_version
    from source
)

select * from renamed
