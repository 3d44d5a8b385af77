{{ config(alias='run_failures') }}
-- Failed Dagster runs (sensor, schedule, UI or CLI), newest first.
select * from {{ ref('stg_landing__run_failures') }}
order by failed_at desc
