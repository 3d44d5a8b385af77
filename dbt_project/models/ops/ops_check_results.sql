{{ config(alias='check_results') }}
-- Every contract check of every document's current extraction.
with checks as (
    select * from {{ ref('stg_landing__check_results') }}
),

documents as (
    select partition_key, extraction_id from {{ ref('stg_landing__documents') }}
)

select checks.source_file, checks.check_name as "check", checks.severity, checks.passed, checks.detail
from checks
inner join documents using (partition_key, extraction_id)
