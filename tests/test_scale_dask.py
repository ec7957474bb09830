"""The Dask engine on real clusters on loopback: a LocalCluster, and a scheduler and two workers started as
separate processes; each gives the local engine's tables, and killing a worker mid-run still completes them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline.dask_engine import TRIM
from pipeline.errors import PipelineError
from pipeline.run import run

from .conftest import ROOT
from .test_scale import assert_same_tables, corpus8, local_out  # noqa: F401 (fixtures: the local tables to compare with)

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow
DASK = str(Path(sys.executable).with_name("dask"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout=10)


@pytest.fixture
def cluster(tmp_path):
    """A `dask scheduler` and two `dask worker` processes on 127.0.0.1 (each in its own process group)."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = open(tmp_path / "cluster.log", "w")
    start = dict(cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              **start)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--nworkers", "1",
                                           "--host", "127.0.0.1", "--no-dashboard"],
                                          env={**{k: v for k, v in os.environ.items() if k != TRIM},
                                               "DASK_CONFIG": str(ROOT / "configs" / "dask")},
                                          **start))   # as the README starts them, from a clean environment
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address, procs
    finally:
        _stop(procs)
        log.close()


def test_local_cluster_gives_the_local_tables(local_out, corpus8, tmp_path, config):
    out = tmp_path / "out"
    res = run(corpus8, out, config, workers=2, engine="dask", progress=False)
    assert res.processed == 8 and len(res.worker_peak_mb) == 2
    assert_same_tables(local_out, out)


def test_local_cluster_workers_keep_freed_memory(config):
    """A LocalCluster's workers start with glibc's trim threshold of the settings, not Dask's 64 KiB (and with
    Dask's when the setting is 0), the run's own environment is left as it was, and the check that warns of a
    cluster's workers started without it asks the workers themselves."""
    import dask
    import distributed

    from pipeline.dask_engine import _trim_threshold, connect, small_trim

    mb = config.section("run")["dask_trim_threshold_mb"]
    dasks = str(dask.config.get("distributed.nanny.pre-spawn-environ")[TRIM])     # 65536
    before = os.environ.get(TRIM)
    for setting, expected, warned in ((mb, str(mb * 1024 * 1024), 0), (0, dasks, 1)):
        client, cluster = connect(distributed, 1, None, setting)
        try:
            assert set(client.run(_trim_threshold).values()) == {expected}
            assert len(small_trim(client, mb)) == warned
            assert os.environ.get(TRIM) == before
        finally:
            client.close()
            cluster.close()


def test_scheduler_and_two_worker_processes_give_the_local_tables(local_out, corpus8, tmp_path, config, cluster,
                                                                   caplog):
    address, _ = cluster
    for read in ("text", "auto"):            # the articles shipped as text, then read by the workers from the path
        cfg = replace(config, data={**config.data, "run": {**config.section("run"), "dask_read": read}})
        out = tmp_path / f"out-{read}"
        res = run(corpus8, out, cfg, engine="dask", scheduler=address, progress=False)
        assert res.processed == 8
        assert_same_tables(local_out, out)
    assert "[W211]" not in caplog.text          # workers started the README's way keep their freed memory


def test_killing_a_worker_mid_run_still_completes_the_tables(corpus8, tmp_path, config, cluster):
    address, procs = cluster
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus8.iterdir()) if p.suffix in (".txt", ".md")]
    for i in range(24):
        (corpus / f"a{i:03d}.txt").write_text(f"Report {i}.\n\n" + texts[i % len(texts)].split("\n---", 1)[-1],
                                              encoding="utf-8")
    cfg = replace(config, data={**config.data, "run": {**config.section("run"), "partition_size": 1,
                                                       "commit_batch": 2}})
    out = tmp_path / "out"
    outcome: dict = {}

    def go():
        try:
            outcome["result"] = run(corpus, out, cfg, engine="dask", scheduler=address, progress=False)
        except BaseException as e:  # noqa: BLE001 - reported by the test below
            outcome["error"] = e
    th = threading.Thread(target=go)
    th.start()
    deadline = time.time() + 180
    while time.time() < deadline and th.is_alive():
        try:
            if len(pd.read_parquet(out / "documents", columns=["doc_id"])) >= 2:
                break
        except Exception:  # noqa: BLE001 - no tables yet
            pass
        time.sleep(0.05)
    os.killpg(procs[2].pid, signal.SIGKILL)          # one worker (its nanny and its process), gone for good
    th.join(timeout=300)
    assert not th.is_alive()
    assert "error" not in outcome, outcome.get("error")
    docs = pd.read_parquet(out / "documents")
    assert outcome["result"].processed == 24 and len(docs) == 24 and docs.doc_id.is_unique
    sents = pd.read_parquet(out / "sentences")
    assert docs.set_index("doc_id").n_sentences.to_dict() == sents.groupby("doc_id").size().to_dict()
    assert pd.read_parquet(out / "rejects").empty


def test_a_scheduler_that_cannot_be_reached_is_one_coded_line(corpus8, tmp_path, config):
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(PipelineError, match=r"\[E208\] could not reach the Dask scheduler at " + address):
        run(corpus8, tmp_path / "out", config, engine="dask", scheduler=address, progress=False)
    assert not (tmp_path / "out" / "documents").exists() or pd.read_parquet(tmp_path / "out" / "documents").empty


def _descendants(pid: int) -> set[int]:
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(d.name))
    found, todo = set(), [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            if k not in found:
                found.add(k)
                todo.append(k)
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
def test_a_killed_dask_run_leaves_no_process(corpus8, tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus8), "--out",
                             str(tmp_path / "out"), "--engine", "dask", "--workers", "2"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline, kids = time.time() + 120, set()
        while time.time() < deadline and len(kids) < 2:
            kids = _descendants(proc.pid)
            time.sleep(0.2)
        assert len(kids) >= 2, "the run did not start its cluster's workers"
        time.sleep(2.0)
        kids |= _descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.time() + 30
        while time.time() < deadline and any(_alive(k) for k in kids):
            time.sleep(0.2)
        assert not any(_alive(k) for k in kids), "worker processes outlived the killed run"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
