-- a document's rows count only along with its `documents` row, the commit point the same extraction writes:
-- depends_on: {{ source('landing', 'documents') }}
with source as (
    select * from {{ source('landing', 'narrative_figures') }}
)

select
    partition_key,
    extraction_id,
    source_file,
    source_page,
    figure,
    {{ to_wanyuan('amount', 'unit') }} as amount,
    {{ to_wanyuan('prior_year_amount', 'unit') }} as prior_year_amount_stated,
    {{ to_wanyuan('change_amount', 'unit') }} as change_amount,
    unit,
    sentence
from source
