"""The command line: clear one-line errors and the commands analysts use."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_missing_corpus_is_one_clear_line(tmp_path):
    r = cli("run", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    assert "[E202]" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_bad_config_is_one_clear_line(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("run:\n  batch_size: many\n")
    r = cli("status", "--config", str(cfg))
    assert r.returncode == 2 and "[E002]" in r.stderr and "run.batch_size" in r.stderr


def test_status_lists_what_a_run_would_do(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Gunmen attacked a convoy in Gwadar on Monday.")
    (corpus / "b.bin").write_bytes(b"\x00\x01")
    r = cli("status", "--corpus", str(corpus), "--out", str(tmp_path / "out"))
    assert r.returncode == 0
    assert "1 to add" in r.stdout and "add: a.txt" in r.stdout and "reject: b.bin: [E107]" in r.stdout


def test_eval_needs_one_corpus_and_out_per_gold(tmp_path):
    r = cli("eval", "--gold", "eval/seeds/gold", "--gold", "eval/articles/gold", "--corpus", "corpus")
    assert r.returncode == 2 and "as many --corpus and --out as --gold" in r.stderr
