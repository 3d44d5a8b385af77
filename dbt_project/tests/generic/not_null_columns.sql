{# Every listed column has a value in every row. One query for all of a model's key columns: a dbt test
   per column costs a node (and its fixed overhead) each. A failing row names the null columns and counts
   the rows concerned. #}
{% test not_null_columns(model, columns) %}
with labelled as (
    select concat_ws(', ',
        {%- for column in columns %}
        case when {{ column }} is null then '{{ column }}' end{{ "," if not loop.last }}
        {%- endfor %}
    ) as null_columns
    from {{ model }}
)

select null_columns, count(*) as rows_with_nulls
from labelled
where null_columns <> ''
group by null_columns
{% endtest %}
