{# A model's row rules in one test (one dbt node, one Dagster check) instead of one test per column and rule:
   each test costs a node's fixed overhead, which at this data size is most of a build's time.

   not_null:        columns that must have a value in every row
   unique_keys:     lists of columns, each list a (composite) key no two rows share
   accepted_values: column -> the values it may take (nulls are left to not_null)
   references:      column -> 'model.column' whose values it must be one of (dbt's `relationships`; nulls
                    are left to not_null); the test depends on that model as well

   A failure is one row per broken rule and offending value (rule, columns, value, failing_rows), e.g.
   ('not_null', 'department_name', null, 3), ('unique_key', 'department_id, fiscal_year', 'dep_1 | 2019', 2) or
   ('reference', 'department_id -> dim_department.department_id', 'dep_9', 4). #}
{% test valid_rows(model, not_null=[], unique_keys=[], accepted_values={}, references={}) %}
{%- set checks = [] -%}
{%- for column in not_null -%}
    {%- do checks.append(
        "select 'not_null' as rule, '" ~ column ~ "' as columns, cast(null as varchar) as value, count(*) as failing_rows"
        ~ " from " ~ model ~ " where " ~ column ~ " is null having count(*) > 0"
    ) -%}
{%- endfor -%}
{%- for key in unique_keys -%}
    {%- do checks.append(
        "select 'unique_key', '" ~ key | join(', ') ~ "', concat_ws(' | ', " ~ key | join(', ') ~ "), count(*)"
        ~ " from " ~ model ~ " group by " ~ key | join(', ') ~ " having count(*) > 1"
    ) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- set quoted = [] -%}
    {%- for value in values -%}
        {%- set text = (value | string | lower) if value is boolean else (value | string) -%}
        {%- do quoted.append("'" ~ text.replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    {%- do checks.append(
        "select 'accepted_values', '" ~ column ~ "', cast(" ~ column ~ " as varchar), count(*)"
        ~ " from " ~ model ~ " where cast(" ~ column ~ " as varchar) not in (" ~ quoted | join(', ') ~ ")"
        ~ " group by " ~ column
    ) -%}
{%- endfor -%}
{%- for column, target in references.items() -%}
    {%- set parts = target.split('.') -%}
    {%- if parts | length != 2 -%}
        {{ exceptions.raise_compiler_error(
            "valid_rows on " ~ model ~ ": references." ~ column ~ " is '" ~ target ~ "', expected 'model.column'") }}
    {%- endif -%}
    {%- set parent_model, parent_column = parts -%}
    {%- do checks.append(
        "select 'reference', '" ~ column ~ " -> " ~ target ~ "', cast(child." ~ column ~ " as varchar), count(*)"
        ~ " from " ~ model ~ " as child where child." ~ column ~ " is not null and not exists (select 1 from "
        ~ ref(parent_model) ~ " as parent where parent." ~ parent_column ~ " = child." ~ column ~ ")"
        ~ " group by child." ~ column
    ) -%}
{%- endfor -%}
{%- if not checks -%}
    {{ exceptions.raise_compiler_error("valid_rows on " ~ model ~ " lists no rule") }}
{%- endif -%}
{{ checks | join('\nunion all\n') }}
{% endtest %}
