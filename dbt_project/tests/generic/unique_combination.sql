{# No two rows share these columns' values (a composite key): dbt_utils' test of the same name, written here
   because dbt packages cannot be installed. Rows whose key columns are null are grouped like any other value.
   A failure is one row per duplicated key, with the number of rows sharing it (n_records). #}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{%- set columns = combination_of_columns | join(', ') -%}
select {{ columns }}, count(*) as n_records
from {{ model }}
group by {{ columns }}
having count(*) > 1
{% endtest %}
