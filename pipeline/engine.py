"""Where the per-document step runs: worker processes that parse and extract, the one writer commits.

The whole per-document step (the parse and every extractor, down to the Arrow tables of the per-document
tables) runs in worker processes; the parent plans the run, commits what comes back in commit batches and runs
the corpus-level stages. Each worker builds its :class:`~pipeline.extract.Extractor` (model, rule files, alias
patterns, memory-mapped gazetteer) once and keeps it for every task (:func:`worker_extractor`, a cache keyed by
the settings fingerprint, the same for the local engine and the Dask engine).

A failing article is a reject (E115) that costs nothing else: a model failure in a batch is retried one
article at a time inside the worker. Local workers are forked children that die with the run
(:mod:`pipeline.procs`: parent-death signal, the run lock closed in the child).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import pyarrow as pa

from .errors import Errors, PipelineError
from .ingest import reread
from .procs import guard_children

log = logging.getLogger(__name__)


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB: VmHWM of /proc/self/status (ru_maxrss would carry over the
    peak of the process that forked and exec'd us), else ru_maxrss."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def default_workers() -> int:
    """The number of cores this process may run on (the CPU affinity mask, else os.cpu_count())."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass
class ChunkResult:
    """What a worker returns for a chunk of articles: the Arrow tables of the articles that succeeded (one
    table per per-document table, rows in article order) and a reject for each that failed."""
    seq: int
    tables: dict[str, pa.Table]
    failed: list[tuple[str, str, str]] = field(default_factory=list)   # (path, reason, content_sha256)
    n_docs: int = 0
    sentences: int = 0
    words: int = 0
    pid: int = 0
    peak_mb: float = 0.0              # the worker's peak resident memory so far
    load_s: float | None = None       # the worker's start-up (set on its first result only)
    places: dict = field(default_factory=dict)   # entity_id -> geography columns (None: no place) of its mentions


# -- inside a worker ------------------------------------------------------------------------------------

_EXTRACTORS: dict[str, object] = {}     # settings fingerprint -> Extractor, one per process
_LOAD_S: dict[str, float] = {}          # fingerprint -> seconds its Extractor took to build (reported once)


def worker_extractor(config, fingerprint: str):
    """This process's Extractor for these settings, built on first use and kept (a forked worker inherits the
    parent's when the parent had one)."""
    ext = _EXTRACTORS.get(fingerprint)
    if ext is None:
        t = time.perf_counter()                 # start-up: the imports (spaCy) included
        from .extract import Extractor

        ext = Extractor(config)
        _EXTRACTORS.clear()                 # one set of settings per process: an old one is dropped
        _EXTRACTORS[fingerprint] = ext
        _LOAD_S[fingerprint] = time.perf_counter() - t
    return ext


def process_chunk(config, fingerprint: str, seq: int, articles: list, parse_batch: int) -> ChunkResult:
    """Parse and extract a chunk of articles in this process: the rows of every per-document table as Arrow
    tables, and an E115 reject for each article that failed (the rest of the chunk is unaffected)."""
    from .schemas import DOC_TABLES, to_table

    ext = worker_extractor(config, fingerprint)
    rows: dict[str, list[dict]] = {t: [] for t in DOC_TABLES}
    res = ChunkResult(seq=seq, tables={})
    for art, doc, error in parse(ext.nlp, articles, parse_batch):
        try:
            if error is not None:
                raise error
            got = ext.extract(doc, art, fingerprint)
        except Exception as e:  # noqa: BLE001 - a fault on one article must not stop the run or cost other rows
            reason = Errors.E115.format(kind=type(e).__name__, reason=str(e).splitlines()[0][:200] if str(e) else "")
            res.failed.append((art.path, reason, art.content_sha256))
            continue
        for table, table_rows in got.items():
            rows[table].extend(table_rows)
        res.n_docs += 1
        res.sentences += len(got["sentences"])
        res.words += words(doc)
    res.tables = {t: to_table(t, r) for t, r in rows.items()}
    from .entities import geo_fields

    for eid in {m["entity_id"] for m in rows["mentions"]}:
        place = ext.linker.place_of(eid)
        res.places[eid] = geo_fields(place) if place is not None else None
    res.pid = os.getpid()
    res.peak_mb = peak_rss_mb()
    res.load_s = _LOAD_S.pop(fingerprint, None)
    return res


def words(doc) -> int:
    """Tokens that are neither punctuation nor space (counted in C, not token by token)."""
    from spacy.attrs import IS_PUNCT, IS_SPACE

    if not len(doc):
        return 0
    flags = doc.to_array([IS_PUNCT, IS_SPACE])
    return int(len(doc) - (flags.max(axis=1) > 0).sum())


def parse(nlp, todo: list, batch_size: int):
    """(article, Doc, None) for each article in order, or (article, None, error) when the model fails on it.

    If the model raises in a batch, the rest is parsed one article at a time, so only the article that fails
    is lost."""
    done = 0
    try:
        for doc, art in nlp.pipe(((a.text, a) for a in todo), as_tuples=True, batch_size=batch_size):
            done += 1
            yield art, doc, None
    except Exception as e:  # noqa: BLE001
        log.warning("the model failed in a batch (%s); parsing the rest one article at a time", type(e).__name__)
        for art in todo[done:]:
            try:
                yield art, nlp(art.text), None
            except Exception as one:  # noqa: BLE001
                yield art, None, one


def _init_worker(config, fingerprint: str) -> None:
    """Start-up of a local worker: build (or inherit) the Extractor before the first task arrives."""
    try:
        worker_extractor(config, fingerprint)
    except PipelineError as e:           # reported by the first task, not as a broken pool
        _INIT_ERROR.append(e)


_INIT_ERROR: list[Exception] = []


def _task(config, fingerprint: str, seq: int, articles: list, parse_batch: int) -> ChunkResult:
    if _INIT_ERROR:
        raise _INIT_ERROR[0]
    return process_chunk(config, fingerprint, seq, articles, parse_batch)


# -- in the parent --------------------------------------------------------------------------------------

def chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def local_results(config, fingerprint: str, todo: list, workers: int, parse_batch: int, chunk_size: int,
                  extractor=None, ingest: dict | None = None):
    """ChunkResults of ``todo`` in order, from ``workers`` forked worker processes.

    At most a few chunks per worker are in flight, so what waits in the parent stays bounded. When the
    parent already has an Extractor for these settings (a test, the benchmark), the forked workers inherit it
    instead of loading their own. A worker that dies (a crash in the model, killed for lack of memory) costs
    only the article it died on: its chunk is run again one article per task in new workers, the article that
    kills a worker again is an E115 reject, and the other chunks are sent again. The plan's articles held
    without their text (:class:`~pipeline.ingest.Planned`) are read again here with the ``ingest`` settings
    (needed when ``todo`` holds any), a chunk just before it is sent, so the texts in memory are those of the
    chunks in flight.
    """
    guard_children()
    if extractor is not None:
        _EXTRACTORS.clear()
        _EXTRACTORS[fingerprint] = extractor
    ctx = multiprocessing.get_context("fork")
    pools: list[ProcessPoolExecutor] = []

    def new_pool() -> ProcessPoolExecutor:
        if pools:
            pools.pop().shutdown(wait=True, cancel_futures=True)
        pools.append(ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                         initargs=(config, fingerprint)))
        return pools[-1]

    def submit(seq: int, part: list):
        return pools[-1].submit(_task, config, fingerprint, seq, part, parse_batch)

    def isolate(seq: int, part: list) -> ChunkResult:
        """The chunk's articles one per task; an article whose task kills its worker is a reject."""
        results = []
        for art in part:
            try:
                results.append(submit(seq, [art]).result())
            except BrokenProcessPool:
                new_pool()
                reason = Errors.E115.format(kind="WorkerDied", reason="the worker process died on this article")
                results.append(ChunkResult(seq=seq, tables={}, failed=[(art.path, reason, art.content_sha256)]))
        return merge(seq, results)

    try:
        new_pool()
        pending: deque = deque()
        source = enumerate(chunks(todo, chunk_size))

        def refill() -> None:
            while len(pending) < 2 * workers + 1:
                nxt = next(source, None)
                if nxt is None:
                    return
                seq, part = nxt
                part, unread = reread(part, ingest)     # the texts of the chunks in flight only
                pending.append((seq, part, submit(seq, part), unread))

        refill()
        while pending:
            seq, part, fut, unread = pending.popleft()
            try:
                result = fut.result()
            except BrokenProcessPool:
                log.warning("a worker process died; its articles are tried again one at a time")
                new_pool()
                result = isolate(seq, part)
                pending = deque((s, p, submit(s, p), u) for s, p, _, u in pending)
            result.failed = unread + result.failed
            refill()
            yield result
    finally:
        if pools:
            pools[-1].shutdown(wait=True, cancel_futures=True)
        if extractor is not None:
            _EXTRACTORS.pop(fingerprint, None)


def merge(seq: int, results: list[ChunkResult]) -> ChunkResult:
    """One ChunkResult of several (the tables concatenated in order)."""
    out = ChunkResult(seq=seq, tables={})
    for r in results:
        for table, data in r.tables.items():
            out.tables.setdefault(table, []).append(data)
        out.failed += r.failed
        out.n_docs += r.n_docs
        out.sentences += r.sentences
        out.words += r.words
        out.places.update(r.places)
        out.pid, out.peak_mb = r.pid or out.pid, max(out.peak_mb, r.peak_mb)
        if r.load_s is not None:
            out.load_s = r.load_s
    out.tables = {t: pa.concat_tables(parts) for t, parts in out.tables.items()}
    return out
