"""The benchmark's arithmetic: medians, the issue's ratios and verdicts, and the per-repetition spread."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import report  # noqa: E402


def repetition(baseline_loop: float, window: float, cold: float, incremental: float) -> dict:
    pipeline = {"rss_max_single_mib": 300.0, "rss_tree_peak_mib": 900.0}
    return {
        "baseline": {"wall_seconds": 20.0, "loop_seconds": baseline_loop, "pages": 300, "rss_max_single_mib": 130.0},
        "cold": pipeline | {"wall_seconds": cold, "pages": 300, "extract_window_seconds": window},
        "cold_half": pipeline | {"wall_seconds": cold - 4, "rss_tree_peak_mib": 850.0},
        "noop": pipeline | {"wall_seconds": 6.0},
        "incremental": pipeline | {"wall_seconds": incremental},
        "incremental_prep": pipeline | {"wall_seconds": cold - 1},
    }


def test_verdicts_use_the_ratio_of_medians_and_the_spread_is_shown_per_repetition():
    reps = [repetition(20.0, 8.0, 25.0, 15.0), repetition(24.0, 6.0, 30.0, 12.0), repetition(18.0, 9.0, 20.0, 9.0)]
    medians = report.medians(reps)
    ratios = report.ratios(medians)
    # medians: loop 20 s, window 8 s -> 2.5x; incremental 12 / cold 25
    assert ratios["extraction_vs_baseline_pages_per_s"] == 2.5
    assert ratios["incremental_vs_cold_wall"] == 0.48
    verdicts = {v["key"]: v["verdict"] for v in report.verdicts(ratios)}
    assert verdicts["extraction_vs_baseline_pages_per_s"] == "PASS"
    assert verdicts["incremental_vs_cold_wall"] == "PASS"
    assert verdicts["rss_half_vs_whole_apart"] == "PASS"  # 850 vs 900: 6 % apart
    per_rep = [report.ratios(rep) for rep in reps]
    assert [r["incremental_vs_cold_wall"] for r in per_rep] == [0.6, 0.4, 0.45]
    text = report.render(
        {
            "corpus": {"files": 3, "pages": 300},
            "repeat": 3,
            "machine": {"cores": 2, "memory_gib": 24, "python": "3.11", "git_commit": "x", "git_dirty_files": 0},
            "medians": medians,
            "ratios": ratios,
            "verdicts": report.verdicts(ratios),
            "ratios_per_repetition": per_rep,
        }
    )
    line = next(ln for ln in text.splitlines() if ln.startswith("incremental wall vs cold wall"))
    assert line.split()[-9:] == ["0.48", "<=", "0.5", "PASS", "0.60", "/", "0.40", "/", "0.45"]


def test_a_verdict_that_single_repetitions_contradict_is_noted_as_noise():
    # incremental per repetition 0.6 / 0.4 / 0.45, 0.48 on the medians: PASS, one repetition alone fails
    reps = [repetition(20.0, 8.0, 25.0, 15.0), repetition(24.0, 6.0, 30.0, 12.0), repetition(18.0, 9.0, 20.0, 9.0)]
    notes = report.noise_notes(report.ratios(report.medians(reps)), [report.ratios(rep) for rep in reps])
    incremental = [n for n in notes if n.startswith("incremental wall vs cold wall")]
    assert incremental == [
        "incremental wall vs cold wall: PASS on the ratio of the medians, yet 1 of 3 repetitions alone miss "
        "<= 0.5 (0.60 / 0.40 / 0.45): the verdict is within this run's noise"
    ]
    # every repetition agrees with the verdict: no note
    steady = [repetition(20.0, 8.0, 25.0, 10.0)] * 3
    assert report.noise_notes(report.ratios(report.medians(steady)), [report.ratios(rep) for rep in steady]) == []
