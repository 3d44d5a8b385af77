{# One department printed under several names (中共江苏省委办公厅 / 中国共产党江苏省委员会办公厅 / 江苏省委办公厅)
   gets one canonical name: party-committee prefixes are written the short way, spaces dropped, and the
   second name of a body with two (中共江苏省委党校（江苏省行政学院）), printed in brackets on some pages
   and left out on others, dropped. #}
{% macro canonical_department_name(name) -%}
    regexp_replace(
        regexp_replace(
            regexp_replace(
                regexp_replace({{ name }}, '\s+', '', 'g'),
                '[（(][^（）()]+[）)]$', ''),
            '^中国共产党(.+?)委员会', '\1委'),
        '^中共', '')
{%- endmacro %}

{% macro department_id(region, canonical_name) -%}
    'dep_' || substr(md5(coalesce({{ region }}, '') || '|' || {{ canonical_name }}), 1, 12)
{%- endmacro %}

{# Amounts are published in 万元, 千元 or 元; the marts speak 万元 with two decimals. #}
{% macro to_wanyuan(amount, unit) -%}
    cast(round({{ amount }} / (10000.0 / {{ yuan_per_unit(unit) }}), 2) as decimal(18, 2))
{%- endmacro %}

{# 元 in one unit of an amount as printed (万元 where a document states none, as the contract never lets pass). #}
{% macro yuan_per_unit(unit) -%}
    (case {{ unit }} when '元' then 1 when '千元' then 1000 else 10000 end)
{%- endmacro %}

