{# The quality of a group of lines: one line of a table that does not add up makes the group doubtful. #}
{% macro worst_quality_status(column='quality_status') -%}
    case when bool_or({{ column }} = 'failed_checks') then 'failed_checks' else 'verified' end
{%- endmacro %}
