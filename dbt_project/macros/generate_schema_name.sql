{# Analysts query `marts.x` and `ops.x`, not `main_marts.x`: use the folder's schema name as-is. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
