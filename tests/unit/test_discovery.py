from pathlib import Path

import pytest

from orchestration.ingest.discovery import lookup, partition_key_for, scan_raw_dir


def write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_identical_content_under_two_names_is_one_document(tmp_path):
    raw = tmp_path / "raw"
    write(raw / "a" / "预算 2019 (final).pdf", b"%PDF-1.4 same")
    write(raw / "b" / "copy.PDF", b"%PDF-1.4 same")
    write(raw / "other.pdf", b"%PDF-1.4 other")
    write(raw / "notes.txt", b"ignored")

    documents = scan_raw_dir(raw, tmp_path / "state")

    assert len(documents) == 2
    same = next(d for d in documents if len(d.paths) == 2)
    assert same.paths == ["a/预算 2019 (final).pdf", "b/copy.PDF"]
    assert same.source_file == "a/预算 2019 (final).pdf"


def test_partition_key_is_readable_and_follows_content(tmp_path):
    sha = "ab" * 32
    key = partition_key_for(sha, "jiangsu/江苏省委办公厅/2019年 预算,表[1].pdf")
    assert key == "2019年_预算_表_1-abababab" + "ab"
    assert ",[" not in key


def test_index_maps_partition_keys_back_to_files(tmp_path):
    raw = tmp_path / "raw"
    write(raw / "x.pdf", b"%PDF-1.4 x")
    [document] = scan_raw_dir(raw, tmp_path / "state")
    found = lookup(tmp_path / "state", document.partition_key)
    assert found is not None and found.paths == ["x.pdf"] and found.sha256 == document.sha256
    assert lookup(tmp_path / "state", "missing-0000000000") is None


def test_changed_content_gets_a_new_key(tmp_path):
    raw = tmp_path / "raw"
    path = write(raw / "x.pdf", b"%PDF-1.4 version 1")
    [first] = scan_raw_dir(raw, tmp_path / "state")
    path.write_bytes(b"%PDF-1.4 version 2, revised")
    [second] = scan_raw_dir(raw, tmp_path / "state")
    assert first.partition_key != second.partition_key


def test_missing_raw_dir_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="raw dir does not exist"):
        scan_raw_dir(tmp_path / "nope")


def test_a_copy_added_later_does_not_change_the_documents_key(tmp_path):
    raw = tmp_path / "raw"
    write(raw / "b.pdf", b"%PDF-1.4 same")
    [before] = scan_raw_dir(raw, tmp_path / "state")
    write(raw / "a-copy.pdf", b"%PDF-1.4 same")
    [after] = scan_raw_dir(raw, tmp_path / "state")
    assert after.partition_key == before.partition_key
    assert after.paths == ["a-copy.pdf", "b.pdf"]
