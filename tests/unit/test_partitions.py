"""Registering document partitions while another process registers the same ones."""

from __future__ import annotations

import dagster as dg
import pytest
from dagster._core.storage.event_log.schema import DynamicPartitionsTable
from sqlalchemy.exc import IntegrityError

from orchestration.defs.partitions import document_partitions, register_documents


def lose_the_race_once(instance: dg.DagsterInstance, monkeypatch) -> None:
    """The first add inserts as if its existence check ran before another process inserted the same key."""
    storage = instance.event_log_storage
    real_add = storage.add_dynamic_partitions

    def insert_unchecked(name, keys):
        monkeypatch.setattr(storage, "add_dynamic_partitions", real_add)
        with storage.index_connection() as conn:
            conn.execute(DynamicPartitionsTable.insert(), [{"partitions_def_name": name, "partition": k} for k in keys])

    monkeypatch.setattr(storage, "add_dynamic_partitions", insert_unchecked)


@pytest.fixture()
def instance(tmp_path):
    """SQLite storage, as in a Dagster home."""
    with dg.DagsterInstance.local_temp(str(tmp_path)) as instance:
        yield instance


def test_a_document_registered_by_another_process_meanwhile_is_not_an_error(instance, monkeypatch):
    instance.add_dynamic_partitions(document_partitions.name, ["a-11"])  # the other process's insert
    lose_the_race_once(instance, monkeypatch)

    register_documents(instance, ["a-11", "b-22"])

    assert sorted(instance.get_dynamic_partitions(document_partitions.name)) == ["a-11", "b-22"]


def test_the_race_breaks_dagsters_own_add(instance, monkeypatch):
    instance.add_dynamic_partitions(document_partitions.name, ["a-11"])
    lose_the_race_once(instance, monkeypatch)

    with pytest.raises(IntegrityError, match="UNIQUE constraint failed"):
        instance.add_dynamic_partitions(document_partitions.name, ["a-11", "b-22"])
