import duckdb
import pandas as pd

from orchestration.warehouse.landing import EMPTY_SCHEMA_FILE, ensure_schema_files, write_document


def read(landing, table):
    return duckdb.sql(
        f"select * from read_parquet('{landing}/{table}/*.parquet', union_by_name=true) order by all"
    ).df()


def test_empty_schema_files_keep_dbt_globs_valid(tmp_path):
    ensure_schema_files(tmp_path, ["documents", "overall"])
    assert (tmp_path / "overall" / EMPTY_SCHEMA_FILE).exists()
    assert len(read(tmp_path, "overall")) == 0
    columns = duckdb.sql(f"describe select * from '{tmp_path}/documents/{EMPTY_SCHEMA_FILE}'").df()
    assert dict(zip(columns.column_name, columns.column_type))["fiscal_year"] == "INTEGER"


def test_document_rows_round_trip_with_types_and_nulls(tmp_path):
    lines = pd.DataFrame(
        [
            {"partition_key": "k", "source_page": 3, "code": "2010301", "amount": 3149.0, "measure": "total"},
            {"partition_key": "k", "source_page": 3, "code": None, "amount": None, "measure": "basic"},
        ]
    )
    documents = pd.DataFrame([{"partition_key": "k", "fiscal_year": 2022, "status": "loaded"}])
    write_document(tmp_path, "k", {"function_general_public": lines, "documents": documents})

    landed = read(tmp_path, "function_general_public")
    assert landed["amount"].tolist()[0] == 3149.0
    assert landed["code"].isna().sum() == 1
    assert read(tmp_path, "documents")["fiscal_year"].tolist() == [2022]
    assert not list(tmp_path.rglob("*.tmp.parquet"))


def test_rewriting_a_document_replaces_its_file(tmp_path):
    for year in (2018, 2019):
        write_document(tmp_path, "k", {"documents": pd.DataFrame([{"partition_key": "k", "fiscal_year": year}])})
    assert read(tmp_path, "documents")["fiscal_year"].tolist() == [2019]
