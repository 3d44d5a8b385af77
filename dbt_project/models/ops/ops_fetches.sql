{{ config(alias='fetches') }}
-- Every URL every poll of the publishers dealt with, newest first.
select * from {{ ref('stg_landing__fetches') }}
order by fetched_at desc, url
