{# One department printed under several names gets one canonical name, in two steps (stg_landing__documents).
   The rules are the standard abbreviations of Chinese official names, so they hold for departments the
   corpus does not have; names they cannot decide go to the seed department_aliases. #}

{# The name written the short way:
   * spaces dropped; the second name of a body with two (中共江苏省委党校（江苏省行政学院）), printed in
     brackets on some pages and left out on others, dropped;
   * 中国共产党/中共…委员会 → …委 (纪律检查委员会 → 纪委 first), a leading 中共 or 中国共产党 dropped;
     中国人民政治协商会议/政协…委员会 → …政协; 人民代表大会常务委员会 → 人大常委会, whose office is also printed
     人大办公厅; 省/市/区/县政府办公厅 → …人民政府办公厅. #}
{% macro short_department_name(name) -%}
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        regexp_replace(regexp_replace(regexp_replace({{ name }}, '\s+', '', 'g'),
        '[（(][^（）()]+[）)]$', ''),
        '纪律检查委员会', '纪委'),
        '人大办公厅$', '人大常委会办公厅'),
        '^(?:中国共产党|中共)(.+?)委员会', '\1委'),
        '^(?:中国共产党|中共)', ''),
        '^(?:中国人民政治协商会议|政协)(.+?)委员会', '\1政协'),
        '人民代表大会常务委员会', '人大常委会'),
        '([省市区县])政府(办公厅|办公室)$', '\1人民政府\2')
{%- endmacro %}

{# The short name with its region and full court names:
   * a name that leaves out its region takes the document's: 省委办公厅 in a 江苏省 document is
     江苏省委办公厅, 龙华区政务服务数据管理局 in a 深圳市龙华区 document is 深圳市龙华区政务服务数据管理局;
   * 省检察院 → 省人民检察院; 省法院 → 省高级人民法院 (a province has one court); 区/县法院 → 区/县人民法院. #}
{% macro department_name_in_region(short_name, region) -%}
    {%- set district_pattern = "'^(.+?[省市])(.+[区县市])$'" -%}
    regexp_replace(regexp_replace(regexp_replace(
        case
            when {{ region }} is null or starts_with({{ short_name }}, {{ region }}) then {{ short_name }}
            when right({{ region }}, 1) in ('省', '市', '区', '县') and left({{ short_name }}, 1) = right({{ region }}, 1)
                then {{ region }} || substr({{ short_name }}, 2)
            when regexp_matches({{ region }}, {{ district_pattern }})
                and starts_with({{ short_name }}, regexp_extract({{ region }}, {{ district_pattern }}, 2))
                then regexp_extract({{ region }}, {{ district_pattern }}, 1) || {{ short_name }}
            else {{ short_name }}
        end,
        '([省市区县])检察院$', '\1人民检察院'),
        '省法院$', '省高级人民法院'),
        '([区县])法院$', '\1人民法院')
{%- endmacro %}

{% macro department_id(region, canonical_name) -%}
    'dep_' || substr(md5(coalesce({{ region }}, '') || '|' || {{ canonical_name }}), 1, 12)
{%- endmacro %}

{# Amounts are published in 万元, 千元 or 元 (two decimals at most); the marts speak 万元 with six decimals,
   so every printed figure survives exactly: 22,186,440.80 元 is 2,218.644080 万元, 1,234.5 千元 is 123.450000 万元.
   The printed figure is fixed at two decimals first (the landing float carries it to within 1e-9), then
   scaled by a decimal factor: decimal arithmetic, no float rounding on the way. #}
{% macro to_wanyuan(amount, unit) -%}
    cast(
        cast(round({{ amount }}, 2) as decimal(20, 2))
        * cast({{ yuan_per_unit(unit) }} / 10000 as decimal(9, 4))
        as decimal(24, 6)
    )
{%- endmacro %}

{# 元 in one unit of an amount as printed (万元 where a document states none, as the contract never lets pass). #}
{% macro yuan_per_unit(unit) -%}
    (case {{ unit }} when '元' then 1 when '千元' then 1000 else 10000 end)
{%- endmacro %}
