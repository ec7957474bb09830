"""End-to-end runs with the real model: segmentation, tables, incremental behaviour, locking, a killed run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.errors import PipelineError
from pipeline.run import run, status
from pipeline.store import Store

from .conftest import ROOT, write


def tables(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / name)


def test_seed_segmentation(extractor, seed_corpus, tmp_path, config):
    out = tmp_path / "out"
    result = run(seed_corpus, out, config, extractor=extractor, progress=False)
    docs = tables(out, "documents")
    sents = tables(out, "sentences")
    assert len(docs) == 3 and result.plan.rejects == []
    by_path = docs.set_index("path")
    assert by_path.loc["001_28d045d3ccd7b28e.txt", "published"].isoformat() == "2026-01-26"
    assert by_path.loc["000_1088ca81b7124148.txt", "published_source"] == "none"
    assert by_path.loc["000_1088ca81b7124148.txt", "title"] == "Pakistan and China: A Strained Alliance?"
    # offsets index into the stored text, sentences are in order and do not overlap
    texts = dict(zip(docs.doc_id, docs.text))
    for doc_id, group in sents.groupby("doc_id"):
        group = group.sort_values("sent_idx")
        assert list(group.sent_idx) == list(range(len(group)))
        assert (group.start_char.values[1:] >= group.end_char.values[:-1]).all()
        for r in group.itertuples():
            assert texts[doc_id][r.start_char:r.end_char] == r.text
    assert docs.set_index("doc_id").n_sentences.to_dict() == sents.groupby("doc_id").size().to_dict()
    seed2 = sents[sents.doc_id == by_path.loc["002_f751d3ebdb4aa832.txt", "doc_id"]].text.tolist()
    assert seed2[0].startswith("On March 12, 2025, the hijacking of the Jaffar Express")
    assert seed2[0].endswith("sent shockwaves through the region.")
    # the headline is a sentence of its own, not glued to the first paragraph
    seed0 = sents[sents.doc_id == by_path.loc["000_1088ca81b7124148.txt", "doc_id"]].text.tolist()
    assert seed0[0] == "Pakistan and China: A Strained Alliance?"


def test_incremental_add_edit_delete(extractor, seed_corpus, tmp_path, config):
    out = tmp_path / "out"
    run(seed_corpus, out, config, extractor=extractor, progress=False)
    before = {t: tables(out, t) for t in ("documents", "sentences")}

    # add: only the new article is processed, the other rows are identical
    write(seed_corpus / "new.md", "---\ntitle: New\npublished: 2024-05-01\n---\n"
          "Militants attacked a convoy in Gwadar on Monday. Two guards were injured.\n")
    plan = status(seed_corpus, out, config)
    assert [a.path for a in plan.added] == ["new.md"] and len(plan.unchanged) == 3
    res = run(seed_corpus, out, config, extractor=extractor, progress=False)
    assert len(res.plan.to_process) == 1
    docs = tables(out, "documents")
    assert len(docs) == 4
    for t in ("documents", "sentences"):
        now = tables(out, t)
        old_ids = set(before[t].doc_id)
        pd.testing.assert_frame_equal(
            now[now.doc_id.isin(old_ids)].sort_values(list(now.columns[:2])).reset_index(drop=True),
            before[t].sort_values(list(now.columns[:2])).reset_index(drop=True))

    # edit: its rows are replaced
    new_id = docs.set_index("path").loc["new.md", "doc_id"]
    write(seed_corpus / "new.md", "---\ntitle: New\npublished: 2024-05-01\n---\n"
          "Militants attacked a convoy in Gwadar on Monday. Three guards were injured. Police said so.\n")
    res = run(seed_corpus, out, config, extractor=extractor, progress=False)
    assert [a.path for a in res.plan.changed] == ["new.md"]
    docs, sents = tables(out, "documents"), tables(out, "sentences")
    assert len(docs) == 4 and new_id not in set(docs.doc_id) and new_id not in set(sents.doc_id)
    edited = docs.set_index("path").loc["new.md", "doc_id"]
    assert sents[sents.doc_id == edited].text.str.contains("Three guards").any()

    # delete: its rows are gone
    (seed_corpus / "new.md").unlink()
    res = run(seed_corpus, out, config, extractor=extractor, progress=False)
    assert list(res.plan.removed) == ["new.md"]
    assert edited not in set(tables(out, "documents").doc_id) | set(tables(out, "sentences").doc_id)

    # no-op: nothing processed, one more row in runs
    res = run(seed_corpus, out, config, extractor=extractor, progress=False)
    assert res.plan.to_process == [] and len(res.plan.unchanged) == 3
    assert len(tables(out, "runs")) == 5


def test_duplicates_and_rejects_do_not_cost_data(extractor, seed_corpus, tmp_path, config):
    out = tmp_path / "out"
    run(seed_corpus, out, config, extractor=extractor, progress=False)
    shutil.copy(seed_corpus / "002_f751d3ebdb4aa832.txt", seed_corpus / "copy.txt")
    write(seed_corpus / "empty.txt", "")
    write(seed_corpus / "bin.txt", b"\x00\x01")
    res = run(seed_corpus, out, config, extractor=extractor, progress=False)
    assert res.plan.to_process == []
    rejects = tables(out, "rejects").set_index("path").reason
    assert rejects["copy.txt"].startswith("[E109]") and "002_f751d3ebdb4aa832.txt" in rejects["copy.txt"]
    assert rejects["empty.txt"].startswith("[E101]") and rejects["bin.txt"].startswith("[E102]")
    assert len(tables(out, "documents")) == 3


def test_setting_change_reprocesses(extractor, seed_corpus, tmp_path, config):
    out = tmp_path / "out"
    run(seed_corpus, out, config, extractor=extractor, progress=False)
    cfg_dir = tmp_path / "configs"
    shutil.copytree(ROOT / "configs", cfg_dir)
    text = (cfg_dir / "pipeline.yaml").read_text().replace("headline_max_words: 20", "headline_max_words: 12")
    (cfg_dir / "pipeline.yaml").write_text(text)
    from pipeline.config import load_config
    plan = status(seed_corpus, out, load_config(cfg_dir / "pipeline.yaml"))
    assert len(plan.changed) == 3
    # a setting that does not affect results does not
    text = text.replace("batch_size: 32", "batch_size: 8")
    (cfg_dir / "pipeline.yaml").write_text(text.replace("headline_max_words: 12", "headline_max_words: 20"))
    assert status(seed_corpus, out, load_config(cfg_dir / "pipeline.yaml")).changed == []
    # an edited alias table reprocesses too
    with open(cfg_dir / "aliases.csv", "a", encoding="utf-8") as fh:
        fh.write("zarghun_front,Zarghun Front,group,ZF\n")
    assert len(status(seed_corpus, out, load_config(cfg_dir / "pipeline.yaml")).changed) == 3


def test_second_run_refuses_while_locked(seed_corpus, tmp_path, config):
    out = tmp_path / "out"
    with Store(out).lock():
        with pytest.raises(PipelineError, match=r"\[E201\].*pid"):
            run(seed_corpus, out, config, progress=False)


def test_refuses_foreign_output_folder(seed_corpus, tmp_path, config):
    out = tmp_path / "mine"
    write(out / "thesis.docx", "precious")
    with pytest.raises(PipelineError, match=r"\[E203\]"):
        run(seed_corpus, out, config, progress=False)
    assert (out / "thesis.docx").read_text() == "precious"


@pytest.mark.slow
def test_killed_run_leaves_consistent_tables_and_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus"
    sentences = [s.strip() + "." for f in sorted((ROOT / "corpus").glob("*.txt"))
                 for s in f.read_text().split(".") if len(s.split()) > 6]
    for i in range(60):
        write(corpus / f"a{i:03d}.txt", " ".join(sentences[(i * 7 + k) % len(sentences)] for k in range(25)))
    cfg = tmp_path / "configs"
    shutil.copytree(ROOT / "configs", cfg)
    (cfg / "pipeline.yaml").write_text((cfg / "pipeline.yaml").read_text()
                                    .replace("commit_batch: 64", "commit_batch: 2").replace("parse_batch: 8", "parse_batch: 2"))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out),
           "--config", str(cfg / "pipeline.yaml")]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            n = len(pd.read_parquet(out / "documents", columns=["doc_id"]))
        except Exception:
            n = 0
        if n >= 4:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    docs = pd.read_parquet(out / "documents")
    sents = pd.read_parquet(out / "sentences")
    assert 4 <= len(docs) < 60, "the kill must land in the middle of the run"
    assert set(sents.doc_id) == set(docs.doc_id)
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    docs = pd.read_parquet(out / "documents")
    sents = pd.read_parquet(out / "sentences")
    assert len(docs) == 60 and docs.doc_id.is_unique and docs.path.is_unique
    assert not sents.duplicated(["doc_id", "sent_idx"]).any()
    assert set(sents.doc_id) == set(docs.doc_id)
    assert docs.set_index("doc_id").n_sentences.to_dict() == sents.groupby("doc_id").size().to_dict()


@pytest.mark.slow
def test_workers_give_the_same_tables(tmp_path):
    corpus = ROOT / "eval" / "articles" / "corpus"
    outs = []
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out),
                        "--workers", str(workers)], cwd=ROOT, check=True, capture_output=True, timeout=300)
        outs.append(out)
    for table in ("sentences", "mentions", "events", "claims"):
        a, b = (pd.read_parquet(o / table) for o in outs)
        pd.testing.assert_frame_equal(a, b)


def test_a_fault_on_one_article_costs_only_that_article(extractor, seed_corpus, tmp_path, config, monkeypatch):
    out = tmp_path / "out"
    write(seed_corpus / "bad.txt", "This article makes the extractor fail on purpose.")
    real = extractor.extract

    def flaky(doc, art, fingerprint):
        if art.path == "bad.txt":
            raise RuntimeError("boom")
        return real(doc, art, fingerprint)
    monkeypatch.setattr(extractor, "extract", flaky)
    res = run(seed_corpus, out, config, extractor=extractor, progress=False)
    assert [r.path for r in res.failed] == ["bad.txt"]
    assert len(tables(out, "documents")) == 3
    rejects = tables(out, "rejects").set_index("path").reason
    assert rejects["bad.txt"].startswith("[E115]") and "retried" in rejects["bad.txt"]
    assert res.summary().startswith("processed 3 (3 new, 0 changed), unchanged 0, rejected 1,")
    monkeypatch.undo()
    # the same input gives the same reject: not tried again while neither it nor the settings change
    res = run(seed_corpus, out, config, extractor=extractor, progress=False)
    assert res.plan.to_process == [] and [r.path for r in res.plan.rejects] == ["bad.txt"]
    assert tables(out, "rejects").set_index("path").reason["bad.txt"] == rejects["bad.txt"]
    # --retry-rejects tries it again
    res = run(seed_corpus, out, config, extractor=extractor, progress=False, retry_rejects=True)
    assert [a.path for a in res.plan.added] == ["bad.txt"] and len(tables(out, "documents")) == 4
    assert tables(out, "rejects").empty


def test_a_failed_article_is_retried_when_it_changes(extractor, seed_corpus, tmp_path, config, monkeypatch):
    out = tmp_path / "out"
    write(seed_corpus / "bad.txt", "This article makes the extractor fail on purpose.")
    real = extractor.extract

    def flaky(doc, art, fingerprint):
        if "on purpose" in art.text:
            raise RuntimeError("boom")
        return real(doc, art, fingerprint)
    monkeypatch.setattr(extractor, "extract", flaky)
    res = run(seed_corpus, out, config, extractor=extractor, progress=False)
    assert res.summary().startswith("processed 3 (3 new, 0 changed), unchanged 0, rejected 1")
    write(seed_corpus / "bad.txt", "This article was fixed and now reads well.")
    res = run(seed_corpus, out, config, extractor=extractor, progress=False)
    assert [a.path for a in res.plan.added] == ["bad.txt"] and len(tables(out, "documents")) == 4
    assert f"tables in {out}/" in res.summary()


def test_overlong_jsonl_article_rejected(tmp_path):
    from pipeline.ingest import read_corpus
    write(tmp_path / "feed.jsonl", '{"text": "' + "word " * 300 + '"}\n{"text": "short one"}\n')
    arts, rejects = read_corpus(tmp_path, {**config_settings(), "max_file_bytes": 1000})
    assert [a.path for a in arts] == ["feed.jsonl:2"]
    assert rejects[0].reason.startswith("[E114]")


def config_settings():
    from pipeline.config import load_config
    return load_config().section("ingest")


def test_the_plan_holds_no_texts_and_a_file_changed_after_planning_is_a_reject(seed_corpus, tmp_path, config):
    """The plan keeps a file's article without its text (read again a chunk at a time when sent to a worker);
    a JSONL line, which has no file of its own, keeps its text. A file changed between planning and sending
    is a reject of this run (E103), read again by the next run; one read again unchanged is the article planned."""
    from pipeline.ingest import Planned, ingest_settings, reread
    from pipeline.run import plan_run

    write(seed_corpus / "feed.jsonl", '{"text": "Gunmen killed two guards in Quetta on Monday, police said."}\n')
    plan = plan_run(seed_corpus, Store(tmp_path / "out"), config)
    files = [a for a in plan.to_process if not a.path.endswith(".jsonl:1")]
    assert len(files) == 3 and all(isinstance(a, Planned) and not hasattr(a, "text") for a in files)
    assert [a.text for a in plan.to_process if a.path.endswith(".jsonl:1")][0].startswith("Gunmen")
    ingest = ingest_settings(config)
    changed = seed_corpus / files[0].path
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA line added.\n", encoding="utf-8")
    got, failed = reread(files, ingest)
    assert [a.path for a in got] == [a.path for a in files[1:]]
    assert [(a.doc_id, a.content_sha256) for a in got] == [(a.doc_id, a.content_sha256) for a in files[1:]]
    assert failed == [(files[0].path, failed[0][1], None)] and failed[0][1].startswith("[E103]")
