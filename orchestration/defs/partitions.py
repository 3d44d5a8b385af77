"""One partition per distinct PDF content (see ingest.discovery.partition_key_for)."""

from collections.abc import Sequence

import dagster as dg

document_partitions = dg.DynamicPartitionsDefinition(name="documents")

_REGISTRATION_ATTEMPTS = 3


def register_documents(instance: dg.DagsterInstance, partition_keys: Sequence[str]) -> None:
    """Add the documents' partitions, also when another process adds some of the same at that moment.

    Dagster reads which keys exist, then inserts the others: two processes registering one new file at
    once (two `budget-etl run`s on one Dagster home, or the CLI beside the daily rescan) both insert it,
    and the later insert breaks the table's unique index. The key is there then; the next attempt reads
    it as existing and adds only what is still missing.
    """
    from sqlalchemy.exc import IntegrityError  # Dagster's storage layer: loaded with the instance already

    for attempt in range(1, _REGISTRATION_ATTEMPTS + 1):
        try:
            instance.add_dynamic_partitions(document_partitions.name, partition_keys)
            return
        except IntegrityError:
            if attempt == _REGISTRATION_ATTEMPTS:
                raise
