{#
  The department's figure among lines that match `condition`, in a table that may print one block of rows per
  预算单位 (Shenzhen template: a department of several budget units). Lines of the department as a whole
  (budget_unit null: a 合计 row, a table without a unit column) are taken as printed; a department printed
  only unit by unit is the sum over its units. Used inside an aggregate grouped by department × year.
#}
{% macro department_figure(condition, amount='amount') -%}
coalesce(
    max({{ amount }}) filter (where ({{ condition }}) and budget_unit is null),
    sum({{ amount }}) filter (where ({{ condition }}) and budget_unit is not null)
)
{%- endmacro %}

{#
  A table's total for the department among lines that match `condition`: its printed 合计 line (or its only
  unit's row, read as the 合计), else, for a department printed unit by unit with no 合计, the sum of its units'
  rows. Used inside an aggregate grouped by department × year (× table).
#}
{% macro table_total(condition, amount='amount') -%}
coalesce(
    max({{ amount }}) filter (where ({{ condition }}) and item = 'total'),
    sum({{ amount }}) filter (where ({{ condition }}) and item = 'budget_unit' and code is null)
)
{%- endmacro %}
