"""One partition per distinct PDF content (see ingest.discovery.partition_key_for)."""

import dagster as dg

document_partitions = dg.DynamicPartitionsDefinition(name="documents")
