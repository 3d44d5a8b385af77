"""Template variants over many seeds (orchestration.samples.variants): every figure a variant prints comes out
exactly, in its printed unit, or is flagged by the pipeline; none is wrong, lost or invented without a word; the
department, fiscal year, edition and document kind (部门预算 or 部门决算) are right or flagged.

VARIANT_SEEDS=1-1000 runs more seeds (default 1-200); the summary per variant class is printed at the end.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import pytest
from variant_judge import judge, judge_seed, summary

from orchestration.samples.variant_model import printed
from orchestration.samples.variants import build_variant, choose_spec, write_variant


def seeds() -> range:
    first, _, last = os.environ.get("VARIANT_SEEDS", "1-200").partition("-")
    return range(int(first), int(last or first) + 1)


def test_every_figure_of_every_variant_is_exact_or_flagged(tmp_path, capsys):
    chosen = seeds()
    workers = min(2, os.cpu_count() or 1)
    with ProcessPoolExecutor(workers) as pool:
        verdicts = list(pool.map(judge_seed, chosen, [str(tmp_path)] * len(chosen), chunksize=4))

    report = summary(verdicts)
    with capsys.disabled():  # the summary per variant class, shown whether the test passes or not
        print("\n" + "\n".join(report))
    problems = [p for v in verdicts for p in v.problems]
    assert problems == [], "\n".join(report + problems[:60])
    # the variants, budgets and final accounts alike, are read, not merely flagged: most figures land exactly
    for kind in ("budget", "final_accounts"):
        read = [v for v in verdicts if f"document_kind:{kind}" in v.classes]
        exact = sum(v.counts["exact"] for v in read)
        flagged = sum(v.counts["flagged"] for v in read)
        assert exact > 0.8 * (exact + flagged), kind


def test_the_judge_calls_a_figure_landed_with_another_value_wrong(tmp_path):
    """A truth figure changed by one cent of its unit is a wrong figure the pipeline did not flag."""
    pdf = write_variant(tmp_path, 9)
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert judge(pdf, truth).failures == 0

    figure = next(f for f in truth["figures"] if f["table_type"] == "function_general_public" and f["code"])
    step = Decimal("0.01") * {"元": 1, "千元": 1000, "万元": 10000}[figure["unit"]]
    figure["yuan"] = str(Decimal(figure["yuan"]) + step)
    verdict = judge(pdf, truth)

    assert verdict.counts["wrong"] == 1
    assert verdict.problems[0].startswith(f"seed 9: wrong: function_general_public {figure['code']} ")


def test_the_judge_calls_a_figure_no_table_prints_a_phantom(tmp_path):
    pdf = write_variant(tmp_path, 9)
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    code = next(f["code"] for f in truth["figures"] if f["table_type"] == "function_general_public" and f["code"])
    truth["figures"] = [f for f in truth["figures"] if f["code"] != code]

    verdict = judge(pdf, truth)

    assert verdict.counts["phantom"] >= 1 and verdict.counts["wrong"] == verdict.counts["missing"] == 0


FINAL_ACCOUNTS_SEED = 2  # a 部门决算 with its “三公” table printed as 预算数 | 决算数


def test_a_final_accounts_variant_prints_the_final_accounts_set_and_its_budget_figures(tmp_path):
    pdf = write_variant(tmp_path, FINAL_ACCOUNTS_SEED)
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))

    assert truth["document_kind"] == "final_accounts" and pdf.name.endswith("年度部门决算_v2.pdf")
    assert all("决算" in table["title"] for table in truth["tables"].values())
    assert not {"function_fiscal_appropriation", "government_procurement"} & set(truth["tables"])
    three = {f["measure"]: Decimal(f["yuan"]) for f in truth["figures"] if f["table_type"] == "three_public"}
    assert {m for m in three if m.startswith("budget_")} == {f"budget_{m}" for m in three if "budget_" not in m}
    for kind in ("", "budget_"):  # the 预算数 and the 决算数 each add up
        parts = three[f"{kind}outbound_travel"] + three[f"{kind}official_reception"] + three[f"{kind}vehicle_total"]
        assert three[f"{kind}total"] == parts
    assert three["budget_total"] != three["total"]


def test_the_judge_calls_a_wrong_budget_figure_and_a_wrong_document_kind(tmp_path):
    pdf = write_variant(tmp_path, FINAL_ACCOUNTS_SEED)
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert judge(pdf, truth).failures == 0

    figure = next(f for f in truth["figures"] if f["measure"] == "budget_official_reception")
    step = Decimal("0.01") * {"元": 1, "千元": 1000, "万元": 10000}[figure["unit"]]
    figure["yuan"] = str(Decimal(figure["yuan"]) + step)
    truth["document_kind"] = "budget"
    verdict = judge(pdf, truth)

    assert figure["unit"] == "元"  # seed 2 prints 元, so the figures below read as printed
    assert verdict.counts["wrong"] == 1 and verdict.counts["labels_wrong"] == 1
    assert verdict.problems == [
        f"seed 2: wrong: three_public current_year [budget_official_reception]: printed "
        f"{figure['yuan']} 元, landed {[str(Decimal(figure['yuan']) - step)]}",
        "seed 2: label document_kind: 'final_accounts', printed 'budget'",
    ]


def test_a_final_accounts_variant_prints_its_government_fund_table_empty_and_the_judge_wants_it_recorded(tmp_path):
    pdf = write_variant(tmp_path, FINAL_ACCOUNTS_SEED)
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert "function_government_fund" in truth["tables"]
    assert not [f for f in truth["figures"] if f["table_type"] == "function_government_fund"]
    assert judge(pdf, truth).counts["tables_recorded"] == len(truth["tables"])

    # a table printed empty that nothing records: counted, no failure (no figure is lost with it)
    truth["tables"]["government_procurement"] = {"title": "政府采购决算表", "unit": "元", "pages": []}
    verdict = judge(pdf, truth)
    assert (verdict.counts["empty_table_lost"], verdict.failures) == (1, 0)

    # a table that prints figures and that nothing records: a failure
    blank = {"code": None, "name": "合计", "item": None, "group": None, "budget_unit": None, "unit": "元"}
    truth["figures"].append({**blank, "table_type": "government_procurement", "measure": "total", "yuan": "0.00"})
    verdict = judge(pdf, truth)
    assert verdict.counts["table_missing"] == 1
    assert verdict.problems == [
        "seed 2: table_missing: government_procurement: printed, not among the document's tables"
    ]


def test_a_document_kind_given_overrides_the_seeds_and_leaves_its_other_choices():
    final = choose_spec(FINAL_ACCOUNTS_SEED)
    budget = choose_spec(FINAL_ACCOUNTS_SEED, document_kind="budget")

    assert (final.document_kind, budget.document_kind) == ("final_accounts", "budget")
    assert (budget.unit, budget.page, budget.wordings) == (final.unit, final.page, final.wordings)
    titles = [block.title for _, block in build_variant(FINAL_ACCOUNTS_SEED, document_kind="budget").tables]
    assert titles and not any("决算" in title for title in titles)


def test_a_variant_is_the_same_for_the_same_seed_and_its_truth_is_in_exact_yuan(tmp_path):
    first, again = build_variant(41), build_variant(41)
    assert first.spec == again.spec
    assert [t.rows for t, _ in first.tables] == [t.rows for t, _ in again.tables]

    pdf = write_variant(tmp_path, 41)
    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    assert truth["department"] == first.spec.department and truth["fiscal_year"] == first.spec.fiscal_year
    amounts = [Decimal(f["yuan"]) for f in truth["figures"]]
    assert all(a == a.quantize(Decimal("0.01")) for a in amounts) and any(a % 1 for a in amounts)
    assert {t for t in truth["tables"]} == {t.table_type for t, _ in first.tables}


def test_figures_print_rounded_half_up_in_their_unit():
    assert printed(Decimal("22186440.80"), "万元") == Decimal("2218.64")
    assert printed(Decimal("22186450.00"), "万元") == Decimal("2218.65")
    assert printed(Decimal("1234.50"), "千元") == Decimal("1.23")
    assert printed(Decimal("1234.50"), "元") == Decimal("1234.50")


@pytest.mark.parametrize("field", ["unit", "edition", "codes", "three_public", "document_kind"])
def test_seeds_cover_every_choice(field):
    """The 200 seeds of the main test print every unit, edition, code layout, kind of “三公” table and document
    kind."""
    values = {getattr(choose_spec(seed), field) for seed in seeds()}
    expected = {
        "unit": {"元", "千元", "万元"},
        "edition": {"department", "unit"},
        "codes": {"joined", "split"},
        "three_public": {"plain", "combined", "prior_blocks", "budget_and_actual"},
        "document_kind": {"budget", "final_accounts"},
    }[field]
    assert values == expected


def test_the_final_accounts_among_the_seeds_cover_every_final_accounts_layout():
    final = [spec for spec in map(choose_spec, seeds()) if spec.document_kind == "final_accounts"]
    assert {s.final_accounts_summaries for s in final} == {"totals", "by_function"}
    assert {s.final_accounts_economic for s in final if "basic_economic_general_public" not in s.missing} == {
        "one_block",
        "two_blocks",
    }
    assert {s.codes for s in final} == {"joined", "split"} and {s.edition for s in final} == {"department"}


def test_seeds_cover_every_page_style():
    styles = [choose_spec(seed).page for seed in seeds()]
    assert {s.borders for s in styles} == {"lines", "rects", "hrules"}
    assert {s.pagination for s in styles} == {"repeat", "bare", "flow"}
    assert {s.orientation for s in styles} == {"portrait", "landscape"}
