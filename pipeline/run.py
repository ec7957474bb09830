"""A run: plan what changed in the corpus, process it in batches, commit each batch."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from .aliases import load_aliases
from .config import Config, model_version
from .errors import Errors, PipelineError
from .ingest import Article, Planned, Reject, drop_duplicates, ingest_settings, planned, read_entries, scan_corpus
from .memory import writer_memory_pool
from .schemas import DOC_TABLES, make_row, to_table
from .store import Store

log = logging.getLogger(__name__)


@dataclass
class Plan:
    fingerprint: str
    model_version: str
    added: list[Article | Planned] = field(default_factory=list)      # held without their texts (planned())
    changed: list[Article | Planned] = field(default_factory=list)
    removed: dict[str, str] = field(default_factory=dict)       # path -> doc_id
    unchanged: list[str] = field(default_factory=list)          # paths
    rejects: list[Reject] = field(default_factory=list)         # ingest rejects and earlier failures kept
    stale_ids: set[str] = field(default_factory=set)            # doc ids whose rows go
    restat: dict[str, dict] = field(default_factory=dict)       # path -> new file_size, file_mtime_ns (same content)

    @property
    def to_process(self) -> list[Article | Planned]:
        return self.added + self.changed

    def summary(self) -> str:
        return (f"{len(self.added)} to add, {len(self.changed)} to reprocess, {len(self.removed)} to remove, "
                f"{len(self.unchanged)} up to date, {len(self.rejects)} rejected")


@dataclass
class RunResult:
    run_id: str
    plan: Plan
    sentences: int = 0
    words: int = 0
    failed: list[Reject] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)       # plan, process, corpus (the corpus-level stages)
    worker_peak_mb: dict[int, float] = field(default_factory=dict)  # worker pid -> its peak resident memory
    worker_load_s: dict[int, float] = field(default_factory=dict)   # worker pid -> its start-up seconds
    places: dict[str, dict | None] = field(default_factory=dict)    # entity_id -> geography, from the workers

    out: Path | None = None

    @property
    def processed(self) -> int:
        return len(self.plan.to_process) - len(self.failed)

    def summary(self) -> str:
        """One line: each input counted once (processed + unchanged + rejected = the corpus), and where the
        tables are."""
        p = self.plan
        wps = self.words / self.seconds if self.seconds else 0.0
        failed_new = {r.path for r in self.failed}
        new = sum(1 for a in p.added if a.path not in failed_new)
        return (f"processed {self.processed} ({new} new, {self.processed - new} changed), "
                f"unchanged {len(p.unchanged)}, rejected {len(p.rejects) + len(self.failed)}, "
                f"removed {len(p.removed)}; {self.sentences} sentences, {self.words} words, "
                f"{wps:,.0f} words/s in {self.seconds:.1f} s; tables in {self.out}/")


def check_corpus(corpus: Path) -> None:
    if not corpus.is_dir():
        raise PipelineError(Errors.E202.format(path=corpus))


def plan_run(corpus: Path, store: Store, config: Config, full: bool = False, retry_rejects: bool = False) -> Plan:
    """What a run would do, without touching the outputs.

    An article whose extraction failed before is not tried again while its content and the settings are the
    same (its reject is carried over), unless ``retry_rejects`` or ``full``. An article with a file of its own is
    held without its text (:class:`~pipeline.ingest.Planned`): the engines read it again a chunk at a time.
    """
    check_corpus(corpus)
    version = model_version(config)
    plan = Plan(fingerprint=config.fingerprint(version), model_version=version)
    # only the columns planning needs are read from the store
    prior = store.read("documents", ["path", "doc_id", "content_sha256", "config_fingerprint", "file_size",
                                     "file_mtime_ns"]).to_pylist()
    prior_by_path = {r["path"]: r for r in prior}
    # a file whose size and modification time are those of its last read under these settings is not read
    known = {} if full else {r["path"]: (r["file_size"], r["file_mtime_ns"]) for r in prior
                             if r["file_size"] is not None and r["config_fingerprint"] == plan.fingerprint}
    ingest = ingest_settings(config)
    articles, plan.rejects, skipped = scan_corpus(corpus, ingest, known, keep_text=False)   # texts: reread()
    clash = {prior_by_path[p]["doc_id"] for p in skipped} & {a.doc_id for a in articles}
    if clash:                        # a new copy of an unread file's text: read those files to choose which stays
        again = [e for p, e in skipped.items() if prior_by_path[p]["doc_id"] in clash]
        more, more_rejects = read_entries(again, {}, ingest)
        articles = sorted(articles + [planned(a) for a in more], key=lambda a: a.path)
        plan.rejects += more_rejects
        for e in again:
            del skipped[e.rel]
    articles, duplicates = drop_duplicates(articles)
    plan.rejects += duplicates
    failed = {} if (retry_rejects or full) else failed_before(store, plan.fingerprint)
    for art in articles:
        if failed.get(art.path, (None,))[0] == art.content_sha256:
            plan.rejects.append(Reject(art.path, failed[art.path][1], art.content_sha256))
            continue
        old = prior_by_path.get(art.path)
        if old is None:
            plan.added.append(art)
        elif (full or old["content_sha256"] != art.content_sha256
              or old["config_fingerprint"] != plan.fingerprint):
            plan.changed.append(art)
            plan.stale_ids.add(old["doc_id"])
        else:
            plan.unchanged.append(art.path)
            if (old["file_size"], old["file_mtime_ns"]) != (art.size, art.mtime_ns):   # touched, not changed
                plan.restat[art.path] = {"file_size": art.size, "file_mtime_ns": art.mtime_ns}
    plan.unchanged += list(skipped)
    plan.unchanged.sort()
    current_paths = {a.path for a in articles} | set(skipped)
    for r in prior:
        if r["path"] not in current_paths:
            plan.removed[r["path"]] = r["doc_id"]
            plan.stale_ids.add(r["doc_id"])
    # a document that moved to a new path keeps its id: drop its old rows before adding
    plan.stale_ids |= {a.doc_id for a in plan.added} & {r["doc_id"] for r in prior}
    return plan


def failed_before(store: Store, fingerprint: str) -> dict[str, tuple[str, str]]:
    """path -> (content hash, reason) of the articles whose extraction failed under these settings."""
    rows = store.read("rejects", ["path", "reason", "content_sha256", "config_fingerprint"]).to_pylist()
    return {r["path"]: (r["content_sha256"], r["reason"]) for r in rows
            if r["content_sha256"] and r["config_fingerprint"] == fingerprint}


def run(corpus: Path, out: Path, config: Config, workers: int | None = None, full: bool = False,
        progress: bool | None = None, extractor=None, retry_rejects: bool = False, engine: str = "local",
        scheduler: str | None = None) -> RunResult:
    """Process the corpus into the output tables: only what changed, unless ``full``.

    The per-document step runs in ``workers`` processes (default: one per core): forked local workers
    (``engine="local"``) or the workers of a Dask cluster (``engine="dask"``, a LocalCluster of ``workers``
    processes, or the cluster at ``scheduler``). This process plans, commits and runs the corpus-level stages.
    An ``extractor`` given here is inherited by the forked local workers instead of each loading its own.
    """
    from .engine import default_workers

    started = time.perf_counter()
    started_at = dt.datetime.now(dt.timezone.utc)
    run_id = started_at.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    workers = workers or default_workers()
    store = Store(out)
    check_corpus(corpus)
    with store.lock(), writer_memory_pool():
        plan = plan_run(corpus, store, config, full=full, retry_rejects=retry_rejects)
        result = RunResult(run_id=run_id, plan=plan, out=out)
        result.timings["plan"] = time.perf_counter() - started
        # rule files are checked before any output is touched (the YAML ones when the config loads)
        aliases = extractor.aliases if extractor is not None else load_aliases(config.rule_path("entities", "aliases"))
        if plan.to_process and extractor is None and engine == "local":
            check_model(config)
        for rej in plan.rejects:
            log.warning("rejected %s: %s", rej.path, rej.reason)
        txn = store.begin()
        for table in DOC_TABLES:
            txn.drop_docs(table, plan.stale_ids)
        txn.replace("rejects", _rejects(plan.rejects, run_id, plan.fingerprint))
        txn.update("documents", "path", plan.restat)       # so the next run need not read them again
        txn.commit()

        if plan.to_process:
            t = time.perf_counter()
            _process(plan, store, config, _results(plan, corpus, config, workers, engine, scheduler, extractor,
                                                   result.timings), result, progress)
            result.timings["process"] = time.perf_counter() - t

        t = time.perf_counter()
        txn = store.begin()
        if result.failed:
            txn.replace("rejects", _rejects(plan.rejects + result.failed, run_id, plan.fingerprint))
        rules_hash = happenings_fingerprint(config)
        state = documents_state(txn)
        last = last_run(store)
        # the corpus-level stages run when documents changed since they last ran (also when a run was killed
        # after committing its batches but before these stages), or when their own rules changed
        stale = bool(plan.to_process or plan.stale_ids or full or state != last.get("documents_state"))
        new_rules = rules_hash != last.get("happenings_fingerprint")
        if stale or new_rules:
            resolve_into(txn, store, config, everything=full or new_rules)
        if stale:
            from .entity_table import ENTITY_COLUMNS, Geography, entity_table, prior_geography
            same = last.get("config_fingerprint") == plan.fingerprint
            prior = prior_geography(txn.read("entities")) if same else {}
            geo = Geography(result.places, prior, lambda: extractor.linker.place_of if extractor is not None
                            else _place_of(config, aliases))
            txn.replace("entities", entity_table(txn.read("mentions", ENTITY_COLUMNS), aliases, geo=geo))
        result.timings["corpus"] = time.perf_counter() - t
        result.seconds = time.perf_counter() - started
        txn.add("runs", to_table("runs", [make_row(
            "runs", run_id=run_id, started_at=started_at, finished_at=dt.datetime.now(dt.timezone.utc),
            added=len(plan.added), changed=len(plan.changed), removed=len(plan.removed),
            unchanged=len(plan.unchanged), rejected=len(plan.rejects) + len(result.failed),
            config_fingerprint=plan.fingerprint, model_name=config.model, model_version=plan.model_version,
            seconds=result.seconds, happenings_fingerprint=rules_hash, documents_state=state)]))
        for table in DOC_TABLES:
            txn.compact(table, config.section("run")["compact_parts"])
        txn.compact("runs", config.section("run")["compact_parts"])
        txn.commit()
    result.seconds = time.perf_counter() - started
    return result


def check_model(config: Config) -> None:
    """The configured model is an installed package or a folder (the workers load it; checked here first so a
    missing model stops the run before any output is touched)."""
    import importlib.util

    name = config.model
    if Path(name).is_dir():
        return
    try:
        found = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise PipelineError(Errors.E003.format(model=name, reason="no installed package or folder of that name",
                                               path=config.path))


def _place_of(config: Config, aliases):
    from .entities import Linker
    from .extract import make_gazetteer

    return Linker(aliases, gazetteer=make_gazetteer(config)).place_of


def _results(plan: Plan, corpus: Path, config: Config, workers: int, engine: str, scheduler: str | None,
             extractor, stats: dict):
    """The chunk results of the articles to process, in plan order, from the chosen engine."""
    settings = config.section("run")
    if engine == "dask":
        from .dask_engine import dask_results
        return dask_results(config, plan.fingerprint, plan.to_process, corpus, workers, scheduler, stats)
    from .engine import local_results
    # chunks of one parse batch, smaller when there are too few articles to keep every worker busy
    chunk = max(1, min(settings["parse_batch"], -(-len(plan.to_process) // workers)))
    return local_results(config, plan.fingerprint, plan.to_process, workers, settings["parse_batch"], chunk,
                         extractor=extractor, ingest=ingest_settings(config))


def happenings_fingerprint(config: Config) -> str:
    import hashlib
    p = config.rule_path("happenings", "rules")
    return hashlib.sha256(p.read_bytes() if p.exists() else b"").hexdigest()[:16]


def last_run(store: Store) -> dict:
    """The last finished run's row (empty before the first)."""
    runs = store.read("runs", ["happenings_fingerprint", "documents_state", "config_fingerprint"]).to_pylist()
    return runs[-1] if runs else {}


def documents_state(txn) -> str:
    """A hash of the documents the tables hold (ids and settings): the corpus-level tables were built from
    exactly these when the last run's row records the same hash."""
    import hashlib
    rows = txn.read("documents", ["doc_id", "config_fingerprint"]).to_pylist()
    h = hashlib.sha256()
    for r in sorted((r["doc_id"], r["config_fingerprint"] or "") for r in rows):
        h.update(("\0".join(r) + "\n").encode())
    return h.hexdigest()[:16]


def resolve_into(txn, store: Store, config: Config, everything: bool = True) -> None:
    """The corpus-level happenings stage: resolve the events rows into happenings and publish the happenings and
    happening_links tables, and the events' happening_id, in this transaction. Unless ``everything``, only the
    happenings that changed articles touch are resolved again (the others keep their rows and ids); only the
    columns the resolver needs are read, and only the events part files whose happening ids changed are
    rewritten."""
    from .happenings import DOC_COLUMNS, INPUT_COLUMNS, load_happening_rules, resolve_tables
    from .schemas import EVENT_TYPES

    rules = load_happening_rules(config.rule_path("happenings", "rules"), EVENT_TYPES)
    events = txn.read("events", list(INPUT_COLUMNS))
    documents = txn.read("documents", list(DOC_COLUMNS))
    prior = None if everything else (txn.read("happenings"), txn.read("happening_links"))
    happenings, links, ids = resolve_tables(events, documents, rules, prior)
    txn.set_column("events", "event_id", "happening_id", events["event_id"], ids)
    txn.replace("happenings", happenings)
    txn.replace("happening_links", links)


def _process(plan: Plan, store: Store, config: Config, results, result: RunResult,
             progress: bool | None) -> None:
    """Commit the workers' tables as they come back, one commit per ``run.commit_batch`` documents."""
    from tqdm import tqdm

    import resource

    commit_batch = config.section("run")["commit_batch"]
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(plan.to_process), unit="doc", disable=not show, desc="processing")
    batch: dict[str, list] = {t: [] for t in DOC_TABLES}
    n_in_batch = 0
    for chunk in results:
        bar.update(chunk.n_docs + len(chunk.failed))
        for path, reason, sha in chunk.failed:
            log.error("%s: %s", path, reason)
            result.failed.append(Reject(path, reason, sha))
        for table, data in chunk.tables.items():
            if data.num_rows:
                batch[table].append(data)
        result.sentences += chunk.sentences
        result.words += chunk.words
        if chunk.pid:
            result.worker_peak_mb[chunk.pid] = max(result.worker_peak_mb.get(chunk.pid, 0.0), chunk.peak_mb)
        if chunk.load_s is not None:
            result.worker_load_s[chunk.pid] = chunk.load_s
        result.places.update(chunk.places)
        n_in_batch += chunk.n_docs
        if n_in_batch >= commit_batch:
            _commit_batch(store, batch)
            batch, n_in_batch = {t: [] for t in DOC_TABLES}, 0
    if n_in_batch:
        _commit_batch(store, batch)
    bar.close()
    now = resource.getrusage(resource.RUSAGE_SELF)      # the one writer's own work while the workers ran
    result.timings["writer_cpu"] = now.ru_utime + now.ru_stime - cpu.ru_utime - cpu.ru_stime


def _rejects(rejects: list[Reject], run_id: str, fingerprint: str):
    return to_table("rejects", [make_row("rejects", path=r.path, reason=r.reason, run_id=run_id,
                                         content_sha256=r.content_sha256,
                                         config_fingerprint=fingerprint if r.content_sha256 else None)
                                for r in rejects])


def _commit_batch(store: Store, batch: dict[str, list[pa.Table]]) -> None:
    txn = store.begin()
    for table, parts in batch.items():
        if parts:
            txn.add(table, pa.concat_tables(parts))
            txn.merge_tail(table)
    txn.commit()


def status(corpus: Path, out: Path, config: Config, full: bool = False, retry_rejects: bool = False) -> Plan:
    return plan_run(corpus, Store(out), config, full=full, retry_rejects=retry_rejects)


def clean(out: Path) -> list[Path]:
    """Remove the tables of an output folder; refuses a folder the pipeline did not write."""
    return Store(out).clean()
