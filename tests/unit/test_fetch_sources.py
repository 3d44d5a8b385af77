"""sources.yaml: defaults, validation with one-line reasons, and the names saved files get."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.fetch.naming import saved_path
from orchestration.fetch.sources import SourcesError, load_sources
from orchestration.settings import PROJECT_ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_sources_file_has_no_live_source():
    assert load_sources(PROJECT_ROOT / "sources.yaml") == []


def test_defaults_follow_the_issue(tmp_path):
    (source,) = load_sources(
        write(tmp_path, "sources:\n  - name: js\n    start_urls: [https://czt.example.cn/list.html]\n")
    )
    assert source.max_depth == 2
    assert source.max_bytes == 100 * 1024 * 1024
    assert source.min_interval_s == 1.0
    assert source.allowed_hosts == {"czt.example.cn"}
    assert source.allows_host("https://CZT.example.cn/a.pdf")
    assert not source.allows_host("https://evil.example/a.pdf")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("  - start_urls: [http://a.example/]", "`name` must be lowercase"),
        (
            "  - name: x\n    start_urls: [ftp://a.example/list]",
            "start URL 'ftp://a.example/list' is not an http(s) URL",
        ),
        ("  - name: x\n    start_urls: []", "`start_urls` must be a non-empty list"),
        ("  - name: x\n    start_urls: [http://a.example/]\n    max_deep: 3", "unknown field(s) max_deep"),
        ("  - name: x\n    start_urls: [http://a.example/]\n    max_bytes: -1", "`max_bytes` must be at least 1"),
        ("  - name: x\n    start_urls: [http://a.example/]\n    max_depth: two", "`max_depth` must be an integer"),
        ("  - name: x\n    start_urls: [http://a.example/]\n    pdf_pattern: '(['", "`pdf_pattern` is not a valid"),
        (
            "  - name: x\n    start_urls: [http://a.example/]\n  - name: x\n    start_urls: [http://b.example/]",
            "unique: x",
        ),
    ],
)
def test_an_invalid_entry_is_named_with_its_field(tmp_path, entry, message):
    with pytest.raises(SourcesError) as error:
        load_sources(write(tmp_path, f"sources:\n{entry}\n"))
    assert message in str(error.value)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(SourcesError, match="sources file not found"):
        load_sources(tmp_path / "nope.yaml")


def test_a_saved_name_comes_from_the_url_and_never_escapes_the_source_folder():
    sha = "ab" * 32
    path = saved_path("js", "http://h.example/a/../../etc/passwd.PDF?id=3&x=/..", sha)
    assert path.parts[:2] == ("fetched", "js")
    assert len(path.parts) == 3
    assert ".." not in path.name
    assert path.name == f"h.example_a_etc_passwd_id_3_x-{sha[:12]}.pdf"


def test_a_chinese_file_name_stays_readable():
    sha = "cd" * 32
    url = "https://czt.example.cn/art/2019/%E9%83%A8%E9%97%A8%E9%A2%84%E7%AE%97.pdf"
    assert saved_path("js", url, sha).name == f"czt.example.cn_art_2019_部门预算-{sha[:12]}.pdf"
