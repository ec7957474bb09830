"""The Dask engine: the per-document step on the workers of a Dask cluster (``pipeline run --engine dask``).

Without an address, a ``distributed.LocalCluster`` of N worker processes with one thread each on 127.0.0.1;
with one, the cluster of a running ``dask scheduler``. The model and rule files load once per worker: a worker
plugin builds the Extractor when the worker starts (and on any worker that joins later), into the same
per-process cache, keyed by the settings fingerprint, that the local workers use (no pickled Language travels
with the tasks). Articles go out in partitions of ``run.partition_size``, as file paths that the workers read
when they see the corpus folder (``run.dask_read``: auto, path or text), else as text; results stream back
(``as_completed``) with at most a few partitions per worker outstanding, and are handed to the one writer in
partition order, so the driver's memory stays flat and the tables are those of the local engine. A worker that
dies loses nothing committed; the scheduler runs its partition again (``run.dask_retries``).

Dask is imported here only, so a local run does not pay for it.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from pathlib import Path

from .engine import ChunkResult, chunks, process_chunk, worker_extractor
from .errors import Errors, PipelineError
from .ingest import reread

log = logging.getLogger(__name__)

try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:                       # reported as E209 when the engine is asked for
    WorkerPlugin = object


def _import_distributed():
    try:
        import distributed
    except ImportError as e:
        raise PipelineError(Errors.E209.format(reason=str(e).splitlines()[0][:200])) from None
    return distributed


class NewsclaimsWorker(WorkerPlugin):
    """Runs on every worker as it joins: builds the Extractor once (and, in a LocalCluster, makes the worker
    die with the run's process)."""

    def __init__(self, config, fingerprint: str, local: bool):
        self.config, self.fingerprint, self.local = config, fingerprint, local

    def setup(self, worker) -> None:
        if self.local:                       # a LocalCluster's worker dies with the run that started it
            from .procs import die_with_parent

            die_with_parent()
        worker_extractor(self.config, self.fingerprint)


TRIM = "MALLOC_TRIM_THRESHOLD_"


def spawn_environ(trim_mb: int) -> dict:
    """The variables a LocalCluster's nannies start their workers with: Dask's own, with glibc's trim threshold
    at ``trim_mb`` MiB (0: Dask's). Dask sets it to 64 KiB, so that a worker gives freed memory back to the system
    at once; the model's large temporary arrays were then given back and faulted in again on every batch, and
    the same 40 articles took 11.3 s of CPU on a worker against 7.7 s with the threshold left out
    (docs/SCALING.md)."""
    import dask

    env = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}) or {})
    if trim_mb > 0:
        env[TRIM] = trim_mb * 1024 * 1024
    return env


def _trim_threshold() -> str | None:
    """On a worker: the trim threshold its process was started with."""
    return os.environ.get(TRIM)


def small_trim(client, trim_mb: int) -> list[str]:
    """The workers of a cluster started by someone else that give freed memory back below ``trim_mb`` MiB."""
    if trim_mb <= 0:
        return []
    got = client.run(_trim_threshold)
    return sorted(w for w, v in got.items() if v is not None and v.isdigit() and int(v) < trim_mb * 1024 * 1024)


def connect(distributed, workers: int, scheduler: str | None, trim_mb: int = 0):
    """A client of the cluster at ``scheduler``, or of a new LocalCluster (returned too, to be closed) whose
    workers start with :func:`spawn_environ`."""
    if not log.isEnabledFor(logging.DEBUG):       # the cluster's own chatter only with --verbose
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(logging.WARNING)
    if scheduler:
        try:
            return distributed.Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError, ValueError) as e:
            raise PipelineError(Errors.E208.format(address=scheduler,
                                                   reason=str(e).splitlines()[0][:200] or type(e).__name__)) from None
    import dask

    # a nanny takes a variable already in this process's environment over its setting, and writes the setting
    # into this environment: the run's own value is set (0: Dask's) for the start, and this environment restored
    env = spawn_environ(trim_mb)
    before = os.environ.pop(TRIM, None)
    try:
        if trim_mb > 0:
            os.environ[TRIM] = str(env[TRIM])
        with dask.config.set({"distributed.nanny.pre-spawn-environ": env}):
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               host="127.0.0.1", dashboard_address=None,
                                               silence_logs=logging.WARNING)
    finally:
        os.environ.pop(TRIM, None)
        if before is not None:
            os.environ[TRIM] = before
    return distributed.Client(cluster), cluster


def _sees(root: str, probe: str | None, size: int | None) -> bool:
    """On a worker: whether it sees the corpus folder (and a probe file of the size the driver saw)."""
    if not os.path.isdir(root):
        return False
    if probe is None:
        return True
    try:
        return os.stat(probe).st_size == size
    except OSError:
        return False


def read_mode(client, corpus: Path, todo: list, setting: str) -> str:
    """'path' when every worker can read the articles from the corpus folder, else 'text'."""
    if setting != "auto":
        return setting
    probe = next((a for a in todo if a.origin is not None), None)
    seen = client.run(_sees, str(Path(os.path.realpath(corpus))), probe.origin[0] if probe else None,
                      probe.size if probe else None)
    return "path" if seen and all(seen.values()) else "text"


def _items(part: list, mode: str, ingest: dict) -> tuple[list, list[tuple[str, str, None]]]:
    """What is sent for a partition: in path mode the planned articles as they are (the workers read their
    files again), else the articles themselves (the driver reads them again here, one partition at a time)."""
    if mode == "path":
        return part, []
    return reread(part, ingest)


def process_partition(config, fingerprint: str, seq: int, items: list, parse_batch: int) -> ChunkResult:
    """The task run on a Dask worker for one partition."""
    # the date rules this worker's Extractor loaded once, not the two rule files read again per partition
    ingest = {**config.section("ingest"), "date_rules": worker_extractor(config, fingerprint).dates}
    articles, failed = reread(items, ingest)
    res = process_chunk(config, fingerprint, seq, articles, parse_batch)
    res.failed = failed + res.failed
    return res


def dask_results(config, fingerprint: str, todo: list, corpus: Path, workers: int, scheduler: str | None,
                 stats: dict | None = None, ingest: dict | None = None):
    """ChunkResults of ``todo`` in plan order, computed on a Dask cluster; ``stats["startup"]`` gets the seconds
    until the cluster's workers were ready (Extractor built). ``ingest``: the settings the driver reads planned
    articles again with when the workers cannot (text mode)."""
    stats = {} if stats is None else stats
    distributed = _import_distributed()
    settings = config.section("run")
    retries = settings["dask_retries"]
    import dask

    t = time.perf_counter()
    with dask.config.set({"distributed.scheduler.allowed-failures": retries}):
        client, cluster = connect(distributed, workers, scheduler, settings["dask_trim_threshold_mb"])
    try:
        if cluster is None and (slow := small_trim(client, settings["dask_trim_threshold_mb"])):
            mb = settings["dask_trim_threshold_mb"]
            log.warning(Errors.W211.format(n=len(slow), mb=mb))
        name = f"newsclaims-{fingerprint}"
        client.register_plugin(NewsclaimsWorker(config, fingerprint, local=cluster is not None), name=name)
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        stats["startup"] = time.perf_counter() - t
        log.info("dask: %d workers ready in %.1f s (%s)", n_workers, stats["startup"],
                 scheduler or "LocalCluster on 127.0.0.1")
        mode = read_mode(client, corpus, todo, settings["dask_read"])
        if mode == "text" and ingest is None:
            from .ingest import ingest_settings

            ingest = ingest_settings(config)
        yield from _stream(client, distributed, config, fingerprint, todo, mode, settings, n_workers, ingest)
    finally:
        try:
            client.close()
        finally:
            if cluster is not None:
                cluster.close()


def _stream(client, distributed, config, fingerprint, todo, mode, settings, n_workers, ingest):
    parse_batch, retries = settings["parse_batch"], settings["dask_retries"]
    size = max(1, min(settings["partition_size"], -(-len(todo) // n_workers)))
    parts = list(chunks(todo, size))
    window = 2 * n_workers + 1
    token = uuid.uuid4().hex[:8]
    ac = distributed.as_completed()
    submitted, next_seq, done = 0, 0, {}
    pre_failed: dict[int, list] = {}            # per partition, the articles the driver could not read again

    def submit_more() -> None:
        nonlocal submitted
        while submitted < len(parts) and submitted - next_seq < window:
            items, pre_failed[submitted] = _items(parts[submitted], mode, ingest)
            ac.add(client.submit(process_partition, config, fingerprint, submitted, items, parse_batch,
                                 retries=retries, pure=False, key=f"newsclaims-{token}-{submitted:06d}"))
            submitted += 1

    submit_more()
    for fut in ac:
        try:
            res = fut.result()
        except PipelineError:
            raise
        except Exception as e:  # noqa: BLE001 - KilledWorker and the like, after the retries
            seq = int(fut.key.rsplit("-", 1)[1])
            raise PipelineError(Errors.E210.format(partition=seq, retries=retries,
                                                   reason=f"{type(e).__name__}: {str(e).splitlines()[0][:160]}"
                                                   if str(e) else type(e).__name__)) from None
        fut.release()
        done[res.seq] = res
        while next_seq in done:
            res = done.pop(next_seq)
            res.failed = pre_failed.pop(next_seq) + res.failed
            yield res
            next_seq += 1
        submit_more()
