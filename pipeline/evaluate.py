"""Scoring the tables against gold annotations (format and rules: docs/GOLD_SPEC.md, section "Scoring").

:func:`load_gold` reads and checks gold files; :func:`score` is pure: gold and
table rows in, a :class:`Report` out. Every figure follows the spec's Scoring
section, so it means what any other scorer following those rules reports:

- surfaces are compared by :func:`normalise_surface`;
- linking is scored over the distinct (canonical, normalised surface) pairs of the corpus;
- rows and gold items are matched one-to-one, greedily (:func:`match_rows`);
- fields are scored on the matched row, names through the gold's own surface forms and
  the spec's equivalences (:class:`NameMatcher`), never through the alias table;
- happenings (pairwise and B-cubed) need a ``happening_id`` column in the events table.

Figures outside the spec (publication date accuracy, event date precision, claim cue)
are diagnostics of this project and follow the same matching and null rules.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path, PurePosixPath

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


def doc_stem(path: str) -> str:
    """The name documents and gold files are matched by: the file name without folder and extension."""
    return PurePosixPath(str(path).replace("\\", "/")).stem


# -- gold ------------------------------------------------------------------

_GOLD_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def load_gold(gold_dir: Path, texts: dict[str, str]) -> tuple[list[GoldDoc], list[str]]:
    """Gold files whose article is in ``texts`` (file name -> text, matched by stem); problems are reported, not raised."""
    by_stem = {doc_stem(name): text for name, text in texts.items()}
    docs, problems = [], []
    for path in sorted(Path(gold_dir).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            problems.append(Errors.E401.format(path=path.name, reason=str(e)))
            continue
        file = data.get("file", "")
        text = by_stem.get(doc_stem(file)) if file else None
        if text is None:
            problems.append(Errors.E404.format(path=path.name, file=file, corpus="given"))
            continue
        events = _checked(path.name, text, data.get("events", []), "events", "type", EVENT_TYPES, problems)
        events = [_checked_event_fields(path.name, i, e, problems) for i, e in enumerate(events)]
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
    """Items with a known ``field_`` and at least one evidence string found in ``text``, with their spans."""
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
            kept.append({**item, "spans": spans, "index": i})
    return kept


def _checked_event_fields(name: str, i: int, item: dict, problems: list[str]) -> dict:
    """The event with a malformed date, count or happening slug reported (E405) and set to null (not scored)."""
    where = f"events[{item.get('index', i)}]"
    checks = {
        "date": (lambda v: isinstance(v, str) and _GOLD_DATE.fullmatch(v) is not None, "YYYY-MM-DD, YYYY-MM or YYYY"),
        "killed": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0, "a non-negative integer"),
        "injured": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0, "a non-negative integer"),
        "happening": (lambda v: isinstance(v, str) and v.strip() != "", "a non-empty slug"),
    }
    item = dict(item)
    for key, (ok, expected) in checks.items():
        value = item.get(key)
        if value is not None and not ok(value):
            problems.append(Errors.E405.format(path=name, where=where, field=key, value=value, expected=expected))
            item[key] = None
    return item


# -- surfaces and names ----------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'"})
_SPACES_AND_DASHES = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def _strip_punctuation(s: str) -> str:
    """``s`` without surrounding whitespace and punctuation (Unicode categories P*)."""
    start, end = 0, len(s)
    while start < end and (s[start].isspace() or unicodedata.category(s[start]).startswith("P")):
        start += 1
    while end > start and (s[end - 1].isspace() or unicodedata.category(s[end - 1]).startswith("P")):
        end -= 1
    return s[start:end]


def normalise_surface(text: str) -> str:
    """The spec's normal form of a surface: NFKC, case-folded, curly apostrophes straightened, a trailing
    "'s" and a leading "the" dropped, runs of spaces and dashes made one space, surrounding punctuation stripped.

    "The BLA's" -> "bla"; "Tehrik-e-Taliban" -> "tehrik e taliban"; "U.S." -> "u.s" (inner dots stay).
    """
    s = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    s = _strip_punctuation(s)
    if s.endswith("'s"):
        s = s[:-2]
    s = _SPACES_AND_DASHES.sub(" ", s).strip()
    if s.startswith("the "):
        s = s[4:]
    return _strip_punctuation(s)


# Names the spec declares one (Scoring, Fields), in normalised form.
EQUIVALENT_NAMES = (("China", "Beijing", "Chinese government"), ("Pakistan", "Islamabad"),
                    ("United States", "U.S.", "Washington"))
_EQUIVALENT = {normalise_surface(n): normalise_surface(group[0]) for group in EQUIVALENT_NAMES for n in group}


def _name_key(name: str) -> str:
    """Normalised name, with the spec's equivalent names mapped to one key."""
    s = normalise_surface(name)
    return _EQUIVALENT.get(s, s)


class NameMatcher:
    """Does a predicted name or entity id denote a gold canonical name?

    It does when it equals (normalised) the canonical name or one of the surface forms the gold gives that
    canonical entity in any gold file, or a name the spec declares equivalent to one of these.
    """

    def __init__(self, gold_docs: list[GoldDoc]):
        self.forms: dict[str, set[str]] = defaultdict(set)
        for d in gold_docs:
            for e in d.entities:
                keys = {_name_key(s) for s in e.get("surface", [])} | {_name_key(e["canonical"])}
                self.forms[normalise_surface(e["canonical"])] |= keys

    def accepted(self, gold: str) -> set[str]:
        """Keys of the names that denote the gold canonical name ``gold``."""
        return self.forms.get(normalise_surface(gold), set()) | {_name_key(gold)}

    def matches(self, gold: str, pred_name: str | None, pred_id: str | None = None) -> bool:
        """True when the row's name or id denotes ``gold`` (a non-null gold name)."""
        keys = {_name_key(p) for p in (pred_name, pred_id) if p}
        return bool(keys & self.accepted(gold))


def _is_empty(*values) -> bool:
    """True when no value is given (None or blank)."""
    return not any(v is not None and str(v).strip() for v in values)


# -- matching rows to gold items -------------------------------------------

LEFT_OUT_EVENT_MODALITIES = ("negated", "hypothetical")


def counts_as_event(row: dict) -> bool:
    """Event rows saying the event did not or may not happen are left out; asserted and hedged ones count."""
    return row.get("modality") not in LEFT_OUT_EVENT_MODALITIES


def _overlaps(row: dict, spans) -> bool:
    """Does the row's ``[start_char, end_char)`` overlap one of the character spans?"""
    return any(row["start_char"] < e and s < row["end_char"] for s, e in spans)


@dataclass
class Matching:
    pairs: list[tuple[dict, dict]]      # (gold item, row), one-to-one
    missed: list[dict]                  # gold items without a row: false negatives
    false: list[dict]                   # rows overlapping no gold item: false positives
    ignored: list[dict]                 # rows overlapping only gold items matched already: not counted


def match_rows(gold_items: list[dict], rows: list[dict]) -> Matching:
    """One-to-one greedy matching: each row in table order takes the first gold item, in file order,
    that it overlaps and that no earlier row took."""
    taken: set[int] = set()
    pairs, false, ignored = [], [], []
    for row in rows:
        overlapped = [i for i, item in enumerate(gold_items) if _overlaps(row, item["spans"])]
        free = [i for i in overlapped if i not in taken]
        if free:
            taken.add(free[0])
            pairs.append((gold_items[free[0]], row))
        elif overlapped:
            ignored.append(row)
        else:
            false.append(row)
    missed = [item for i, item in enumerate(gold_items) if i not in taken]
    return Matching(pairs, missed, false, ignored)


# -- figures from counts ---------------------------------------------------

def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1; with nothing predicted precision is 1 only if nothing was missed."""
    p = tp / (tp + fp) if tp + fp else float(fn == 0)
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _acc(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def _most_common(values):
    """The most common value; a tie goes to the value seen first."""
    return Counter(values).most_common(1)[0][0]


def pairwise_scores(items: list[tuple]) -> tuple[float, float, float] | None:
    """Pairwise P/R/F1 of a clustering, ``items`` = [(gold cluster, predicted cluster), ...].

    Over all pairs of items: one gold cluster and one predicted = true positive, different gold clusters and
    one predicted = false positive, one gold cluster and different predicted = false negative. No pair
    merged gives precision 1 (nothing merged wrongly); fewer than two items give None.
    """
    if len(items) < 2:
        return None
    tp = fp = fn = 0
    for (ga, pa), (gb, pb) in combinations(items, 2):
        same_gold, same_pred = ga == gb, pa == pb
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, _f1(p, r)


def bcubed_scores(items: list[tuple]) -> tuple[float, float, float] | None:
    """B-cubed P/R/F1 of a clustering, ``items`` = [(gold cluster, predicted cluster), ...].

    Per item: precision = |items with its predicted and its gold cluster| / |items with its predicted cluster|,
    recall = the same over |items with its gold cluster|; both averaged over items, F1 of the averages.
    """
    if not items:
        return None
    both, by_gold, by_pred = Counter(items), Counter(g for g, _ in items), Counter(p for _, p in items)
    p = sum(both[(g, q)] / by_pred[q] for g, q in items) / len(items)
    r = sum(both[(g, q)] / by_gold[g] for g, q in items) / len(items)
    return p, r, _f1(p, r)


def _put(figures: dict, prefix: str, scores: tuple[float, float, float] | None) -> None:
    """Store precision, recall and F1 under ``prefix``, or None for each when not available."""
    for name, value in zip(("precision", "recall", "f1"), scores or (None, None, None)):
        figures[f"{prefix}_{name}"] = value


# -- entities ----------------------------------------------------------------

def surface_hits(gold: GoldDoc, mentions: list[dict]) -> list[tuple[dict, str, list[dict]]]:
    """(gold entity, gold surface, its hits) for every gold surface of the document; the hits are the
    document's mentions whose normalised text equals the normalised surface."""
    by_form = defaultdict(list)
    for m in mentions:
        by_form[normalise_surface(m["text"])].append(m)
    return [(e, s, by_form.get(normalise_surface(s), [])) for e in gold.entities for s in e["surface"]]


def typed_right(entity: dict, hits: list[dict]) -> bool:
    """Is the most common ``entity_type`` of the hits the gold type?"""
    return bool(hits) and _most_common(m["entity_type"] for m in hits) == entity["type"]


def linking_items(found: dict[tuple[str, str], list[str]]) -> list[tuple[str, str]]:
    """(canonical, most common entity id) for each distinct (canonical, normalised surface) pair found."""
    return [(canonical, _most_common(ids)) for (canonical, _), ids in found.items()]


# -- fields ------------------------------------------------------------------

_PRECISION = {4: "year", 7: "month", 10: "day"}


def date_scores(gold: str, row: dict) -> tuple[bool, bool]:
    """(row's date rendered at the gold precision equals the gold date, row's precision is the gold's)."""
    pred = row.get("date")
    value = pred is not None and str(pred)[: len(gold)] == gold
    return value, row.get("date_precision") == _PRECISION[len(gold)]


def _same_int(gold: int, pred) -> bool:
    """Equal integers (a bool or a float is no integer count)."""
    return isinstance(pred, int) and not isinstance(pred, bool) and pred == gold


def score_event_fields(gold: dict, row: dict, names: NameMatcher, local: dict) -> None:
    """Score the fields of one matched event row; a gold null is not scored."""
    local["event_type"].append(row.get("event_type") == gold["type"])
    for key in ("actor", "location"):
        if gold.get(key) is not None:
            local[f"event_{key}"].append(names.matches(gold[key], row.get(f"{key}_name"), row.get(f"{key}_id")))
    if gold.get("date") is not None:
        value, precision = date_scores(gold["date"], row)
        local["event_date"].append(value and precision)
        local["event_date_precision"].append(precision)
    for key in ("killed", "injured"):
        if gold.get(key) is not None:
            local[f"event_{key}"].append(_same_int(gold[key], row.get(key)))


def score_claim_fields(gold: dict, row: dict, names: NameMatcher, local: dict, lemma) -> None:
    """Score the fields of one matched claim row; a null gold speaker is right only for an empty predicted one."""
    if gold.get("speaker") is None:
        local["claim_speaker"].append(_is_empty(row.get("speaker_name"), row.get("speaker_id")))
    else:
        local["claim_speaker"].append(names.matches(gold["speaker"], row.get("speaker_name"), row.get("speaker_id")))
    if gold.get("cue") is not None:
        cue = row.get("cue")
        local["claim_cue"].append(cue is not None and lemma(cue) == lemma(gold["cue"]))
    local["claim_modality"].append(row.get("modality") == gold["modality"])


# -- happenings --------------------------------------------------------------

def happening_items(pairs: list[tuple[dict, dict]], key=None) -> list[tuple[str, object]]:
    """(gold happening, predicted happening) of matched event rows whose gold event has a slug; the prediction
    is the row's ``happening_id`` (a row without one is a happening of its own), or ``key(row)`` for a baseline."""
    items = []
    for n, (gold, row) in enumerate(pairs):
        if gold.get("happening") is None:
            continue
        pred = key(row) if key else row.get("happening_id")
        items.append((gold["happening"], pred if pred is not None else ("unresolved", n)))
    return items


# Baselines the happening figures are reported against, computed in the same run on the same matched rows.
HAPPENING_BASELINES = {
    "own": lambda row: ("own", row.get("event_id")),                       # every event its own happening
    "type_date": lambda row: ("td", row.get("event_type"), row.get("date")) if row.get("date") else None,
}


# -- scoring -------------------------------------------------------------------

FIELDS = ("event_type", "event_actor", "event_location", "event_date", "event_date_precision",
          "event_killed", "event_injured", "claim_speaker", "claim_cue", "claim_modality")


def _tables_by_doc(mentions: list[dict], events: list[dict], claims: list[dict]) -> dict:
    """doc id -> table -> rows in table order; event rows left out by :func:`counts_as_event` are dropped."""
    by_doc = defaultdict(lambda: defaultdict(list))
    for table, rows in (("mentions", mentions), ("events", events), ("claims", claims)):
        for r in rows:
            if table != "events" or counts_as_event(r):
                by_doc[r["doc_id"]][table].append(r)
    return by_doc


def _gold_fields(item: dict) -> dict:
    return {k: v for k, v in item.items() if k not in ("spans", "also", "evidence", "index")}


def _row_fields(row: dict) -> dict:
    return {k: row.get(k) for k in ("event_type", "trigger", "cue", "speaker_name", "modality") if row.get(k) is not None}


def score(gold_docs: list[GoldDoc], documents: list[dict], mentions: list[dict], events: list[dict],
          claims: list[dict], lemma=lambda s: s.lower()) -> Report:
    """Score the table rows against the gold by the spec's Scoring rules (docs/GOLD_SPEC.md)."""
    names = NameMatcher(gold_docs)
    by_stem = {doc_stem(d["path"]): d for d in documents}
    rows_by_doc = _tables_by_doc(mentions, events, claims)
    acc = defaultdict(list)
    counts = Counter()
    per_doc: dict[str, dict] = {}
    errors: list[dict] = []
    linking_found: dict[tuple[str, str], list[str]] = defaultdict(list)   # (canonical, surface) -> hit ids
    event_pairs: list[tuple[dict, dict]] = []
    for g in gold_docs:
        doc = by_stem.get(doc_stem(g.file))
        if doc is None:
            continue
        doc_rows = rows_by_doc[doc["doc_id"]]
        local = defaultdict(list)
        pub = doc.get("published")
        local["date_accuracy"].append((str(pub) if pub else None) == g.published)
        for entity, surface, hits in surface_hits(g, doc_rows["mentions"]):
            local["mention_recall"].append(bool(hits))
            local["typed_recall"].append(typed_right(entity, hits))
            if hits:
                linking_found[(entity["canonical"], normalise_surface(surface))] += [m["entity_id"] for m in hits]
            else:
                errors.append({"kind": "missed_mention", "file": g.file, "text": surface, "type": entity["type"]})
        for kind, gold_items, rows in (("event", g.events, doc_rows["events"]), ("claim", g.claims, doc_rows["claims"])):
            m = match_rows(gold_items, rows)
            counts[f"{kind}_tp"] += len(m.pairs)
            counts[f"{kind}_fp"] += len(m.false)
            counts[f"{kind}_fn"] += len(m.missed)
            counts[f"{kind}_ignored"] += len(m.ignored)
            local[f"{kind}_recall"] += [True] * len(m.pairs) + [False] * len(m.missed)
            for item, row in m.pairs:
                if kind == "event":
                    score_event_fields(item, row, names, local)
                else:
                    score_claim_fields(item, row, names, local, lemma)
            if kind == "event":
                event_pairs += m.pairs
            errors += [{"kind": f"missed_{kind}", "file": g.file, "text": doc["text"][slice(*item["spans"][0])],
                        "gold": _gold_fields(item)} for item in m.missed]
            errors += [{"kind": f"false_{kind}", "file": g.file, "text": doc["text"][r["start_char"]:r["end_char"]],
                        "pred": _row_fields(r)} for r in m.false]
        for k, v in local.items():
            acc[k].extend(v)
        per_doc[g.file] = {k: _acc(v) for k, v in local.items()}

    figures: dict[str, float | None] = {}
    for key in ("date_accuracy", "mention_recall", "typed_recall"):
        figures[key] = _acc(acc[key])
    _put(figures, "linking", pairwise_scores(linking_items(linking_found)))
    for kind in ("event", "claim"):
        _put(figures, kind, prf(counts[f"{kind}_tp"], counts[f"{kind}_fp"], counts[f"{kind}_fn"]))
    for key in FIELDS:
        figures[key] = _acc(acc[key])
    has_ids = any("happening_id" in r for r in events)
    items = happening_items(event_pairs) if has_ids else []
    _put(figures, "happening_pairwise", pairwise_scores(items))
    _put(figures, "happening_bcubed", bcubed_scores(items))
    for name, key in HAPPENING_BASELINES.items():
        base = happening_items(event_pairs, key)
        _put(figures, f"baseline_{name}_pairwise", pairwise_scores(base))
        _put(figures, f"baseline_{name}_bcubed", bcubed_scores(base))
    return Report(figures, dict(counts), per_doc, errors)


# -- reports ---------------------------------------------------------------

HEADLINE = ("date_accuracy", "mention_recall", "typed_recall", "linking_f1", "event_f1", "event_type",
            "event_actor", "event_location", "event_date", "event_killed", "claim_f1", "claim_speaker",
            "claim_modality", "happening_pairwise_f1", "happening_bcubed_f1")


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
        width = max(map(len, report.figures), default=0)
        lines += [f"  {k:<{width}} {_fmt(v)}" for k, v in report.figures.items()]
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
    nlp = extractor.nlp if extractor is not None else None

    @lru_cache(maxsize=None)
    def lemma(s: str) -> str:
        nonlocal nlp
        if nlp is None:
            from .nlp import load_model
            nlp = load_model(config)
        return " ".join(t.lemma_.lower() for t in nlp(s.lower()))

    report = score(gold, tables["documents"], tables["mentions"], tables["events"], tables["claims"], lemma)
    report.problems = problems
    return report


def save_baseline(path: Path, name: str, report: Report) -> None:
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = {k: (round(v, 4) if v is not None else None) for k, v in report.figures.items()}
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
