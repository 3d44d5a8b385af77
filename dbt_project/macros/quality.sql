{# The quality of a group of lines: one line of a table that does not add up makes the group doubtful
   (failed_checks); else a department-year whose overall or function table was not read is incomplete. #}
{% macro worst_quality_status(column='quality_status') -%}
    case
        when bool_or({{ column }} = 'failed_checks') then 'failed_checks'
        when bool_or({{ column }} = 'incomplete') then 'incomplete'
        else 'verified'
    end
{%- endmacro %}
