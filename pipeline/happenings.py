"""Happenings: the events rows of all articles that report one real-world happening, resolved into one row.

A corpus-level stage: events rows (and the documents and entities they belong to) in, three sets of rows out:
the ``happenings`` table, one ``happening_links`` row per event saying which rule joined it and with what
score, and the ``happening_id`` of each event.

Resolution is explainable and bounded:
1. *Blocking*: only events of one family (configs/happenings.yaml) in one country (or of unknown country)
   are compared, and only within the date window of their precision, found by sorting on the date, so N events
   cost about N log N comparisons, not N².
2. *Pair scores*: named evidence (same type, same date, same or nested place, shared actor or target, close
   casualty figures) added up with the weights of the rule file.
3. *Cannot-link rules*: same article, different countries, different named actors, dates out of the window.
4. *Clustering*: pairs joined best first when they reach the threshold, unless a cannot-link rule holds between
   any members of the two clusters (so it is not a bare transitive closure).

A happening's id is derived from its earliest report, so a happening that a run does not touch keeps its id.
Negated and hypothetical events report nothing that happened and get no happening.
"""

from __future__ import annotations

import bisect
from array import array
import datetime as dt
import gc
import hashlib
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from .errors import Errors, PipelineError
from .rules import ListOf, MapOf, Record, read_rule_file
from .schemas import DOCUMENTS, EVENTS, make_row, to_table

UNLISTED_PREFIX = "x:"            # the id prefix of a name no table lists (entities.new_id; not imported, so
                                  # the writer's corpus-level stage does not import spaCy)

PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "none": 3}
WEIGHTS = ("same_type", "same_date", "next_day", "date_inside", "same_place", "place_inside", "same_country",
           "different_places", "shared_actor", "shared_target", "casualties_close", "same_casualties")
CANNOT = ("same_document", "different_countries", "different_named_actors", "outside_date_window")
NOT_HAPPENED = ("negated", "hypothetical")


@dataclass(frozen=True)
class HappeningRules:
    family_of: dict[str, str]
    windows: dict[str, int]
    weights: dict[str, float]
    casualty_ratio: float
    threshold: float
    cannot_link: dict[str, bool]
    lasting: dict[str, int] = field(default_factory=dict)   # event type -> the window of a happening that lasts

    def window(self, r: "Report") -> int:
        """How far in days a report looks for other reports: the window of its date's precision, or the longer
        window of an event type that lasts."""
        return max(self.windows[r.precision], self.lasting.get(r.event_type, 0))


# The schema of configs/happenings.yaml (every key required, no other key allowed).
HAPPENING_RULES = Record({
    "families": MapOf(ListOf(str)),
    "date_window_days": Record({k: int for k in PRECISION_RANK}),
    "weights": Record({k: float for k in WEIGHTS}),
    "lasting_window_days": MapOf(int),
    "casualty_ratio": float,
    "link_threshold": float,
    "cannot_link": Record({k: bool for k in CANNOT}),
})


def load_happening_rules(path: Path, event_types: tuple[str, ...]) -> HappeningRules:
    """The rule file, checked strictly against :data:`HAPPENING_RULES`, and every event type in exactly one
    family."""
    data = read_rule_file(path, HAPPENING_RULES)
    family_of: dict[str, str] = {}
    for family, types in data["families"].items():
        for t in types:
            if t not in event_types or t in family_of:
                raise PipelineError(Errors.E501.format(path=path, reason=(
                    f"families.{family}: {t!r} is " + ("in two families" if t in family_of else
                                                       f"no event type; expected one of {', '.join(event_types)}"))))
            family_of[t] = family
    for t in data["lasting_window_days"]:
        if t not in event_types:
            raise PipelineError(Errors.E501.format(path=path, reason=(
                f"lasting_window_days: {t!r} is no event type; expected one of {', '.join(event_types)}")))
    missing = [t for t in event_types if t not in family_of]
    if missing:
        raise PipelineError(Errors.E501.format(path=path, reason=f"families: no family for {', '.join(missing)}"))
    return HappeningRules(family_of, dict(data["date_window_days"]), dict(data["weights"]),
                          float(data["casualty_ratio"]), float(data["link_threshold"]), dict(data["cannot_link"]),
                          dict(data["lasting_window_days"]))


# -- reports --------------------------------------------------------------------------------------

class Report(NamedTuple):
    """One events row as a report of a happening, with what resolution needs of its document and places."""
    event_id: str
    doc_id: str
    event_type: str
    family: str
    day: dt.date              # the date, or the publication date when the event has none
    precision: str            # day | month | year | none
    country: str | None
    admin1: str | None
    location_id: str | None
    specific: bool            # the location is a town, a facility or a division, not only a country
    actor_id: str | None
    target: str | None
    killed: int | None
    published: dt.date | None
    source: str | None
    feature: str | None = None   # what the location is: country | admin1 | city | facility | other (None unknown)


# The events columns the resolver reads, and those the happenings rows are combined from.
REPORT_COLUMNS = ("event_id", "doc_id", "event_type", "modality", "date", "date_precision", "country_code", "admin1",
                  "location_id", "location_feature", "actor_id", "target_id", "target_text", "killed")
ROW_COLUMNS = ("event_id", "doc_id", "event_type", "date", "date_precision", "location_id", "location_name",
               "country_code", "admin1", "latitude", "longitude", "geo_precision", "actor_id", "actor_name",
               "target_text", "killed", "injured")
INPUT_COLUMNS = tuple(dict.fromkeys((*REPORT_COLUMNS, *ROW_COLUMNS, "happening_id")))
DOC_COLUMNS = ("doc_id", "path", "source", "published", "country_code")


def report_table(events: pa.Table, documents: pa.Table, rules: HappeningRules) -> pa.Table:
    """The events that report something that happened (negated and hypothetical rows, and rows with neither a
    date nor a publication date, left out), with what resolution needs, computed column-wise in Arrow: the
    family, the day (the date, else the publication date), the precision ("none" for a publication date), the
    country (the event's, else its article's), the target (its entity, else its words in lower case), and the
    row's position in ``events`` (``_row``)."""
    doc = documents.take(pc.index_in(events["doc_id"], value_set=documents["doc_id"]))
    day = pc.coalesce(events["date"], doc["published"])
    types = list(rules.family_of)
    type_at = pc.index_in(events["event_type"], value_set=pa.array(types, pa.string()))
    keep = pc.and_(pc.and_(pc.invert(pc.fill_null(pc.is_in(events["modality"], value_set=pa.array(NOT_HAPPENED)),
                                                   False)),
                           pc.is_valid(type_at)),
                   pc.is_valid(day))
    words = pc.utf8_lower(events["target_text"])
    words = pc.if_else(pc.equal(words, ""), pa.scalar(None, pa.string()), words)
    cols = {
        "_row": pa.array(range(events.num_rows), pa.int64()),
        "event_id": events["event_id"], "doc_id": events["doc_id"], "event_type": events["event_type"],
        "family": pc.take(pa.array([rules.family_of[t] for t in types], pa.string()), type_at),
        "day": day,
        "precision": pc.if_else(pc.is_valid(events["date"]), pc.coalesce(events["date_precision"], "none"), "none"),
        "country": pc.coalesce(events["country_code"], doc["country_code"]),
        "admin1": events["admin1"], "location_id": events["location_id"],
        "specific": pc.and_(pc.is_valid(events["location_id"]),
                            pc.fill_null(pc.not_equal(events["location_feature"], "country"), True)),
        "actor_id": events["actor_id"], "target": pc.coalesce(events["target_id"], words),
        "killed": events["killed"], "published": doc["published"], "source": doc["source"],
        "feature": events["location_feature"],
        "happening_id": events["happening_id"] if "happening_id" in events.column_names
        else pa.nulls(events.num_rows, pa.string()),
    }
    return pa.table(cols).filter(keep)


def reports_of(table: pa.Table) -> list[Report]:
    """The rows of a :func:`report_table` as reports."""
    return [Report(*row) for row in zip(*(table[f].to_pylist() for f in Report._fields))]


def reports(events: list[dict], documents: list[dict], rules: HappeningRules) -> list[Report]:
    """The events (rows as dicts) that report something that happened, as reports."""
    return reports_of(report_table(_events_table(events), _documents_table(documents), rules))


def _columns_table(rows: list[dict], schema: pa.Schema, columns: tuple[str, ...]) -> pa.Table:
    """Rows as dicts into a table of these columns of a declared schema (a missing key is null)."""
    return pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows],
                                schema=pa.schema([schema.field(c) for c in columns]))


def _events_table(events: list[dict]) -> pa.Table:
    return _columns_table(events, EVENTS, INPUT_COLUMNS)


def _documents_table(documents: list[dict]) -> pa.Table:
    return _columns_table(documents, DOCUMENTS, DOC_COLUMNS)


# -- rules on pairs -------------------------------------------------------------------------------

def window_days(a: Report, b: Report, rules: HappeningRules) -> int:
    """The date window of a pair: the wider of the two reports' windows (that of the coarser precision, or of a
    lasting event type)."""
    return max(rules.window(a), rules.window(b))


def listed(entity_id: str | None) -> bool:
    """An entity the alias table or the gazetteer knows. Two names it does not know may be one group under two
    names ("CJNG" and "Jalisco New Generation"), so they are no grounds for keeping reports apart."""
    return bool(entity_id) and not entity_id.startswith(UNLISTED_PREFIX)


def cannot_link(a: Report, b: Report, rules: HappeningRules) -> str | None:
    """The name of the first cannot-link rule two reports break, or None."""
    on = rules.cannot_link
    if on["same_document"] and a.doc_id == b.doc_id:
        return "same_document"
    if on["different_countries"] and a.country and b.country and a.country != b.country:
        return "different_countries"
    if on["different_named_actors"] and listed(a.actor_id) and listed(b.actor_id) and a.actor_id != b.actor_id:
        return "different_named_actors"
    if on["outside_date_window"] and abs((a.day - b.day).days) > window_days(a, b, rules):
        return "outside_date_window"
    return None


def date_inside(fine: Report, coarse: Report) -> bool:
    """A stated date inside the period of a coarser stated one: 28 November 2020 in November 2020, February
    2021 in 2021 (publication dates are no stated dates)."""
    if "none" in (fine.precision, coarse.precision) or PRECISION_RANK[fine.precision] >= PRECISION_RANK[coarse.precision]:
        return False
    if coarse.precision == "month":
        return (fine.day.year, fine.day.month) == (coarse.day.year, coarse.day.month)
    return fine.day.year == coarse.day.year


def place_contains(broad: Report, narrow: Report) -> bool:
    """One report's location contains the other's: a country and a place named in that country (its geography,
    else the country its article is about), a first-level division and a place inside it."""
    if not broad.location_id or not narrow.location_id or not narrow.specific:
        return False
    if broad.feature == "country":
        return bool(broad.country) and broad.country == narrow.country
    if broad.feature == "admin1":
        return bool(broad.admin1) and broad.admin1 == narrow.admin1 and broad.country == narrow.country \
            and narrow.feature != "admin1"
    return False


def place_evidence(a: Report, b: Report) -> str | None:
    """What the two reports' places say: ``same_place``; ``place_inside`` (one inside the other, or both in one
    first-level division); ``different_places`` (in different divisions, a negative weight); ``same_country``
    when only the country is shared; None when two places are named whose relation is unknown, or nothing."""
    if a.location_id and a.location_id == b.location_id:
        return "same_place"
    if (a.admin1 and b.admin1 and a.admin1 == b.admin1 and a.country == b.country) or place_contains(a, b) \
            or place_contains(b, a):
        return "place_inside"
    if a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return "different_places"
    if a.specific and b.specific:
        return None
    if a.country and a.country == b.country:
        return "same_country"
    return None


def pair_score(evidence: dict[str, float]) -> float:
    """A pair's score: its evidence weights added up, kept between 0 and 1, to three decimals."""
    return round(max(0.0, min(1.0, sum(evidence.values()))), 3)


def pair_evidence(a: Report, b: Report, rules: HappeningRules) -> dict[str, float]:
    """The named evidence that two reports are one happening, each with its weight."""
    w = rules.weights
    got: dict[str, float] = {}
    if a.event_type == b.event_type:
        got["same_type"] = w["same_type"]
    if a.day == b.day and a.precision == b.precision and a.precision != "none":   # a publication date is no date
        got["same_date"] = w["same_date"]
    elif a.precision == b.precision == "day" and abs((a.day - b.day).days) == 1:
        got["next_day"] = w["next_day"]        # a night attack, or a report a day late
    elif date_inside(a, b) or date_inside(b, a):
        got["date_inside"] = w["date_inside"]
    place = place_evidence(a, b)
    if place is not None:
        got[place] = w[place]
    if a.actor_id and a.actor_id == b.actor_id:
        got["shared_actor"] = w["shared_actor"]
    if a.target and a.target == b.target:
        got["shared_target"] = w["shared_target"]
    if a.killed and b.killed and a.killed == b.killed:
        got["same_casualties"] = w["same_casualties"]   # the same toll: stronger evidence than a close one
    elif a.killed and b.killed and max(a.killed, b.killed) <= rules.casualty_ratio * min(a.killed, b.killed):
        got["casualties_close"] = w["casualties_close"]
    return got


def candidate_pairs(items: list[Report], rules: HappeningRules):
    """Pairs to compare, by blocking: one family and one country (a report of unknown country is compared with
    every country of its family), dates within the window of the pair's coarser precision. Each block is sorted
    by date and every report looks only as far as its own window (found by bisection), so day-precise reports
    cost a few neighbours each and N reports about N log N; each pair comes once. Pairs in different first-level
    divisions that share no actor are left out when the weights could not join them (:func:`apart_needs_actor`)."""
    known: dict[tuple, list[int]] = defaultdict(list)
    unknown: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(items):
        (known[(r.family, r.country)] if r.country else unknown[r.family]).append(i)
    prune = apart_needs_actor(rules)

    def near(a: int, b: int) -> bool:
        x, y = items[a], items[b]
        return not prune or not apart(x, y) or bool(x.actor_id and x.actor_id == y.actor_id)
    for family, members in unknown.items():
        yield from _window_pairs(items, members, rules, near)
    for (family, _), members in known.items():
        yield from _window_pairs(items, members, rules, near)
        strangers = unknown.get(family)
        if strangers:
            inside = set(strangers)
            yield from _window_pairs(items, members + strangers, rules,
                                     lambda a, b: (a in inside) != (b in inside) and near(a, b))


def apart(a: Report, b: Report) -> bool:
    """Whether two reports lie in different first-level divisions: the ``different_places`` evidence of
    :func:`place_evidence`."""
    return place_evidence(a, b) == "different_places"


def apart_needs_actor(rules: HappeningRules) -> bool:
    """Whether two reports in different first-level divisions can only be joined through a shared actor: the most
    such a pair scores without one (the same type, the best date evidence, ``different_places``, a shared target,
    the best casualty evidence; scored as :func:`pair_score` scores) is below the link threshold. Then blocking
    leaves those pairs out before they are scored, which changes no link (tests check it against scoring every
    pair)."""
    w = rules.weights
    best = {"type": max(w["same_type"], 0.0), "date": max(w["same_date"], w["next_day"], w["date_inside"], 0.0),
            "place": w["different_places"], "target": max(w["shared_target"], 0.0),
            "casualties": max(w["same_casualties"], w["casualties_close"], 0.0)}
    return pair_score(best) < rules.threshold


def _window_pairs(items: list[Report], pool: list[int], rules: HappeningRules, keep):
    """Each pair of ``pool`` whose dates are within the window of its coarser precision, once: a pair is found
    from the report with the wider window (ties: the earlier one), looking forward and back from its date."""
    pool = sorted(pool, key=lambda i: (items[i].day, i))
    days = [items[i].day.toordinal() for i in pool]
    rank = {i: (rules.window(items[i]), pos) for pos, i in enumerate(pool)}
    for pos, i in enumerate(pool):
        w = rules.window(items[i])
        lo = bisect.bisect_left(days, days[pos] - w)
        hi = bisect.bisect_right(days, days[pos] + w)
        for j in pool[lo:hi]:
            if j != i and rank[j] < rank[i] and keep(i, j):
                yield (i, j) if i < j else (j, i)


# -- clustering -----------------------------------------------------------------------------------

class Link(NamedTuple):
    event_id: str
    happening_id: str
    linked_to: str | None      # the report it joined through (None for the happening's first report)
    rule: str                  # "first report" or the evidence names joined with "+"
    score: float


def scored_pairs(items: list[Report], rules: HappeningRules) -> list[tuple[float, int, int]]:
    """The candidate pairs that no cannot-link rule forbids and that reach the threshold, best first (ties: by
    the two event ids), as (score, a, b) only: the evidence of the few pairs joined is named again after."""
    scores, first, second = array("d"), array("q"), array("q")
    for a, b in candidate_pairs(items, rules):
        if cannot_link(items[a], items[b], rules):
            continue
        score = pair_score(pair_evidence(items[a], items[b], rules))
        if score >= rules.threshold:
            scores.append(score)
            first.append(a)
            second.append(b)
    rank = [0] * len(items)
    for r, i in enumerate(sorted(range(len(items)), key=lambda i: items[i].event_id)):
        rank[i] = r
    order = sorted(range(len(scores)), key=lambda k: (-scores[k], rank[first[k]], rank[second[k]]))
    return [(scores[k], first[k], second[k]) for k in order]


class Cluster:
    """What the cannot-link rules need of a cluster's members, kept as they merge so two clusters are checked in
    time independent of their size: their articles, known countries, listed actors, and per date window the
    earliest and latest day."""

    __slots__ = ("docs", "countries", "actors", "days")

    def __init__(self, r: Report, rules: HappeningRules):
        self.docs, self.countries = {r.doc_id}, {r.country} if r.country else set()
        self.actors = {r.actor_id} if listed(r.actor_id) else set()
        d = r.day.toordinal()
        self.days = {rules.window(r): (d, d)}

    def absorb(self, other: "Cluster") -> None:
        self.docs |= other.docs
        self.countries |= other.countries
        self.actors |= other.actors
        for w, (lo, hi) in other.days.items():
            a, b = self.days.get(w, (lo, hi))
            self.days[w] = (min(a, lo), max(b, hi))


def clusters_cannot_link(x: Cluster, y: Cluster, rules: HappeningRules) -> bool:
    """Whether a cannot-link rule holds between any member of one cluster and any member of the other (the same
    answer as checking every pair: for dates, the farthest days of each pair of windows decide)."""
    on = rules.cannot_link
    if on["same_document"] and not x.docs.isdisjoint(y.docs):
        return True
    if on["different_countries"] and len(x.countries | y.countries) > 1:
        return True
    if on["different_named_actors"] and len(x.actors | y.actors) > 1:
        return True
    if on["outside_date_window"]:
        for wx, (lx, hx) in x.days.items():
            for wy, (ly, hy) in y.days.items():
                if max(hx - ly, hy - lx) > max(wx, wy):
                    return True
    return False


def resolve(items: list[Report], rules: HappeningRules) -> tuple[dict[str, str], list[Link]]:
    """event_id -> happening_id for every report, and one link per report saying why it is where it is."""
    cluster = list(range(len(items)))
    members: dict[int, Cluster] = {}     # built when a join is first tried for a report (most reports never are)
    size = [1] * len(items)

    def member(root: int) -> Cluster:
        got = members.get(root)
        if got is None:
            got = members[root] = Cluster(items[root], rules)
        return got

    def find(i: int) -> int:
        while cluster[i] != i:
            cluster[i] = cluster[cluster[i]]
            i = cluster[i]
        return i

    edges: dict[int, list[tuple[int, str, float]]] = defaultdict(list)    # the joins actually made
    for score, a, b in scored_pairs(items, rules):
        ra, rb = find(a), find(b)
        if ra == rb or clusters_cannot_link(member(ra), member(rb), rules):
            continue
        if size[ra] < size[rb]:
            ra, rb = rb, ra
        cluster[rb] = ra
        size[ra] += size[rb]
        members[ra].absorb(members.pop(rb))
        rule = "+".join(sorted(pair_evidence(items[a], items[b], rules)))
        edges[a].append((b, rule, score))
        edges[b].append((a, rule, score))
    by_root: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        by_root[find(i)].append(i)
    ids: dict[str, str] = {}
    links: list[Link] = []
    for group in by_root.values():
        first = min(group, key=lambda i: (items[i].published or items[i].day, items[i].event_id))
        hid = happening_id(items[first].event_id)
        links += _tree_links(items, first, hid, edges)
        for i in group:
            ids[items[i].event_id] = hid
    return ids, links


def _tree_links(items: list[Report], first: int, hid: str, edges) -> list[Link]:
    """One link per report of a happening: the join that brought it in, walking the joins from the first report."""
    out = [Link(items[first].event_id, hid, None, "first report", 1.0)]
    seen, queue = {first}, [first]
    while queue:
        i = queue.pop(0)
        for j, rule, score in sorted(edges.get(i, ()), key=lambda e: items[e[0]].event_id):
            if j not in seen:
                seen.add(j)
                queue.append(j)
                out.append(Link(items[j].event_id, hid, items[i].event_id, rule, score))
    return out


def happening_id(first_event_id: str) -> str:
    """A stable id: derived from the happening's first report, so it stays while that report does."""
    return "h" + hashlib.sha256(first_event_id.encode()).hexdigest()[:15]


# -- the happenings table -------------------------------------------------------------------------

def happening_rows(events: list[dict], documents: list[dict], ids: dict[str, str]) -> list[dict]:
    """One row per happening, each field combined from its reports by a stated rule: the most precise date
    (``date_min``/``date_max`` when reports disagree), the location of the most reports, the actor named most,
    killed and injured as the lowest and highest figures, and where sources differ, ``disagreements``."""
    docs = {d["doc_id"]: d for d in documents}
    groups: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        if e["event_id"] in ids:
            groups[ids[e["event_id"]]].append(e)
    return [_happening(hid, rows, docs) for hid, rows in sorted(groups.items())]


def _most(values):
    counts: dict = defaultdict(int)
    for v in values:
        if v is not None:
            counts[v] += 1
    return max(counts, key=lambda v: (counts[v], str(v)), default=None) if counts else None


def _happening(hid: str, rows: list[dict], docs: dict) -> dict:
    src = {r["event_id"]: (docs.get(r["doc_id"], {}).get("source") or docs.get(r["doc_id"], {}).get("path") or "?")
           for r in rows}
    dated = [r for r in rows if r.get("date")]
    best = min(dated, key=lambda r: (PRECISION_RANK.get(r.get("date_precision") or "none", 3), r["date"]),
               default=None)
    place = _most(r.get("location_id") for r in rows)
    placed = next((r for r in rows if r.get("location_id") == place), {}) if place else {}
    actor = _most(r.get("actor_id") or r.get("actor_name") for r in rows)
    acted = next((r for r in rows if (r.get("actor_id") or r.get("actor_name")) == actor), {}) if actor else {}
    killed = [r["killed"] for r in rows if r.get("killed") is not None]
    injured = [r["injured"] for r in rows if r.get("injured") is not None]
    published = [docs[r["doc_id"]]["published"] for r in rows if docs.get(r["doc_id"], {}).get("published")]
    return make_row("happenings", **{
        "happening_id": hid, "event_type": _most(r["event_type"] for r in rows),
        "date": best["date"] if best else None, "date_precision": best.get("date_precision") if best else None,
        "date_min": min(r["date"] for r in dated) if dated else None,
        "date_max": max(r["date"] for r in dated) if dated else None,
        "location_id": place, "location_name": placed.get("location_name"),
        "country_code": placed.get("country_code") or _most(r.get("country_code") for r in rows),
        "admin1": placed.get("admin1"), "latitude": placed.get("latitude"), "longitude": placed.get("longitude"),
        "geo_precision": placed.get("geo_precision"),
        "actor_id": acted.get("actor_id"), "actor_name": acted.get("actor_name"),
        "target_text": _most(r.get("target_text") for r in rows),
        "killed_min": min(killed) if killed else None, "killed_max": max(killed) if killed else None,
        "injured_min": min(injured) if injured else None, "injured_max": max(injured) if injured else None,
        "n_reports": len(rows), "n_documents": len({r["doc_id"] for r in rows}),
        "n_sources": len({docs.get(r["doc_id"], {}).get("source") for r in rows
                          if docs.get(r["doc_id"], {}).get("source")}),
        "first_reported": min(published) if published else None,
        "last_reported": max(published) if published else None,
        "disagreements": disagreements(rows, src),
    })


def disagreements(rows: list[dict], source_of: dict[str, str]) -> str | None:
    """Where reports differ, each value with its sources: "killed: 15 (AP), 54 (Reuters); date: ..."."""
    parts = []
    for field, show in (("killed", str), ("injured", str), ("date", lambda d: d.isoformat()),
                        ("location_name", str), ("actor_name", str)):
        values: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            if r.get(field) is not None:
                s = source_of[r["event_id"]]
                if s not in values[show(r[field])]:
                    values[show(r[field])].append(s)
        if len(values) > 1:
            label = field.replace("_name", "")
            parts.append(f"{label}: " + ", ".join(f"{v} ({', '.join(s)})" for v, s in sorted(values.items(),
                                                                                             key=_value_order)))
    return "; ".join(parts) or None


def _value_order(item):
    v = item[0]
    return (0, int(v), v) if v.isdigit() else (1, 0, v)


def link_rows(links: list[Link]) -> list[dict]:
    return [make_row("happening_links", **link._asdict()) for link in links]


def resolve_happenings(events: list[dict], documents: list[dict], rules: HappeningRules):
    """The whole stage on rows as dicts, everything resolved: (happenings rows, happening_links rows,
    event_id -> happening_id)."""
    ev = _events_table(events)
    h, links, column = resolve_tables(ev, _documents_table(documents), rules)
    ids = {e: hid for e, hid in zip(ev["event_id"].to_pylist(), column.to_pylist()) if hid is not None}
    return h.to_pylist(), links.to_pylist(), ids


# -- the stage on tables, incremental -------------------------------------------------------------

@contextmanager
def collector_paused():
    """The cyclic garbage collector off while the resolver builds its objects (a Report per events row, pairs,
    clusters: none of them in a reference cycle), on again after, as it was. Each collection it would start on
    the way traverses the whole heap, a loaded model's objects included in a process that holds one: measured
    on 20,000 synthetic events beside a loaded model, 3.4 s with the collector and 1.9 s without."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def resolve_tables(events: pa.Table, documents: pa.Table, rules: HappeningRules,
                   prior: tuple[pa.Table, pa.Table] | None = None, full_share: float = 0.25):
    """The stage on Arrow tables: (happenings, happening_links, the events' happening_id column in the order of
    ``events``). ``events`` needs :data:`INPUT_COLUMNS`, ``documents`` :data:`DOC_COLUMNS`.

    With ``prior`` (the stored happenings and happening_links tables, built under the same rules), only the
    happenings that changed articles touch are resolved again (:func:`touched`); every other happening keeps
    its rows, links and id as stored. Without it, or when more than ``full_share`` of the reports are touched,
    everything is resolved."""
    with collector_paused():
        return _resolve_tables(events, documents, rules, prior, full_share)


def _resolve_tables(events: pa.Table, documents: pa.Table, rules: HappeningRules,
                    prior: tuple[pa.Table, pa.Table] | None, full_share: float):
    """:func:`resolve_tables` itself."""
    reported = report_table(events, documents, rules)
    plan = touched(reported, events["event_id"], prior[1], rules, full_share) if prior is not None else None
    subset, dropped = (reported, None) if plan is None else plan
    ids, links = resolve(reports_of(subset), rules)
    wanted = pc.is_in(documents["doc_id"], value_set=pc.unique(subset["doc_id"]))
    rows = happening_rows(events.take(subset["_row"]).select(list(ROW_COLUMNS)).to_pylist(),
                          documents.filter(wanted).to_pylist(), ids)
    happenings, link_table = to_table("happenings", rows), to_table("happening_links", link_rows(links))
    old = events["happening_id"].to_pylist() if dropped is not None else [None] * events.num_rows
    for row, eid in zip(subset["_row"].to_pylist(), subset["event_id"].to_pylist()):
        old[row] = ids.get(eid)
    if dropped is not None:
        gone = pa.array(sorted(dropped), pa.string())
        kept_h = prior[0].filter(pc.invert(pc.is_in(prior[0]["happening_id"], value_set=gone)))
        kept_l = prior[1].filter(pc.and_(pc.invert(pc.is_in(prior[1]["happening_id"], value_set=gone)),
                                         pc.is_in(prior[1]["event_id"], value_set=events["event_id"])))
        happenings = pa.concat_tables([kept_h.cast(happenings.schema), happenings])
        link_table = pa.concat_tables([kept_l.cast(link_table.schema), link_table])
    return (happenings.take(pc.sort_indices(happenings, [("happening_id", "ascending")])),
            link_table.take(pc.sort_indices(link_table, [("happening_id", "ascending")])),
            pa.array(old, pa.string()))


def touched(reported: pa.Table, event_ids: pa.Array, prior_links: pa.Table, rules: HappeningRules,
            full_share: float = 0.25) -> tuple[pa.Table, set[str]] | None:
    """What an incremental run resolves again: (the reports to resolve, the stored happening ids they replace),
    or None when so much changed that resolving everything is as cheap.

    The seeds are the reports with no happening yet (from added or changed articles) and the remaining reports
    of every happening that lost a report (from a removed or changed article); the happenings any seed could
    join (same family, compatible country, within the pair's date window: the blocking rule) are resolved
    again with them, all their reports included. A happening none of them touches keeps its rows and its id."""
    new = pc.is_null(reported["happening_id"])
    fresh = reported.filter(new)["event_id"]
    lost = pc.or_(pc.invert(pc.is_in(prior_links["event_id"], value_set=event_ids)),
                  pc.is_in(prior_links["event_id"], value_set=fresh))
    dirty = set(prior_links.filter(lost)["happening_id"].to_pylist())
    seeds = pc.or_(new, pc.is_in(reported["happening_id"], value_set=pa.array(sorted(dirty), pa.string())))
    n_seeds = pc.sum(seeds).as_py() or 0
    if n_seeds > full_share * max(1, reported.num_rows):
        return None
    near = within_reach(reported, seeds, rules)
    affected = dirty | set(reported.filter(near)["happening_id"].drop_null().to_pylist())
    keep = pc.or_(new, pc.is_in(reported["happening_id"], value_set=pa.array(sorted(affected), pa.string())))
    return reported.filter(keep), affected


def within_reach(reported: pa.Table, seeds: pa.Array, rules: HappeningRules) -> pa.Array:
    """Which reports some seed (``seeds``: a mask over ``reported``) could be a candidate pair with (the blocking
    of :func:`candidate_pairs` without its pre-filter of pairs in different divisions, so a little wider: one
    family, the same country or either unknown, days within the window of the pair's coarser precision),
    computed column-wise: per seed block and window class, a report is in reach when some seed's interval of
    days holds its day (counted by bisection over the sorted interval starts and ends)."""
    import numpy as np

    order = list(PRECISION_RANK)
    days = pc.cast(reported["day"], pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)
    wins = np.array([rules.windows[p] for p in order])[
        pc.index_in(reported["precision"], value_set=pa.array(order)).to_numpy(zero_copy_only=False)]
    etypes = reported["event_type"].to_numpy(zero_copy_only=False)
    for etype, days_lasting in rules.lasting.items():            # as HappeningRules.window, column-wise
        wins = np.where(etypes == etype, np.maximum(wins, days_lasting), wins)
    family = reported["family"].to_numpy(zero_copy_only=False)
    country = reported["country"].to_numpy(zero_copy_only=False)
    unknown = pc.is_null(reported["country"]).to_numpy(zero_copy_only=False)
    near = np.zeros(reported.num_rows, dtype=bool)
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for s in np.flatnonzero(seeds.to_numpy(zero_copy_only=False)):
        blocks[(family[s], country[s])].append(s)
    for (fam, ctry), members in blocks.items():
        members = np.array(members)
        cand = family == fam
        if ctry is not None:
            cand &= (country == ctry) | unknown
        for w in np.unique(wins[cand]):
            idx = np.flatnonzero(cand & (wins == w))
            reach = np.maximum(wins[members], w)
            lo, hi = np.sort(days[members] - reach), np.sort(days[members] + reach)
            d = days[idx]
            near[idx] |= np.searchsorted(lo, d, "right") > np.searchsorted(hi, d, "left")
    return pa.array(near)

