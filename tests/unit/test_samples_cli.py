"""python -m orchestration.samples --departments N [--variants] [--seed S]: N fictional departments over the
generator's years; the default invocation (make run) is left as it was."""

from __future__ import annotations

import json

import pytest

from orchestration.samples.__main__ import main
from orchestration.samples.data import YEARS


def pdfs(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf"))


def test_departments_in_the_sample_template(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--departments", "3"]) == 0

    written = pdfs(tmp_path)
    departments = {path.split("/")[1] for path in written}
    assert len(departments) == 3 and all(path.startswith("jiangsu/") for path in written)
    for department in departments:  # every year of each; one of three publishes 文件 + 表格 files
        years = {y for y in YEARS for path in written if f"{department}{y}年度部门预算公开" in path}
        assert years == set(YEARS)
    assert capsys.readouterr().out.count(".pdf") == len(written)


def test_variants_carry_their_department_year_and_truth(tmp_path):
    assert main(["--out", str(tmp_path), "--departments", "2", "--variants", "--seed", "7"]) == 0

    written = sorted(tmp_path.rglob("*.pdf"))
    assert len(written) == 2 * len(YEARS)
    labels = set()
    for path in written:
        truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
        assert path.parent.name == truth["department"] and truth["document_kind"] == "budget"
        labels.add((truth["department"], truth["fiscal_year"]))
        assert truth["figures"] and {f["unit"] for f in truth["figures"]} <= {"元", "千元", "万元"}
    assert {year for _, year in labels} == set(YEARS) and len(labels) == 2 * len(YEARS)


def test_a_seed_gives_the_same_files_and_another_seed_others(tmp_path):
    for name, seed in (("a", "3"), ("b", "3"), ("c", "4")):
        main(["--out", str(tmp_path / name), "--departments", "1", "--variants", "--seed", seed])
    same = [(tmp_path / "a" / p).read_bytes() == (tmp_path / "b" / p).read_bytes() for p in pdfs(tmp_path / "a")]
    assert same and all(same)
    assert pdfs(tmp_path / "a") != pdfs(tmp_path / "c")


def test_variants_need_a_number_of_departments(tmp_path):
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), "--variants"])
