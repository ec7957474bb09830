"""The store's transactions, and the docs generated from the schemas."""

from __future__ import annotations

import pandas as pd

from pipeline.schemas import data_dictionary, to_table
from pipeline.store import Store

from .conftest import ROOT


def sentence(doc_id, i):
    return {"doc_id": doc_id, "sent_idx": i, "start_char": 0, "end_char": 1, "text": "x"}


def test_uncommitted_transaction_is_invisible(tmp_path):
    store = Store(tmp_path)
    with store.lock():
        txn = store.begin()
        txn.add("sentences", to_table("sentences", [sentence("a", 0)]))
        txn.commit()
        txn = store.begin()
        txn.add("sentences", to_table("sentences", [sentence("b", 0)]))
        # not committed: readers see the previous generation
        assert list(pd.read_parquet(tmp_path / "sentences").doc_id) == ["a"]
        txn.abort()
    assert list(store.read("sentences")["doc_id"].to_pylist()) == ["a"]


def test_drop_docs_rewrites_only_affected_rows(tmp_path):
    store = Store(tmp_path)
    with store.lock():
        txn = store.begin()
        txn.add("sentences", to_table("sentences", [sentence("a", 0), sentence("b", 0)]))
        txn.add("sentences", to_table("sentences", [sentence("c", 0)]))
        txn.commit()
        txn = store.begin()
        txn.drop_docs("sentences", {"b"})
        txn.commit()
    assert sorted(pd.read_parquet(tmp_path / "sentences").doc_id) == ["a", "c"]


def test_every_table_readable_when_empty(tmp_path):
    store = Store(tmp_path)
    with store.lock():
        store.begin().commit()
    for table in ("documents", "mentions", "events", "claims", "entities", "runs", "rejects"):
        assert len(pd.read_parquet(tmp_path / table)) == 0


def test_data_dictionary_is_generated_from_schemas():
    committed = (ROOT / "docs" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert committed == data_dictionary(), "run `make docs` to regenerate docs/DATA_DICTIONARY.md"


def test_many_commits_keep_few_part_files_and_the_rows_in_order(tmp_path):
    from pipeline.schemas import to_table

    store = Store(tmp_path / "out")
    with store.lock():
        for i in range(300):
            txn = store.begin()
            txn.add("sentences", to_table("sentences", [{"doc_id": f"d{i:04d}", "sent_idx": k, "text": "x" * 50}
                                                        for k in range(20)]))
            txn.merge_tail("sentences", fanout=4, base_bytes=1024)
            txn.commit()
    parts = sorted((tmp_path / "out" / "current" / "sentences").glob("part-*.parquet"))
    assert len(parts) <= 16
    got = store.read("sentences")
    assert got["doc_id"].to_pylist() == [f"d{i:04d}" for i in range(300) for _ in range(20)]


def test_a_part_written_before_a_column_existed_reads_it_as_null_also_when_merged(tmp_path):
    import pyarrow as pa

    store = Store(tmp_path)
    with store.lock():
        txn = store.begin()
        txn.add("sentences", pa.table({"doc_id": ["a"], "sent_idx": pa.array([0], pa.int32())}))  # an older part
        txn.add("sentences", to_table("sentences", [sentence("b", 0)]))
        got = txn.read("sentences").to_pylist()
        assert got[0]["doc_id"] == "a" and got[0]["text"] is None and got[1]["text"] == "x"
        txn.compact("sentences", 0)          # merged batch by batch
        assert len(txn.parts("sentences")) == 1 and txn.read("sentences").to_pylist() == got
        txn.commit()
