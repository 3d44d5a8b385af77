"""The runner's choice of runs: one run extracts and builds; a failed extraction still gets its build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import dagster as dg
import duckdb
import pytest

from orchestration.runner import run_pipeline
from orchestration.samples import write_samples
from orchestration.settings import Paths


@pytest.fixture()
def sample_paths(tmp_path, monkeypatch):
    for name in ("BUDGET_RAW_DIR", "BUDGET_WAREHOUSE", "BUDGET_LANDING_DIR"):
        monkeypatch.setenv(name, "")  # run_pipeline exports the paths; monkeypatch puts the old values back
    write_samples(tmp_path / "raw")
    return Paths(raw_dir=tmp_path / "raw", warehouse=tmp_path / "warehouse" / "budget.duckdb")


def job_names(instance: dg.DagsterInstance, run_ids: list[str]) -> list[str]:
    return [instance.get_run_by_id(run_id).job_name for run_id in run_ids]


def run_in_fresh_interpreter(*lines: str) -> str:
    """What a script prints, run by a new interpreter: nothing imported by other tests is loaded there."""
    out = subprocess.run([sys.executable, "-c", "\n".join(lines)], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_new_documents_are_extracted_and_built_in_one_run(sample_paths):
    instance = dg.DagsterInstance.ephemeral()
    result = run_pipeline(sample_paths, instance)
    assert result.extract_succeeded and result.warehouse_built and result.warehouse_rebuilt
    assert job_names(instance, result.run_ids) == ["ingest_and_build_job"]
    with duckdb.connect(str(sample_paths.warehouse), read_only=True) as con:
        loaded = con.execute("select count(*) from ops.documents where status = 'loaded'").fetchone()[0]
    assert loaded == len(result.documents)

    again = run_pipeline(sample_paths, instance)
    assert again.run_ids == [] and not again.warehouse_rebuilt


def test_a_run_with_nothing_new_does_not_import_dbt_or_the_extraction_code(sample_paths):
    run_pipeline(sample_paths, dg.DagsterInstance.ephemeral())
    printed = run_in_fresh_interpreter(
        "import sys; from pathlib import Path; from orchestration.runner import run_pipeline",
        "from orchestration.settings import Paths",
        f"result = run_pipeline(Paths(raw_dir=Path({str(sample_paths.raw_dir)!r}),"
        f" warehouse=Path({str(sample_paths.warehouse)!r})))",
        "heavy = ['dagster_dbt', 'dbt', 'pdfplumber', 'pypdfium2', 'pandera', 'orchestration.definitions']",
        "print(result.run_ids, result.warehouse_rebuilt, [m for m in heavy if m in sys.modules])",
    )
    assert printed == "[] False []"


def test_the_cli_freezes_its_start_up_heap_once_the_code_location_is_loaded(sample_paths):
    # gc.get_objects() lists what the collector tracks; frozen objects are not among them
    printed = run_in_fresh_interpreter(
        "import gc",
        "from orchestration.cli import main",
        f"code = main(['run', '--raw-dir', {str(sample_paths.raw_dir)!r},"
        f" '--warehouse', {str(sample_paths.warehouse)!r}])",
        "from orchestration.definitions import defs",
        "tracked = any(o is defs for o in gc.get_objects())",
        "print('collector:', code, gc.isenabled(), gc.get_freeze_count() > 100_000, tracked)",
    )
    assert printed.splitlines()[-1] == "collector: 0 True True False"


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: a single worker, in the run process")
def test_the_cli_forks_extraction_workers_before_it_imports_dbt_and_the_code_location():
    # as many documents as cores: extraction workers, no warm dbt child
    printed = run_in_fresh_interpreter(
        "import gc, os, sys",
        "from contextlib import ExitStack",
        "from orchestration.ingest.workers import take_preforked_workers",
        "from orchestration.runner import _fork_helpers",
        "def loaded(name):",
        "    return name in sys.modules",
        "gc.disable()  # as the CLI forks them: the workers collect their own garbage all the same",
        "with ExitStack() as helpers:",
        "    _fork_helpers(helpers, os.cpu_count())",
        "    import orchestration.definitions",
        "    pool = take_preforked_workers()",
        "    with pool:",
        "        names = ['orchestration.extraction.extract', 'dagster_dbt', 'orchestration.definitions']",
        "        print([pool.submit(loaded, name).result() for name in names], take_preforked_workers(),",
        "              pool.submit(gc.isenabled).result())",
    )
    assert printed == "[True, False, False] None True"


def test_a_one_document_run_forks_dbt_warm_and_never_imports_dbt():
    # one document, fewer than cores: the warm dbt child imports dbt itself; dagster-dbt is imported without it
    printed = run_in_fresh_interpreter(
        "import sys",
        "from contextlib import ExitStack",
        "from orchestration.defs.dbt_fork import take_warm_child",
        "from orchestration.runner import _fork_helpers",
        "from orchestration.settings import DBT_PROJECT_DIR",
        "with ExitStack() as helpers:",
        "    _fork_helpers(helpers, 1)",
        "    before = ['dagster_dbt' in sys.modules, 'dbt' in sys.modules]",
        "    import orchestration.definitions",
        "    child = take_warm_child(DBT_PROJECT_DIR)",
        "    print(before, ['dagster_dbt' in sys.modules, 'dbt' in sys.modules], child is not None)",
        "    child.discard()",
    )
    assert printed == "[False, False] [True, False] True"


def test_a_warm_dbt_child_is_forked_once_even_if_the_cli_forked_it_already():
    printed = run_in_fresh_interpreter(
        "from contextlib import ExitStack",
        "from orchestration.defs import dbt_fork",
        "from orchestration.defs.dbt_parse_state import SAVED_PARSE",
        "from orchestration.runner import _fork_helpers",
        "from orchestration.settings import DBT_PROJECT_DIR",
        "saved_parse = DBT_PROJECT_DIR / 'target' / SAVED_PARSE",
        "with dbt_fork.warm_dbt_child(DBT_PROJECT_DIR, DBT_PROJECT_DIR, saved_parse) as cli:",
        "    with ExitStack() as helpers:",
        "        _fork_helpers(helpers, 1)",
        "        print(dbt_fork.take_warm_child(DBT_PROJECT_DIR) is cli)",
        "    cli.discard()",
    )
    assert printed == "True"


def test_a_failed_extraction_still_builds_the_warehouse_in_a_run_of_its_own(sample_paths, monkeypatch):
    import orchestration.defs.extract as extract
    import orchestration.runner as runner
    from orchestration.ingest.workers import take_preforked_workers

    def broken_pool(*args, **kwargs):
        raise RuntimeError("the worker pool died")

    monkeypatch.setattr(extract, "run_documents", broken_pool)
    discarded = []
    monkeypatch.setattr(runner, "discard_preforked_workers", lambda: discarded.append(take_preforked_workers()))
    instance = dg.DagsterInstance.ephemeral()
    result = run_pipeline(sample_paths, instance)
    assert not result.extract_succeeded
    # the workers forked for the run were stopped before the build of its own forked dbt's child
    assert len(discarded) == 1 and (discarded[0] is not None) == ((os.cpu_count() or 1) > 1)
    assert result.warehouse_built, result.warehouse_error
    assert job_names(instance, result.run_ids) == ["ingest_and_build_job", "build_warehouse_job"]
    with duckdb.connect(str(sample_paths.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_budget_summary").fetchone()[0] == 0


def test_one_new_document_builds_with_a_dbt_child_warmed_while_it_was_extracted(sample_paths, tmp_path):
    instance = dg.DagsterInstance.ephemeral()
    held_back = tmp_path / "held_back.pdf"
    last = sorted(sample_paths.raw_dir.rglob("*.pdf"))[-1]
    last.rename(held_back)
    first = run_pipeline(sample_paths, instance)
    held_back.rename(last)

    result = run_pipeline(sample_paths, instance)

    assert result.warehouse_built and job_names(instance, result.run_ids) == ["ingest_and_build_job"]
    messages = [event.user_message for event in instance.all_logs(result.run_ids[0])]
    assert any("Running dbt command in a pre-forked process" in m for m in messages)
    assert not any("pre-forked" in event.user_message for event in instance.all_logs(first.run_ids[0]))
    built = instance.get_records_for_run(result.run_ids[0], of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    keys = [r.event_log_entry.asset_materialization.asset_key for r in built.records]
    dbt_keys = [key for key in keys if key.path[0] not in ("landing", "reports")]
    assert len(dbt_keys) == len(set(dbt_keys)) == 38  # 37 models and the seed, each once
    assert keys.count(dg.AssetKey(["reports", "analyst_report"])) == 1  # then the report, once
    with duckdb.connect(str(sample_paths.warehouse), read_only=True) as con:
        loaded = con.execute("select count(*) from ops.documents where status = 'loaded'").fetchone()[0]
    assert loaded == len(result.documents)


def test_a_warm_dbt_child_that_is_never_used_exits_with_the_block():
    from orchestration.defs.dbt_fork import take_warm_child, warm_dbt_child
    from orchestration.defs.dbt_parse_state import SAVED_PARSE
    from orchestration.settings import DBT_PROJECT_DIR

    with warm_dbt_child(DBT_PROJECT_DIR, DBT_PROJECT_DIR, DBT_PROJECT_DIR / "target" / SAVED_PARSE) as child:
        os.kill(child.pid, 0)  # alive, warming up or waiting for a command
    assert take_warm_child(DBT_PROJECT_DIR) is None
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # exited and reaped by the block


def test_an_unused_warm_dbt_child_exits_while_a_process_forked_after_it_holds_its_command_pipe():
    # the CLI forks dbt's child first; the extraction workers forked later inherit its command pipe
    from orchestration.defs.dbt_fork import warm_dbt_child
    from orchestration.defs.dbt_parse_state import SAVED_PARSE
    from orchestration.settings import DBT_PROJECT_DIR

    with warm_dbt_child(DBT_PROJECT_DIR, DBT_PROJECT_DIR, DBT_PROJECT_DIR / "target" / SAVED_PARSE) as child:
        holder = os.fork()
        if holder == 0:  # pragma: no cover - the holder only keeps the inherited pipe open
            time.sleep(60)
            os._exit(0)
    try:
        with pytest.raises(ChildProcessError):
            os.waitpid(child.pid, os.WNOHANG)  # exited and reaped by the block, the holder still alive
        assert os.waitpid(holder, os.WNOHANG) == (0, 0)
    finally:
        os.kill(holder, signal.SIGKILL)
        os.waitpid(holder, 0)
