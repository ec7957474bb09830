"""Benchmark: end-to-end `pipeline run` against a bare `nlp.pipe` over the same texts."""

from __future__ import annotations

import logging
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .config import Config
from .errors import PipelineError

log = logging.getLogger(__name__)


def make_corpus(source: Path, dest: Path, n_articles: int, sentences_per_article: int = 24,
                seed: int = 13) -> list[str]:
    """Write ``n_articles`` articles made of sentences of the texts in ``source``; return their texts."""
    sents: list[str] = []
    for f in sorted(source.rglob("*")):
        if f.suffix in (".txt", ".md"):
            body = f.read_text(encoding="utf-8")
            if body.startswith("---\n"):
                body = body.split("\n---", 1)[-1]
            sents += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) >= 6]
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    texts = []
    for i in range(n_articles):
        paras = [" ".join(rng.sample(sents, 4)) for _ in range(sentences_per_article // 4)]
        text = f"Report number {i}\n\n" + "\n\n".join(paras) + "\n"
        (dest / f"bench_{i:05d}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
    return texts


def measured_run(argv: list[str]) -> None:
    """A run in a fresh process, as a user starts it, printing what the benchmark reads as one JSON line: the
    run's counts and timings, the workers' start-up and peak memory, and this (parent) process's peak."""
    import json

    from .memory import use_system_allocator

    use_system_allocator()              # as the command line does, before pyarrow loads
    from .config import load_config
    from .engine import peak_rss_mb
    from .run import run

    corpus, out, config_path, workers, engine = argv[0], argv[1], argv[2], int(argv[3]), argv[4]
    t = time.perf_counter()
    result = run(Path(corpus), Path(out), load_config(config_path), workers=workers, engine=engine, progress=False)
    print(json.dumps({
        "seconds": time.perf_counter() - t, "words": result.words, "processed": result.processed,
        "timings": result.timings, "worker_load_s": list(result.worker_load_s.values()),
        "worker_peak_mb": list(result.worker_peak_mb.values()),
        "parent_peak_mb": peak_rss_mb(),
        "parent_cpu_s": cpu_seconds(children=False)}))


def cpu_seconds(children: bool = True) -> float:
    """CPU seconds (user and system) of this process and, unless ``children`` is False, of its children that
    have ended (the bare parse's processes and the run's forked workers are waited for before a measure ends, so
    a measure's difference holds all of them)."""
    who = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) if children else (resource.RUSAGE_SELF,)
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, who))


def paired_ratio(bare: list[float], runs: list[float]) -> float:
    """The run's speed as a fraction of the bare parse's, from measures of the same texts taken in pairs, in
    alternating order: the bare parses' total seconds over the runs' total. On a machine whose speed drifts over
    the minutes, a best-of on each side may compare a fast minute with a slow one; summed pairs taken
    forwards and backwards (ABBA) weigh a steady drift on both sides alike."""
    if not bare or len(bare) != len(runs):
        raise ValueError(f"paired measures expected, got {len(bare)} bare and {len(runs)} runs")
    return sum(bare) / sum(runs)


def fresh_run(config: Config, corpus: Path, out: Path, workers: int, engine: str = "local") -> dict:
    """:func:`measured_run` in a new Python process; its wall time (interpreter start included) as ``wall_s``."""
    import json

    cmd = [sys.executable, "-c", "import sys, pipeline.bench as b; b.measured_run(sys.argv[1:])",
           str(corpus), str(out), str(config.path), str(workers), engine]
    t = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    got = json.loads(done.stdout.strip().splitlines()[-1])
    got["wall_s"] = time.perf_counter() - t
    return got


def benchmark(config: Config, source: Path, n_articles: int = 300, n_noop: int = 1000, repeats: int = 2,
              memory_articles: tuple[int, int] = (300, 3000), memory_sentences: int = 6,
              dask: bool = True) -> dict:
    """Every figure of ``make bench`` in one run, on corpora generated from the sentences of ``source``:
    throughput (bare nlp.pipe 1 and 2 processes, --workers 1 and 2, --engine dask --workers 2, on the same
    texts), peak memory at two corpus sizes, the incremental costs, and the happenings resolver."""
    import spacy

    from .extract import Extractor
    from .run import run

    tmp = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    r: dict = {"articles": n_articles, "model": config.model, "repeats": repeats,
               "parse_batch": config.section("run")["parse_batch"]}
    try:
        texts = make_corpus(source, tmp / "corpus", n_articles)
        batch = r["parse_batch"]

        t = time.perf_counter()
        bare = spacy.load(config.model)
        r["bare_load_s"] = time.perf_counter() - t
        t = time.perf_counter()
        extractor = Extractor(config)
        r["startup_s"] = time.perf_counter() - t     # model, rule files, alias patterns, gazetteer: per process
        # rounds of every measure, in alternating order (round 0 forwards, round 1 backwards, ...): each run is
        # next to the bare parse it is compared with, and over two rounds a machine whose speed drifts over the
        # minutes weighs on both sides alike (ABBA); the ratios are taken from the sums (:func:`paired_ratio`)
        seconds: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        words = 0

        def measure(name: str, attempt: int) -> dict[str, float]:
            """One measure's seconds (a Dask run's apart from its cluster start-up), and the words it counted."""
            t = time.perf_counter()
            if name.startswith("bare"):
                for _ in bare.pipe(texts, batch_size=batch, n_process=int(name[-1])):
                    pass
                return {name: time.perf_counter() - t}
            if name.startswith("workers"):
                res = run(tmp / "corpus", tmp / f"out-{name}-{attempt}", config, workers=int(name[-1]),
                          progress=False, extractor=extractor)
                return {name: time.perf_counter() - t, "words": res.words}
            res = run(tmp / "corpus", tmp / f"out-dask-{attempt}", config, workers=2, engine="dask", progress=False)
            total, startup = time.perf_counter() - t, res.timings.get("startup", 0.0)
            return {"dask": total - startup, "dask_total": total, "dask_startup": startup}

        order = ["bare1", "workers1", "bare2", "workers2"] + (["dask"] if dask else [])
        for attempt in range(repeats):
            for name in (order if attempt % 2 == 0 else order[::-1]):
                if name == "dask" and not dask:
                    continue
                c = cpu_seconds()
                try:
                    got = measure(name, attempt)
                except PipelineError as e:              # dask not installed (E209): the other figures stand
                    if name != "dask":
                        raise
                    log.warning("no Dask measure: %s", e)
                    dask = False
                    continue
                words = int(got.pop("words", words))
                for key, value in got.items():
                    seconds.setdefault(key, []).append(value)
                if name != "dask":                      # the cluster's processes are not this process's children
                    cpu.setdefault(name, []).append(cpu_seconds() - c)
        r["words"] = words
        r["rounds"] = seconds
        r["cpu"] = cpu
        r["bare_words"] = sum(1 for t in bare(texts[0]) if not (t.is_punct or t.is_space))  # a sanity figure
        del bare

        # peak memory, parent and per worker, one worker, fresh processes, at two corpus sizes
        r["memory"] = []
        for n in memory_articles:
            corpus = tmp / f"mem{n}"
            make_corpus(source, corpus, n, sentences_per_article=memory_sentences)
            got = fresh_run(config, corpus, tmp / f"out-mem{n}", workers=1)
            r["memory"].append({"articles": n, "sentences": memory_sentences, "parent_mb": got["parent_peak_mb"],
                                "worker_mb": max(got["worker_peak_mb"] or [0.0]), "seconds": got["wall_s"],
                                "worker_load_s": max(got["worker_load_s"] or [0.0]),
                                "parent_cpu_s": got["parent_cpu_s"], "corpus_s": got["timings"].get("corpus", 0.0),
                                "writer_cpu_s": got["timings"].get("writer_cpu", 0.0)})

        # incremental: a no-op re-run of n_noop articles, then one article added, each in a fresh process
        corpus, out = tmp / "noop", tmp / "out-noop"
        make_corpus(source, corpus, n_noop, sentences_per_article=memory_sentences)
        run(corpus, out, config, workers=2, progress=False, extractor=extractor)
        noop = fresh_run(config, corpus, out, workers=2)
        (corpus / "added.txt").write_text("Report added\n\n" + texts[0].split("\n\n", 1)[1], encoding="utf-8")
        add = fresh_run(config, corpus, out, workers=1)
        r.update(noop_articles=n_noop, noop_s=noop["wall_s"], noop_corpus_s=noop["timings"].get("corpus", 0.0),
                 add_s=add["wall_s"], add_corpus_s=add["timings"].get("corpus", 0.0),
                 add_worker_load_s=max(add["worker_load_s"] or [0.0]), add_processed=add["processed"])
        r["happening_events"], r["happening_resolve_s"], r["happenings"] = bench_happenings(config)
        return r
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_happenings(config: Config, n: int = 20_000, seed: int = 7) -> tuple[int, float, int]:
    """Seconds to resolve ``n`` synthetic events (three reports per happening, a year, five countries)."""
    import datetime as dt
    import random

    from .happenings import load_happening_rules, resolve_happenings
    from .schemas import EVENT_TYPES

    rnd = random.Random(seed)
    rules = load_happening_rules(config.rule_path("happenings", "rules"), EVENT_TYPES)
    start = dt.date(2024, 1, 1)
    events, documents = [], []
    for h in range(n // 3):
        day = start + dt.timedelta(days=rnd.randrange(365))
        etype, cc, place = rnd.choice(EVENT_TYPES), rnd.choice("ML NG MM PH CO".split()), f"p{rnd.randrange(400)}"
        for k in range(3):
            doc = f"d{h}-{k}"
            documents.append({"doc_id": doc, "path": doc, "source": f"S{k}", "published": day, "country_code": cc})
            events.append({"event_id": f"{doc}-e", "doc_id": doc, "event_type": etype, "modality": "asserted",
                           "date": day + dt.timedelta(days=rnd.choice((0, 0, 1))), "date_precision": "day",
                           "location_id": place, "country_code": cc, "admin1": f"a{place[1:3]}",
                           "killed": rnd.choice((None, 3, 4, 12))})
    t = time.perf_counter()
    happenings, _, _ = resolve_happenings(events, documents, rules)
    return len(events), time.perf_counter() - t, len(happenings)


def format_report(r: dict) -> str:
    w = r["words"]
    rounds, cpu = r["rounds"], r["cpu"]
    bare_label = {"bare1": "1 bare process", "bare2": "2 bare processes"}

    def mean(name: str) -> float:
        return sum(rounds[name]) / len(rounds[name])

    def rate(name: str) -> float:
        return w / mean(name)

    def against(name: str, bare: str, target: str = "") -> str:
        """The paired ratio of a run to its bare parse, the rounds' own ratios, and the CPU of the two."""
        text = f"ratio {paired_ratio(rounds[bare], rounds[name]):.3f} to {bare_label[bare]}{target}"
        if len(rounds[name]) > 1:
            text += " (rounds " + " / ".join(f"{b / s:.3f}" for b, s in zip(rounds[bare], rounds[name])) + ")"
        if name in cpu:
            text += f"; CPU {sum(cpu[name]) / sum(cpu[bare]):.3f}x the bare parse's"
        return text

    lines = [
        f"benchmark: {r['articles']} articles, {w:,} words, model {r['model']}, parse batch {r['parse_batch']}, "
        f"{r['repeats']} round{'s' if r['repeats'] > 1 else ''} in alternating order (ratios from the summed "
        f"seconds of each pair)",
        f"  start-up per process {r['startup_s']:>8.2f} s  (model, rule files, alias patterns, gazetteer; bare model "
        f"load {r['bare_load_s']:.2f} s)",
        f"  bare nlp.pipe, 1 process   {rate('bare1'):>8,.0f} words/s  ({sum(cpu['bare1']) / len(cpu['bare1']):.1f} s "
        f"of CPU)",
        f"  bare nlp.pipe, 2 processes {rate('bare2'):>8,.0f} words/s  ({mean('bare1') / mean('bare2'):.2f}x one process; "
        f"{sum(cpu['bare2']) / len(cpu['bare2']):.1f} s of CPU in all its processes)",
        f"  pipeline run --workers 1   {rate('workers1'):>8,.0f} words/s  "
        f"{against('workers1', 'bare1', ' (target >= 0.95)')}",
        f"  pipeline run --workers 2   {rate('workers2'):>8,.0f} words/s  "
        f"{against('workers2', 'bare2', ' (target >= 0.95)')}",
    ]
    if "dask" in rounds and len(rounds["dask"]) == len(rounds["bare2"]):
        lines.append(f"  --engine dask --workers 2  {rate('dask'):>8,.0f} words/s  {against('dask', 'bare2')}, after "
                     f"a cluster start-up of {mean('dask_startup'):.1f} s ({rate('dask_total'):,.0f} words/s with it, "
                     f"ratio {paired_ratio(rounds['bare2'], rounds['dask_total']):.3f})")
    for m in r["memory"]:
        lines.append(f"  peak memory, {m['articles']:>5,} articles of {m['sentences']} sentences, --workers 1: parent "
                     f"{m['parent_mb']:,.0f} MiB, worker {m['worker_mb']:,.0f} MiB ({m['seconds']:.1f} s; worker "
                     f"start-up {m['worker_load_s']:.2f} s)")
    if len(r["memory"]) == 2:
        a, b = r["memory"]
        lines.append(f"  the one writer at {b['articles']:,} articles: {b['writer_cpu_s']:.1f} s of CPU taking in and "
                     f"committing the workers' tables ({1000 * b['writer_cpu_s'] / b['articles']:.2f} ms per article); "
                     f"corpus-level stages {b['corpus_s']:.2f} s; the whole process {b['parent_cpu_s']:.1f} s of CPU")
        lines.append(f"  memory growth {a['articles']:,} -> {b['articles']:,} articles: parent "
                     f"{b['parent_mb'] / a['parent_mb'] - 1:+.0%}, worker {b['worker_mb'] / a['worker_mb'] - 1:+.0%} "
                     f"(target within 15%; worker < 450 MiB)")
    lines += [
        f"  no-op re-run         {r['noop_s']:>8.2f} s for {r['noop_articles']:,} articles (fresh process; corpus-level "
        f"stages {r['noop_corpus_s']:.2f} s; target < 2 s)",
        f"  one article added    {r['add_s']:>8.2f} s to {r['noop_articles']:,} (fresh process, one worker; corpus-level "
        f"stages {r['add_corpus_s']:.2f} s, worker start-up {r['add_worker_load_s']:.2f} s; target < 2x start-up = "
        f"{2 * r['add_worker_load_s']:.2f} s)",
        f"  happenings           {r['happening_resolve_s']:>8.2f} s to resolve {r['happening_events']:,} synthetic "
        f"events into {r['happenings']:,} happenings",
    ]
    return "\n".join(lines)
