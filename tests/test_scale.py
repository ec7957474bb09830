"""Scaling out: the per-document step in worker processes, separate parse and commit batches, the entities
table in Arrow, incremental runs that read only what changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.run import run
from pipeline.store import Store

from .conftest import CORPUS, DEV, ROOT, write

# columns that differ between two runs of the same corpus by construction
VOLATILE = {"documents": ["processed_at"], "runs": None, "rejects": ["run_id"]}
TABLES = ("documents", "sentences", "mentions", "events", "claims", "entities", "happenings", "happening_links",
          "rejects")


def small_corpus(dest: Path) -> Path:
    """The three seed articles and five development articles."""
    shutil.copytree(CORPUS, dest)
    for name in sorted(os.listdir(DEV / "corpus"))[:5]:
        shutil.copy(DEV / "corpus" / name, dest / name)
    return dest


def frames(out: Path) -> dict[str, pd.DataFrame]:
    got = {}
    for table in TABLES:
        df = pd.read_parquet(out / table)
        df = df.drop(columns=[c for c in VOLATILE.get(table) or [] if c in df.columns])
        got[table] = df.reset_index(drop=True)
    return got


def assert_same_tables(a: Path, b: Path) -> None:
    fa, fb = frames(a), frames(b)
    for table in TABLES:
        pd.testing.assert_frame_equal(fa[table], fb[table], obj=table)


@pytest.fixture(scope="module")
def corpus8(tmp_path_factory) -> Path:
    return small_corpus(tmp_path_factory.mktemp("scale") / "corpus")


@pytest.fixture(scope="module")
def local_out(tmp_path_factory, corpus8, extractor, config) -> Path:
    """The local engine's tables of the small corpus with one worker (compared with every other engine)."""
    out = tmp_path_factory.mktemp("scale-local") / "out"
    run(corpus8, out, config, workers=1, extractor=extractor, progress=False)
    return out


def test_one_and_two_workers_give_the_same_tables(local_out, corpus8, tmp_path, extractor, config):
    out = tmp_path / "out2"
    res = run(corpus8, out, config, workers=2, extractor=extractor, progress=False)
    assert res.processed == 8 and len(res.worker_peak_mb) == 2
    assert_same_tables(local_out, out)


def test_workers_load_their_own_extractor_and_report_start_up(corpus8, tmp_path, config):
    """Without an extractor in the parent, each worker builds one, once, and says how long it took."""
    out = tmp_path / "out"
    res = run(corpus8, out, config, workers=2, progress=False)
    assert res.processed == 8
    assert 1 <= len(res.worker_load_s) <= 2 and all(0 < s < 120 for s in res.worker_load_s.values())
    assert os.getpid() not in res.worker_peak_mb


def test_a_failing_article_in_a_worker_is_a_reject(corpus8, tmp_path, extractor, config, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus8, corpus)
    write(corpus / "bad.txt", "This article makes the extractor fail on purpose.")
    real = extractor.extract

    def flaky(doc, art, fingerprint):
        if art.path == "bad.txt":
            raise RuntimeError("boom")
        return real(doc, art, fingerprint)
    monkeypatch.setattr(extractor, "extract", flaky)
    res = run(corpus, tmp_path / "out", config, workers=2, extractor=extractor, progress=False)
    assert [r.path for r in res.failed] == ["bad.txt"] and res.processed == 8
    rejects = pd.read_parquet(tmp_path / "out" / "rejects").set_index("path").reason
    assert rejects["bad.txt"].startswith("[E115] extraction failed (RuntimeError: boom)")


def test_entity_table_is_the_entity_rows_of_the_mentions(local_out, extractor):
    from pipeline.entities import entity_rows
    from pipeline.entity_table import ENTITY_COLUMNS, entity_table
    from pipeline.schemas import to_table

    mentions = Store(local_out).read("mentions")
    assert mentions.num_rows > 100
    want = to_table("entities", entity_rows(mentions.to_pylist(), extractor.aliases, extractor.linker.place_of))
    got = entity_table(mentions.select(ENTITY_COLUMNS), extractor.aliases, extractor.linker.place_of)
    assert got.equals(want)
    # ties of name and type go to the first seen, as Counter.most_common decides; empty in, empty out
    rows = [{"doc_id": d, "text": t, "entity_type": ty, "entity_id": "e", "canonical_name": n}
            for d, t, ty, n in [("a", "X", "group", "B"), ("b", "Y", "person", "A"), ("a", "X", "person", "A"),
                                ("c", "Z", "group", "B")]]
    from pipeline.schemas import ALL_TABLES
    import pyarrow as pa
    m = pa.Table.from_pylist([{**r, "sent_idx": 0} for r in rows]).select(ENTITY_COLUMNS)
    assert entity_table(m).to_pylist() == to_table("entities", entity_rows(rows)).to_pylist()
    assert entity_table(ALL_TABLES["mentions"].empty_table()).num_rows == 0


def test_run_section_is_checked_strictly(tmp_path):
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    cfg = tmp_path / "configs" / "pipeline.yaml"
    for text, key in (("run:\n  parse_batch: 0\n", "run.parse_batch"), ("run:\n  commit_batch: many\n", "run.commit_batch"),
                      ("run:\n  parse_bacth: 8\n", "run.parse_bacth"), ("run:\n  dask_read: maybe\n", "run.dask_read"),
                      ("run:\n  batch_size: -1\n", "run.batch_size")):
        cfg.write_text(text)
        with pytest.raises(PipelineError, match=rf"\[E002\].*'{key}'"):
            load_config(cfg)
    cfg.write_text("run:\n  batch_size: 4\n  commit_batch: 16\n")       # the older single setting
    run_section = load_config(cfg).section("run")
    assert (run_section["parse_batch"], run_section["commit_batch"]) == (4, 16) and "batch_size" not in run_section


def test_default_workers_is_the_number_of_cores():
    from pipeline.engine import default_workers

    assert default_workers() == len(os.sched_getaffinity(0))
    assert "WORKERS ?= 1" not in (ROOT / "Makefile").read_text()


def test_entities_updated_incrementally_are_those_of_a_rebuild(local_out, corpus8, tmp_path, extractor, config):
    """After adding and removing articles, the entities table (geography reused from the previous table and
    from the workers) is what entity_rows makes of all the mentions."""
    from pipeline.entities import entity_rows
    from pipeline.schemas import to_table

    out, corpus = tmp_path / "out", tmp_path / "corpus"
    shutil.copytree(local_out, out, symlinks=True)
    shutil.copytree(corpus8, corpus)
    for name in sorted(os.listdir(DEV / "corpus"))[5:7]:
        shutil.copy(DEV / "corpus" / name, corpus / name)
    (corpus / sorted(p.name for p in corpus.glob("*.md"))[0]).unlink()
    res = run(corpus, out, config, workers=1, progress=False)         # no extractor here: the workers load theirs
    assert len(res.plan.added) == 2 and len(res.plan.removed) == 1
    mentions = Store(out).read("mentions").to_pylist()
    want = to_table("entities", entity_rows(mentions, extractor.aliases, extractor.linker.place_of))
    assert Store(out).read("entities").equals(want)


def test_unchanged_files_are_not_read_again(tmp_path, extractor, config, monkeypatch):
    import pipeline.ingest as ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in sorted(os.listdir(DEV / "corpus"))[:3]:
        shutil.copy(DEV / "corpus" / name, corpus / name)
    shutil.copytree(CORPUS, corpus / "seeds")                    # a folder with a metadata.csv: always read
    out = tmp_path / "out"
    run(corpus, out, config, workers=1, extractor=extractor, progress=False)
    docs = pd.read_parquet(out / "documents").set_index("path")
    st = (corpus / "d01.md").stat()
    assert (docs.loc["d01.md", "file_size"], docs.loc["d01.md", "file_mtime_ns"]) == (st.st_size, st.st_mtime_ns)
    reads: list[str] = []
    real = ingest.read_entry
    monkeypatch.setattr(ingest, "read_entry", lambda entry, *a: reads.append(entry.rel) or real(entry, *a))
    res = run(corpus, out, config, workers=1, extractor=extractor, progress=False)
    assert res.plan.to_process == [] and len(res.plan.unchanged) == 6
    assert sorted(reads) == sorted(f"seeds/{p.name}" for p in CORPUS.glob("*.txt"))
    # a changed file is read (and reprocessed), and so is a new copy of an unread file's text, which is a duplicate
    reads.clear()
    text = (corpus / "d02.md").read_text(encoding="utf-8")
    (corpus / "d02.md").write_text(text.replace("---\n", "---\nauthor: Someone Else\n", 1), encoding="utf-8")
    shutil.copy(corpus / "d03.md", corpus / "z_copy.md")
    res = run(corpus, out, config, workers=1, extractor=extractor, progress=False)
    assert [a.path for a in res.plan.changed] == ["d02.md"] and res.plan.added == []
    assert "d01.md" not in reads and {"d02.md", "d03.md", "z_copy.md"} <= set(reads)
    assert [r.path for r in res.plan.rejects] == ["z_copy.md"] and res.plan.rejects[0].reason.startswith("[E109]")


def test_a_touched_file_is_read_once_and_its_new_time_recorded(tmp_path, extractor, config, monkeypatch):
    import pipeline.ingest as ingest

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    for name in sorted(os.listdir(DEV / "corpus"))[:3]:
        shutil.copy(DEV / "corpus" / name, corpus / name)
    run(corpus, out, config, workers=1, extractor=extractor, progress=False)
    before = pd.read_parquet(out / "documents")
    os.utime(corpus / "d02.md", ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    reads: list[str] = []
    real = ingest.read_entry
    monkeypatch.setattr(ingest, "read_entry", lambda entry, *a: reads.append(entry.rel) or real(entry, *a))
    res = run(corpus, out, config, workers=1, extractor=extractor, progress=False)
    assert reads == ["d02.md"] and res.plan.to_process == []
    after = pd.read_parquet(out / "documents")
    assert list(after.path) == list(before.path)                       # rows keep their order
    assert after.set_index("path").file_mtime_ns["d02.md"] == 1_700_000_000_000_000_000
    pd.testing.assert_frame_equal(after.drop(columns="file_mtime_ns"), before.drop(columns="file_mtime_ns"))
    reads.clear()
    run(corpus, out, config, workers=1, extractor=extractor, progress=False)
    assert reads == []


def test_a_worker_that_dies_costs_only_the_article_it_died_on(corpus8, tmp_path, extractor, config, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus8, corpus)
    write(corpus / "crash.txt", "This article makes the worker process die on purpose.")
    real = extractor.extract

    def deadly(doc, art, fingerprint):
        if art.path == "crash.txt":
            os._exit(3)                               # as a segfault in the model or the OOM killer would
        return real(doc, art, fingerprint)
    monkeypatch.setattr(extractor, "extract", deadly)
    res = run(corpus, tmp_path / "out", config, workers=2, extractor=extractor, progress=False)
    assert [r.path for r in res.failed] == ["crash.txt"] and res.processed == 8
    assert 0 not in res.worker_peak_mb
    rejects = pd.read_parquet(tmp_path / "out" / "rejects").set_index("path").reason
    assert rejects["crash.txt"].startswith("[E115] extraction failed (WorkerDied:")
    assert len(pd.read_parquet(tmp_path / "out" / "documents")) == 8


def test_loading_the_settings_and_rule_files_does_not_import_spacy():
    # a no-op re-run loads the settings and checks the rule files but parses nothing: importing spaCy (about
    # 1.7 s) would be most of its cost
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from pipeline.config import load_config; "
            "load_config(Path('configs/pipeline.yaml')); print('spacy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.strip().splitlines()[-1] == "False"
