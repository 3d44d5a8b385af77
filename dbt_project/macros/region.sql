{# 行政级别 from the region as printed: 江苏省 / 广西壮族自治区 / the four 直辖市 → province;
   a name under a city (深圳市龙华区, 苏州市昆山市, …县/旗) → district; any other …市 / …州 / …盟 / …地区 → city. #}
{% macro admin_level(region) -%}
    case
        when {{ region }} is null or trim({{ region }}) = '' then null
        when regexp_full_match({{ region }}, '(北京|天津|上海|重庆)市') then 'province'
        when regexp_full_match({{ region }}, '.+(省|自治区)') then 'province'
        when regexp_full_match({{ region }}, '.+(市|州|盟|地区).+(区|县|旗|市)') then 'district'
        when regexp_full_match({{ region }}, '.+(区|县|旗)') then 'district'
        when regexp_full_match({{ region }}, '.+(市|州|盟|地区)') then 'city'
    end
{%- endmacro %}
