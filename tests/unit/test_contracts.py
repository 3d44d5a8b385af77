import pandas as pd

from orchestration.validation.contracts import DocumentContract, TableLineContract, validate


def line(**overrides):
    row = {
        "source_file": "a.pdf",
        "source_page": 7,
        "line_no": 3,
        "table_type": "function_general_public",
        "name": "行政运行",
        "measure": "total",
        "amount": 3149.0,
        "code": "2010301",
        "unit": "万元",
    }
    return row | overrides


def test_valid_lines_pass():
    assert validate(pd.DataFrame([line(), line(code=None, name="合计", amount=None)]), TableLineContract) == []


def test_failures_name_table_page_code_expected_and_found():
    failures = validate(pd.DataFrame([line(amount=-5.0), line(code="20103011", line_no=4)]), TableLineContract)
    messages = sorted(f.describe() for f in failures)
    assert messages == [
        "TableLineContract: function_general_public p.7 2010301 行政运行: amount expected "
        "greater_than_or_equal_to(0), found '-5.0'",
        "TableLineContract: function_general_public p.7 20103011 行政运行: code expected "
        "str_matches('^\\d{3}(\\d{2}){0,2}$'), found '20103011'",
    ]


def test_unknown_unit_and_empty_name_fail():
    failures = validate(pd.DataFrame([line(unit="亿元", name="")]), TableLineContract)
    assert {f.column for f in failures} == {"unit", "name"}


def test_document_contract_reports_every_problem_at_once():
    frame = pd.DataFrame([{"department_name": "x", "fiscal_year": 1999, "unit": "元", "pages": 0}])
    assert {f.column for f in validate(frame, DocumentContract)} == {"department_name", "fiscal_year", "pages"}


def test_a_missing_value_is_reported_once_as_missing():
    frame = pd.DataFrame([{"department_name": "江苏省委办公厅", "fiscal_year": None, "unit": "万元", "pages": 12}])
    assert [f.describe() for f in validate(frame, DocumentContract)] == [
        "DocumentContract: document: fiscal_year expected a value, found nothing"
    ]


def test_only_lines_stating_a_change_may_be_negative():
    from orchestration.validation.contracts import validate_lines

    change = line(table_type="three_public", code=None, name="增减变化金额", item="change", amount=-7.0)
    assert validate_lines(pd.DataFrame([change])) == []
    failures = validate_lines(pd.DataFrame([change | {"item": "current_year"}]))
    assert [f.column for f in failures] == ["amount"]
