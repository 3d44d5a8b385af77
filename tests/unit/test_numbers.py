import pytest

from orchestration.extraction.numbers import (
    clean_label,
    is_blank,
    join_code_parts,
    label_key,
    parse_amount,
    parse_code,
    squeeze_cjk_spaces,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22,070", 22070.0),
        ("5000", 5000.0),
        ("27,664.22", 27664.22),
        ("0.00", 0.0),
        ("0", 0.0),
        ("２２，０７０", 22070.0),
        ("１２.５", 12.5),
        (" 4335.3 ", 4335.3),
        ("(12.50)", -12.5),
        ("-3.5", -3.5),
        ("", None),
        (None, None),
        ("-", None),
        ("—", None),
        ("－", None),
        ("合计", None),
        ("12a", None),
    ],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("201", "201"),
        ("20131", "20131"),
        ("2013101", "2013101"),
        ("２０１", "201"),
        (" 204 04 ", "20404"),
        ("2010", None),
        ("20", None),
        ("27,664", None),
        ("合计", None),
        (None, None),
    ],
)
def test_parse_code(text, expected):
    assert parse_code(text) == expected


def test_join_code_parts():
    assert join_code_parts(["201", "03", "01"]) == "2010301"
    assert join_code_parts(["201", "03", None]) == "20103"
    assert join_code_parts(["201", "", ""]) == "201"
    assert join_code_parts(["合计", None]) is None
    assert join_code_parts([None, None]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一、财政拨款", "财政拨款"),
        ("1.一般公共预算", "一般公共预算"),
        ("2、政府性基金预算", "政府性基金预算"),
        ("（一）收支总表", "收支总表"),
        ("(三) 支出总表", "支出总表"),
        ("二十一、其他支出", "其他支出"),
        ("合 计", "合计"),
        ("收 入", "收入"),
        ("2.政府性基金预\n算", "政府性基金预算"),
        ("其他政府办公厅（室）及相关机构事\n务支出", "其他政府办公厅（室）及相关机构事务支出"),
        ("一般公共服务支出", "一般公共服务支出"),
        ("行政运行", "行政运行"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_label(text, expected):
    assert clean_label(text) == expected


def test_squeeze_keeps_latin_spacing():
    assert squeeze_cjk_spaces("2022 年预算数") == "2022 年预算数"
    assert squeeze_cjk_spaces("公开 01 表") == "公开 01 表"
    assert squeeze_cjk_spaces("金   额") == "金额"


def test_label_key_normalizes_width_and_spaces():
    assert label_key("一般公共预算支出预算表（功能科目）") == label_key("一般公共预算支出预算表(功能科目)")
    assert label_key("合   计") == "合计"


def test_is_blank():
    assert is_blank(None) and is_blank("") and is_blank(" - ") and is_blank("—")
    assert not is_blank("0") and not is_blank("合计")
