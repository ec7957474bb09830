"""Scoring the tables against gold annotations (format: docs/GOLD_SPEC.md).

:func:`load_gold` reads and checks gold files; :func:`score` is pure: gold and
table rows in, a :class:`Report` out. Names (actors, speakers, places) match
through the gold entities' surface forms and the alias table.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from .aliases import AliasTable, norm
from .errors import Errors
from .schemas import CLAIM_MODALITIES, ENTITY_TYPES, EVENT_TYPES



@dataclass
class GoldDoc:
    file: str
    path: Path
    published: str | None
    entities: list[dict]
    events: list[dict]        # each with "spans": [(start, end), ...], first = main evidence
    claims: list[dict]


@dataclass
class Report:
    figures: dict[str, float | None]
    counts: dict[str, int]
    per_doc: dict[str, dict[str, float | None]]
    errors: list[dict] = field(default_factory=list)      # false positives and misses
    problems: list[str] = field(default_factory=list)     # bad gold entries


# -- gold ------------------------------------------------------------------

def load_gold(gold_dir: Path, texts: dict[str, str]) -> tuple[list[GoldDoc], list[str]]:
    """Gold files whose article is in ``texts`` (file name -> text); problems are reported, not raised."""
    docs, problems = [], []
    for path in sorted(Path(gold_dir).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            problems.append(Errors.E401.format(path=path.name, reason=str(e)))
            continue
        file = data.get("file", "")
        text = texts.get(file)
        if text is None:
            problems.append(Errors.E404.format(path=path.name, file=file, corpus="given"))
            continue
        events = _checked(path.name, text, data.get("events", []), "events", "type", EVENT_TYPES, problems)
        claims = _checked(path.name, text, data.get("claims", []), "claims", "modality", CLAIM_MODALITIES, problems)
        entities = []
        for i, e in enumerate(data.get("entities", [])):
            if e.get("type") not in ENTITY_TYPES:
                problems.append(Errors.E403.format(path=path.name, where=f"entities[{i}]", field="type",
                                                   value=e.get("type"), expected=", ".join(ENTITY_TYPES)))
                continue
            entities.append(e)
        docs.append(GoldDoc(file, path, data.get("published"), entities, events, claims))
    return docs, problems


def _checked(name, text, items, kind, field_, allowed, problems) -> list[dict]:
    kept = []
    for i, item in enumerate(items):
        where = f"{kind}[{i}]"
        if item.get(field_) not in allowed:
            problems.append(Errors.E403.format(path=name, where=where, field=field_, value=item.get(field_),
                                               expected=", ".join(allowed)))
            continue
        spans = []
        for ev in [item.get("evidence", "")] + list(item.get("also", [])):
            start = text.find(ev) if ev else -1
            if start < 0:
                problems.append(Errors.E402.format(path=name, where=where, evidence=ev[:80]))
                continue
            spans.append((start, start + len(ev)))
        if spans:
            kept.append({**item, "spans": spans})
    return kept


# -- names -----------------------------------------------------------------

class NameMatcher:
    """Does a predicted name (or entity id) denote a gold canonical name?"""

    def __init__(self, aliases: AliasTable | None, gold_docs: list[GoldDoc]):
        self.aliases = aliases
        self.forms: dict[str, set[str]] = defaultdict(set)
        for d in gold_docs:
            for e in d.entities:
                self.forms[norm(e["canonical"])] |= {norm(s) for s in e["surface"]} | {norm(e["canonical"])}

    def matches(self, gold: str | None, pred_name: str | None, pred_id: str | None = None) -> bool:
        if gold is None or pred_name is None:
            return gold is None and pred_name is None
        g, p = norm(gold), norm(pred_name)
        if g == p or p in self.forms.get(g, ()):
            return True
        if self.aliases:
            entry = self.aliases.lookup(gold)
            if entry and (pred_id == entry.id or p in {norm(s) for s in entry.surfaces}):
                return True
        return False


# -- scoring ---------------------------------------------------------------

def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else float(fn == 0)
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _acc(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def _overlaps(row: dict, spans) -> bool:
    return any(row["start_char"] < e and s < row["end_char"] for s, e in spans)


def _date_parts(gold: str | None, row: dict) -> tuple[bool, bool]:
    """(value right at the gold precision, precision right)."""
    pred = row.get("date")
    if gold is None:
        return pred is None, row.get("date_precision") is None
    if pred is None:
        return False, False
    precision = {10: "day", 7: "month", 4: "year"}[len(gold)]
    return str(pred)[: len(gold)] == gold, row.get("date_precision") == precision


def score(gold_docs: list[GoldDoc], documents: list[dict], mentions: list[dict], events: list[dict],
          claims: list[dict], aliases: AliasTable | None = None, lemma=lambda s: s.lower()) -> Report:
    names = NameMatcher(aliases, gold_docs)
    by_file = {}
    for d in documents:
        by_file[d["path"].rsplit("/", 1)[-1]] = d
    rows_by_doc = defaultdict(lambda: defaultdict(list))
    for table, rows in (("mentions", mentions), ("events", events), ("claims", claims)):
        for r in rows:
            if table == "events" and r.get("modality", "asserted") != "asserted":
                continue
            rows_by_doc[r["doc_id"]][table].append(r)

    acc = defaultdict(list)
    counts = Counter()
    per_doc: dict[str, dict] = {}
    errors: list[dict] = []
    surface_items = []    # (gold canonical, predicted entity id) for linking pairs
    for g in gold_docs:
        doc = by_file.get(g.file)
        if doc is None:
            continue
        doc_rows = rows_by_doc[doc["doc_id"]]
        local = defaultdict(list)
        # documents
        pub = doc.get("published")
        local["date_accuracy"].append((str(pub) if pub else None) == g.published)
        # entities
        by_surface = defaultdict(list)
        for m in doc_rows["mentions"]:
            by_surface[norm(m["text"])].append(m)
        for e in g.entities:
            for s in e["surface"]:
                found = by_surface.get(norm(s), [])
                local["mention_recall"].append(bool(found))
                local["typed_recall"].append(any(m["entity_type"] == e["type"] for m in found))
                if found:
                    eid = Counter(m["entity_id"] for m in found).most_common(1)[0][0]
                    surface_items.append((e["canonical"], eid))
                else:
                    errors.append({"kind": "missed_mention", "file": g.file, "text": s, "type": e["type"]})
        # events and claims
        for kind, gold_items, pred in (("event", g.events, doc_rows["events"]), ("claim", g.claims, doc_rows["claims"])):
            matched_rows = set()
            for item in gold_items:
                hits = [i for i, r in enumerate(pred) if _overlaps(r, item["spans"])]
                matched_rows.update(hits)
                if not hits:
                    counts[f"{kind}_fn"] += 1
                    local[f"{kind}_recall"].append(False)
                    errors.append({"kind": f"missed_{kind}", "file": g.file, "text": doc["text"][slice(*item["spans"][0])],
                                   "gold": {k: v for k, v in item.items() if k not in ("spans", "also", "evidence")}})
                    continue
                counts[f"{kind}_tp"] += 1
                local[f"{kind}_recall"].append(True)
                best = _best(pred, hits, item, kind)
                if kind == "event":
                    _score_event(item, best, names, local)
                else:
                    _score_claim(item, best, names, local, lemma)
            for i, r in enumerate(pred):
                if i not in matched_rows:
                    counts[f"{kind}_fp"] += 1
                    local[f"{kind}_precision"].append(False)
                    errors.append({"kind": f"false_{kind}", "file": g.file,
                                   "text": doc["text"][r["start_char"]:r["end_char"]],
                                   "pred": {k: r.get(k) for k in ("event_type", "trigger", "cue", "speaker_name",
                                                                   "modality") if r.get(k) is not None}})
        for k, v in local.items():
            acc[k].extend(v)
        per_doc[g.file] = {k: _acc(v) for k, v in local.items() if not k.endswith("_precision")}

    figures: dict[str, float | None] = {}
    figures["date_accuracy"] = _acc(acc["date_accuracy"])
    figures["mention_recall"] = _acc(acc["mention_recall"])
    figures["typed_recall"] = _acc(acc["typed_recall"])
    tp = fp = fn = 0
    for (ga, pa), (gb, pb) in combinations(surface_items, 2):
        same_gold, same_pred = ga == gb, pa == pb
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    if len(surface_items) > 1:
        p, r, _ = prf(tp, fp, fn)
        p = p if tp + fp else 1.0   # no pair merged: nothing merged wrongly
        figures["linking_precision"], figures["linking_recall"] = p, r
        figures["linking_f1"] = 2 * p * r / (p + r) if p + r else 0.0
    else:
        figures["linking_precision"] = figures["linking_recall"] = figures["linking_f1"] = None
    for kind in ("event", "claim"):
        p, r, f = prf(counts[f"{kind}_tp"], counts[f"{kind}_fp"], counts[f"{kind}_fn"])
        figures[f"{kind}_precision"], figures[f"{kind}_recall"], figures[f"{kind}_f1"] = p, r, f
    for key in ("event_type", "event_actor", "event_location", "event_date", "event_date_precision",
                "event_killed", "event_injured", "claim_speaker", "claim_cue", "claim_modality"):
        figures[key] = _acc(acc[key])
    for d in per_doc.values():
        for kind in ("event", "claim"):
            d.pop(f"{kind}_precision", None)
    return Report(figures, dict(counts), per_doc, errors)


def _best(pred: list[dict], hits: list[int], item: dict, kind: str) -> dict:
    main = item["spans"][0]
    key = "event_type" if kind == "event" else "modality"
    want = item.get("type") if kind == "event" else item.get("modality")

    def rank(i):
        r = pred[i]
        return (r.get(key) == want, _overlaps(r, [main]), r.get("confidence") or 0)
    return pred[max(hits, key=rank)]


def _score_event(gold: dict, row: dict, names: NameMatcher, local) -> None:
    local["event_type"].append(row.get("event_type") == gold["type"])
    local["event_actor"].append(names.matches(gold.get("actor"), row.get("actor_name"), row.get("actor_id")))
    local["event_location"].append(names.matches(gold.get("location"), row.get("location_name"),
                                                 row.get("location_id")))
    value, precision = _date_parts(gold.get("date"), row)
    local["event_date"].append(value)
    local["event_date_precision"].append(precision)
    local["event_killed"].append(row.get("killed") == gold.get("killed"))
    local["event_injured"].append(row.get("injured") == gold.get("injured"))


def _score_claim(gold: dict, row: dict, names: NameMatcher, local, lemma) -> None:
    local["claim_speaker"].append(names.matches(gold.get("speaker"), row.get("speaker_name"), row.get("speaker_id")))
    gold_cue = gold.get("cue")
    pred_cue = row.get("cue")
    if gold_cue is None:
        local["claim_cue"].append(True)   # the author's claims may have no cue: any cue is fine
    else:
        local["claim_cue"].append(pred_cue is not None and lemma(pred_cue) == lemma(gold_cue))
    local["claim_modality"].append(row.get("modality") == gold["modality"])


# -- reports ---------------------------------------------------------------

HEADLINE = ("date_accuracy", "mention_recall", "typed_recall", "linking_f1", "event_f1", "event_type",
            "event_actor", "event_location", "event_date", "event_killed", "claim_f1", "claim_speaker",
            "claim_modality")


def _fmt(v) -> str:
    return "  n/a" if v is None else f"{v:.3f}"


def format_report(report: Report, title: str, fmt: str = "text", show_errors: bool = False) -> str:
    if fmt == "json":
        return json.dumps({"title": title, "figures": report.figures, "counts": report.counts,
                           "per_doc": report.per_doc, "problems": report.problems,
                           **({"errors": report.errors} if show_errors else {})}, indent=2, default=str)
    md = fmt == "markdown"
    lines = [f"## {title}" if md else f"== {title} =="]
    if md:
        lines += ["", "| figure | value |", "| --- | --- |"]
        lines += [f"| {k} | {_fmt(v)} |" for k, v in report.figures.items()]
    else:
        lines += [f"  {k:<22} {_fmt(v)}" for k, v in report.figures.items()]
        lines.append("  counts: " + ", ".join(f"{k}={v}" for k, v in sorted(report.counts.items())))
    lines.append("")
    lines.append("per document:" if not md else "| document | " + " | ".join(_PER_DOC) + " |")
    if md:
        lines.append("| --- |" + " --- |" * len(_PER_DOC))
    for file, figs in report.per_doc.items():
        cells = [_fmt(figs.get(k)) for k in _PER_DOC]
        lines.append(f"| {file} | " + " | ".join(cells) + " |" if md else
                     f"  {file:<28} " + " ".join(f"{k.split('_')[0][:5]}={c.strip()}" for k, c in zip(_PER_DOC, cells)))
    for p in report.problems:
        lines.append(f"gold problem: {p}")
    if show_errors:
        lines.append("")
        lines.append("errors:")
        for e in report.errors:
            extra = e.get("gold") or e.get("pred") or e.get("type") or ""
            lines.append(f"  [{e['kind']}] {e['file']}: {e['text'][:200]!r} {extra}")
    return "\n".join(lines)


_PER_DOC = ("mention_recall", "typed_recall", "event_recall", "claim_recall")


# -- the product command -----------------------------------------------------

def evaluate(gold_dir: Path, corpus: Path, out: Path, config, extractor=None) -> Report:
    """Run the pipeline on ``corpus`` (incrementally) and score its tables against ``gold_dir``."""
    return evaluate_sets([(gold_dir, corpus, out)], config, extractor)


def evaluate_sets(sets: list[tuple[Path, Path, Path]], config, extractor=None) -> Report:
    """Score several (gold, corpus, output) sets as one pooled gold."""
    from functools import lru_cache

    from .aliases import load_aliases
    from .run import run
    from .store import Store

    gold, problems = [], []
    tables: dict[str, list[dict]] = {"documents": [], "mentions": [], "events": [], "claims": []}
    for gold_dir, corpus, out in sets:
        run(corpus, out, config, progress=False, extractor=extractor)
        store = Store(out)
        documents = store.read("documents").to_pylist()
        texts = {d["path"].rsplit("/", 1)[-1]: d["text"] for d in documents}
        got, bad = load_gold(gold_dir, texts)
        gold += got
        problems += bad
        for name in tables:
            tables[name] += documents if name == "documents" else store.read(name).to_pylist()
    alias_path = config.rule_path("entities", "aliases")
    aliases = load_aliases(alias_path) if alias_path.exists() else None
    nlp = extractor.nlp if extractor is not None else None

    @lru_cache(maxsize=None)
    def lemma(s: str) -> str:
        nonlocal nlp
        if nlp is None:
            from .nlp import load_model
            nlp = load_model(config)
        return " ".join(t.lemma_.lower() for t in nlp(s.lower()))

    report = score(gold, tables["documents"], tables["mentions"], tables["events"], tables["claims"], aliases, lemma)
    report.problems = problems
    return report


def save_baseline(path: Path, name: str, report: Report) -> None:
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = {k: (round(v, 4) if v is not None else None) for k, v in report.figures.items()}
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
