"""Discourse passes of the events stage: what a sentence's happenings take from the story told before.

The story so far is a :class:`Story` (its rows, and the last date it gave). Each pass is a pure function:
rows (or one row) in, new rows out; none changes a row behind the reader's back. Per sentence, in order:

1. :func:`responsibility`: a claim of responsibility names the actor of the violent happenings just reported;
2. :func:`shift_dates`: "a year earlier", "two days later" count from the last date the story gave;
then for each new row (:func:`add_row`):
3. :func:`claimant_actor`: a violent happening of the claim's own sentence takes the claimant;
4. :func:`pronoun_actor`: "they were also behind ..." is the group behind the violence just reported;
5. :func:`restated` / :func:`merged`: "the attack" restates a happening already reported and adds to its row;
6. :func:`inherit`: a place or date the sentence does not give comes from the story around it.
At the end of the document (:func:`consolidate`): the rows that state one happening become one row, each field
combined by a stated rule (:func:`combined`); a background mention of an earlier happening, dated otherwise,
stays a row of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from .dates import DateValue, shift
from .triggers import Candidate

EXACT_DATES = ("explicit", "relative")
UNSTATED_DATES = ("publication", "none", "report")     # no date stated for the happening itself
MERGED_FIELDS = ("actor_id", "actor_name", "killed", "injured", "hostages", "location_id", "location_name")
DATE_FIELDS = ("date", "date_precision", "date_text", "date_method")


class Marks(NamedTuple):
    """What the consolidation pass knows of a row beyond its columns."""
    own_date: bool          # the date was stated in its own sentence (not inherited, not the publication date)
    own_place: bool         # the place was named in its own sentence (not inherited from the scene)
    new: bool               # marked as another happening ("another attack")
    deictic: bool = False   # its date is a day word ("yesterday", "last night"): counted from the writing day
    definite: bool = False  # told by a definite noun ("the attack"): it refers to a happening told before


class Happening(NamedTuple):
    """The triggers of one happening in a sentence: its type, the anchor trigger and all its triggers."""
    type: str
    anchor: Candidate
    members: list[Candidate]


@dataclass(frozen=True)
class Story:
    rows: tuple[dict, ...] = ()
    last_date: tuple[int, DateValue] | None = None      # (sent_idx, date) of the last date the story gave


def responsibility(rows: tuple[dict, ...], claimant, sidx: int, tax) -> tuple[dict, ...]:
    """The violent rows without an actor of the last ``responsibility_sentences`` sentences take the
    group that claims responsibility for them."""
    out = list(rows)
    for k in range(len(out) - 1, -1, -1):
        r = out[k]
        if sidx - r["sent_idx"] > tax.windows["responsibility_sentences"]:
            break
        if r["event_type"] in tax.violent_types and r["actor_id"] is None:
            out[k] = {**r, "actor_id": claimant.entity_id, "actor_name": claimant.canonical_name}
    return tuple(out)


def shift_dates(dates: tuple, sent, last_date: tuple[int, DateValue] | None) -> tuple:
    """The document's dates with the shifted ones of this sentence counted from the date given just before them
    in the sentence ("the military said on Saturday they had killed 11 militants ... the day before": from
    Saturday), else from the last date the story gave."""
    out = []
    for e, d in dates:
        if sent.start <= e.start < sent.end and d.offset is not None:
            before = [v for x, v in dates if sent.start <= x.start < e.start and v.date is not None and v.offset is None]
            anchor = before[-1] if before else (last_date[1] if last_date else None)
            if anchor is not None:
                d = shift(d, anchor)
        out.append((e, d))
    return tuple(out)


def claimant_actor(row: dict, claimant, tax) -> dict:
    """A violent happening with no actor, in the sentence of a claim of responsibility, takes the claimant."""
    if row["actor_id"] is None and claimant and row["event_type"] in tax.violent_types:
        return {**row, "actor_id": claimant.entity_id, "actor_name": claimant.canonical_name}
    return row


def pronoun_actor(row: dict, rows: tuple[dict, ...], tax) -> dict:
    """A violent happening whose actor is 'they' takes the actor of the last violent row that has one."""
    if row["event_type"] in tax.violent_types and (row["actor_text"] or "").lower() in tax.lex.plural_pronouns:
        prev = next((r for r in reversed(rows) if r["event_type"] in tax.violent_types and r["actor_id"]), None)
        if prev is not None:
            return {**row, "actor_id": prev["actor_id"], "actor_name": prev["actor_name"]}
    return row


def restated(rows: tuple[dict, ...], row: dict, h: Happening, tax) -> int | None:
    """The index of the earlier row a nominal trigger refers back to: a definite one ("the attack", "China's
    offer") unless it has a date of its own that differs; an indefinite one at the same place ("thwarting
    a terrorist attack in Mach" after the attack on Mach). "Another attack" is a new one. A definite violent
    reference with no violent row before it refers to the state operation of the scene ("the bombing" after "an
    airstrike by the army")."""
    lex = tax.lex
    if not all(c.nominal for c in h.members) or any(
            ch.lower_ in lex.new for c in h.members for ch in c.token.children):
        return None
    definite = any(ch.lower_ in lex.definite or ch.lower_ in lex.possessive or ch.dep_ == "poss"
                   for c in h.members for ch in c.token.children)
    violent = h.type in tax.violent_types
    families = [tax.violent_types if violent else (h.type,)]
    if violent and definite:
        families.append(tax.violence_scene_types)     # "the attack" after "an air strike by the army killed 40"
    for family in families:
        for k in range(len(rows) - 1, -1, -1):
            r = rows[k]
            if r["event_type"] in family and r["modality"] == "asserted":
                if row["date_method"] in EXACT_DATES and r["date_method"] in EXACT_DATES and row["date"] != r["date"]:
                    return None
                if not definite and not (row["location_id"] and row["location_id"] == r["location_id"]):
                    return None
                return k
    return None


def narrowed(earlier: dict, place, span: list[int], breadth: dict) -> dict:
    """A reference to a happening ("investigating the explosion at Mindanao State University") names its
    place: the row takes it when it has none or a broader one; the reference's span joins ``also_spans``."""
    out = dict(earlier)
    if earlier["location_id"] is None or breadth.get(place.entity_id, 0) < breadth.get(earlier["location_id"], 0):
        out.update(location_id=place.entity_id, location_name=place.canonical_name)
    out["also_spans"] = sorted(list(earlier.get("also_spans") or []) + [span])
    return out


def merged(earlier: dict, row: dict, breadth: dict | None = None) -> dict:
    """'The attack', 'that blast': the earlier row with what this sentence adds to it: the fields it lacks, a
    narrower place ("the attack on the outpost in Indelimane" after "an attack in Mali"; ``breadth`` by entity
    id: 2 a country, 1 a province, 0 narrower), the larger toll, and the restatement's span in ``also_spans``."""
    out = {**earlier, **{k: row[k] for k in MERGED_FIELDS if earlier[k] is None and row[k] is not None}}
    if earlier["date_method"] in UNSTATED_DATES and row["date_method"] in EXACT_DATES:
        out.update({k: row[k] for k in DATE_FIELDS})
    if breadth is not None and row["location_id"] and earlier["location_id"] and \
            breadth.get(row["location_id"], 0) < breadth.get(earlier["location_id"], 0):
        out.update(location_id=row["location_id"], location_name=row["location_name"])
    for col in ("killed", "injured", "hostages"):
        if earlier[col] is not None and row[col] is not None and row[col] > earlier[col]:
            out[col] = row[col]
            if col == "killed" and "killed_text" in row:
                out["killed_text"] = row["killed_text"]
    if "also_spans" in earlier:
        out["also_spans"] = sorted(list(earlier["also_spans"] or []) + [[row["start_char"], row["end_char"]]])
    return out


def carried_marks(marks: dict, before: tuple[dict, ...], after: tuple[dict, ...], row: dict) -> dict:
    """A restatement merged into an earlier row (:func:`merged`) that gave the row its date ("the attack
    occurred on Sunday" after an undated "they started beheading"): the row's marks then say of its date what
    the restatement's say (stated in its own sentence, a day word). The marks by event id, updated."""
    if row["event_id"] not in marks or len(before) != len(after):
        return marks
    for old, new in zip(before, after):
        if old is not new and any(old[k] != new[k] for k in DATE_FIELDS) and \
                all(new[k] == row[k] for k in DATE_FIELDS) and new["event_id"] in marks:
            told = marks[row["event_id"]]
            return {**marks, new["event_id"]: marks[new["event_id"]]._replace(own_date=told.own_date,
                                                                            deictic=told.deictic)}
    return marks


def inherit(row: dict, h: Happening, rows: tuple[dict, ...], last_date, published: dt.date | None, tax) -> dict:
    """A place or date the sentence does not give comes from the story around it: the scene of the
    happening just reported (not for a background happening dated otherwise), the last date given while the story goes on ("security forces killed ..."),
    else the publication date (not for a happening told as earlier than its clause, :func:`told_as_earlier`).
    A new happening ("a suicide bomber killed ...") does not inherit a date."""
    sidx, lex, out = row["sent_idx"], tax.lex, dict(row)
    # "a month after two assaults killed 40", "since the military ousted ... in a 2021 coup" after an undated
    # report of today's strike: not the scene's place
    earlier = bool(rows) and rows[-1]["date"] is not None and background(row, rows[-1], None, tax)
    if row["location_id"] is None and rows and sidx - rows[-1]["sent_idx"] <= tax.windows["scene_sentences"] and (
            tax.scene(h.type) == tax.scene(rows[-1]["event_type"])) and not earlier:
        out.update(location_id=rows[-1]["location_id"], location_name=rows[-1]["location_name"])
    continuing = not any(m.nominal and any(ch.lower_ in lex.indefinite or ch.lower_ in lex.new
                                           for ch in m.token.children) for m in h.members) and (
        not h.anchor.nominal or any(ch.lower_ in lex.definite for ch in h.anchor.token.children))
    if row["date_method"] == "none" and last_date and sidx - last_date[0] <= tax.windows["date_sentences"] \
            and continuing:
        d = last_date[1]
        out.update(date=d.date, date_precision=d.precision, date_text=d.text, date_method=d.method)
    elif row["date_method"] == "none" and published and row["modality"] == "asserted" and not told_as_earlier(h, tax):
        out.update(date=published, date_precision="day", date_text=None, date_method="publication")
    return out


def told_as_earlier(h: Happening, tax) -> bool:
    """Whether a happening is told as one that came before the clause it sits in: its noun is the object of one
    of ``earlier_prepositions`` ("is pushing ... after a car bombing near the airport"). It happened some time
    before the report, so the publication day is not its date: it stays undated unless the story dates it
    elsewhere (a restatement it is consolidated with, "Last month, an airport bombing ...")."""
    tok = h.anchor.token
    return h.anchor.nominal and tok.dep_ == "pobj" and tok.head.lower_ in tax.earlier_prepositions


def remember_date(last_date, row: dict):
    """The last date the story gave: this row's when it states one or a report of it dates it."""
    if row["date_method"] in EXACT_DATES + ("report",):
        return row["sent_idx"], DateValue(row["date"], row["date_precision"], row["date_method"], row["date_text"])
    return last_date


def add_row(story: Story, row: dict, h: Happening, claimant, published: dt.date | None, tax,
            breadth: dict | None = None) -> Story:
    """The story with one more happening: a new row, or what it adds to the row it restates."""
    row = pronoun_actor(claimant_actor(row, claimant, tax), story.rows, tax)
    k = restated(story.rows, row, h, tax)
    if k is not None:
        return Story(story.rows[:k] + (merged(story.rows[k], row, breadth),) + story.rows[k + 1:], story.last_date)
    row = inherit(row, h, story.rows, story.last_date, published, tax)
    return Story(story.rows + (row,), remember_date(story.last_date, row))


# -- one row per happening within an article ----------------------------------------------------------------

COUNTED = ("asserted", "hedged")
PRECISION_ORDER = {"day": 0, "month": 1, "year": 2}


def merge_family(typ: str, tax) -> str:
    """Rows that may state one happening: the violent types together (a blast that kills is a bombing and a
    killing), every other type on its own (the state's response to violence is a happening of its own)."""
    return "violence" if typ in tax.violent_types else typ


def dates_agree(a: dict, b: dict, tax) -> bool:
    """Two dates stated for a happening agree when they name one period at the coarser of their precisions,
    day-precise ones within ``windows.same_happening_days`` (a night attack is reported for two days)."""
    if "publication" in (a["date_method"], b["date_method"]):
        return news_date_agrees(a, b, tax)
    coarse = max(a["date_precision"] or "year", b["date_precision"] or "year", key=PRECISION_ORDER.get)
    if coarse == "day":
        return abs((a["date"] - b["date"]).days) <= tax.windows["same_happening_days"]
    if coarse == "month":
        return (a["date"].year, a["date"].month) == (b["date"].year, b["date"].month)
    return a["date"].year == b["date"].year


def news_date_agrees(a: dict, b: dict, tax) -> bool:
    """A statement dated only by its publication tells of a recent happening: it agrees with a date stated
    for the happening when that date's period ends within ``windows.news_days`` before publication (a
    background happening of 2021 is not what an undated sentence of a 2025 report restates)."""
    if a["date_method"] == "publication" and b["date_method"] == "publication":
        return True
    pub, other = (a, b) if a["date_method"] == "publication" else (b, a)
    d, p = other["date"], other["date_precision"]
    end = d if p == "day" else (dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1) - dt.timedelta(days=1)
                                if p == "month" else dt.date(d.year, 12, 31))
    return (pub["date"] - end).days <= tax.windows["news_days"]


def places_agree(a: dict, b: dict, breadth: dict) -> bool:
    """Two places of one happening: the same, or one broad (a country, a province) and the other narrower, or
    two narrow places whose relation is unknown (a village and the district it lies in, when the gazetteer knows
    neither); two different countries or provinces are two happenings."""
    if not a["location_id"] or not b["location_id"] or a["location_id"] == b["location_id"]:
        return True
    ba, bb = breadth.get(a["location_id"], 0), breadth.get(b["location_id"], 0)
    return ba != bb or ba == 0


def same_happening(a: dict, b: dict, ma: Marks, mb: Marks, breadth: dict, tax) -> bool:
    """Whether two rows of one article state one happening: of one merge family and of one type unless one of
    them is a toll statement (the taxonomy's ``toll_types``: "15 soldiers were killed" states the toll of the
    attack), neither marked as another happening, their dates (stated or carried on by the story) agreeing,
    places compatible (:func:`places_agree`), and no two differing actors named."""
    if merge_family(a["event_type"], tax) != merge_family(b["event_type"], tax) or ma.new or mb.new:
        return False
    if a["event_type"] != b["event_type"] and not {a["event_type"], b["event_type"]} & tax.toll_types:
        return False        # a blast and an ambush told apart are two happenings; a toll belongs to either
    if a["date"] is not None and b["date"] is not None and not dates_agree(a, b, tax):
        return False
    if a["actor_id"] and b["actor_id"] and a["actor_id"] != b["actor_id"]:
        return False
    return places_agree(a, b, breadth)


def joins(group: list[dict], row: dict, marks: dict, breadth: dict, tax) -> bool:
    """Whether a row states the happening of a group: one happening with every row of it
    (:func:`same_happening`, so the grouping is no transitive chain), and, when its type differs from the
    group's (a toll), told within ``windows.part_sentences`` of one of its rows: the parts of one happening are
    told together; a definite reference ("the attack occurred on Sunday") refers back however far."""
    m = marks[row["event_id"]]
    if not all(x["event_id"] in marks and same_happening(x, row, marks[x["event_id"]], m, breadth, tax)
               for x in group):
        return False
    return all(x["event_type"] == row["event_type"] for x in group) or m.definite or any(
        abs(x["sent_idx"] - row["sent_idx"]) <= tax.windows["part_sentences"] for x in group)


def says_most(row: dict, mark: Marks) -> int:
    """How much a statement says of its happening: its actor, place, toll and a date of its own."""
    return sum((row["actor_id"] is not None, row["location_id"] is not None,
                row["killed"] is not None or row["injured"] is not None, mark.own_date))


def combined(group: list[dict], marks: dict, claimants: frozenset, breadth: dict, tax) -> dict:
    """One row of the statements of one happening: the span of the statement that says most (the others in
    ``also_spans``); the most specific type; the most precise date stated in its own sentence; the actor of a
    claim of responsibility, else of the statement that says most, else the first named; the most specific
    place named in its own sentence (else inherited); the largest casualty figures (``killed_text`` the sentence of the killed figure)."""
    if len(group) == 1:
        return group[0]
    mk = [marks[r["event_id"]] for r in group]
    order = sorted(range(len(group)), key=lambda i: (-says_most(group[i], mk[i]), i))
    best = group[order[0]]
    out = dict(best)
    ranked = [group[i] for i in order]
    typed = max(ranked, key=lambda r: tax.types[r["event_type"]].priority)
    out.update(event_type=typed["event_type"], cameo_root=typed["cameo_root"], acled_type=typed["acled_type"])
    d = group_date(group, mk, order)
    if d is not None:
        out.update({k: d[k] for k in DATE_FIELDS})
    acted = next((r for r in ranked if r["actor_id"] in claimants), None) or next(
        (r for r in ranked if r["actor_id"]), None)
    if acted is not None:
        out.update(actor_id=acted["actor_id"], actor_name=acted["actor_name"], actor_text=acted["actor_text"])
    if out["target_text"] is None:
        aimed = next((r for r in ranked if r["target_text"]), None)
        if aimed is not None:
            out.update(target_id=aimed["target_id"], target_text=aimed["target_text"])
    placed = [(not mk[i].own_place, breadth.get(group[i]["location_id"], 0), k, group[i])
              for k, i in enumerate(order) if group[i]["location_id"]]
    if placed:
        p = min(placed, key=lambda x: x[:3])[3]
        out.update(location_id=p["location_id"], location_name=p["location_name"])
    for col in ("killed", "injured", "hostages"):
        figures = [r for r in ranked if r[col] is not None]
        if figures:
            top = max(figures, key=lambda r: r[col])
            out[col] = top[col]
            if col == "killed":
                out["killed_text"] = top["killed_text"]
    out["confidence"] = max(r["confidence"] for r in group)
    spans = {tuple(x) for r in group for x in (r.get("also_spans") or [])} | {
        (r["start_char"], r["end_char"]) for r in group if r is not best}
    out["also_spans"] = sorted([a, b] for a, b in spans if (a, b) != (best["start_char"], best["end_char"]))
    return out


def group_date(group: list[dict], mk: list[Marks], order: list[int]) -> dict | None:
    """The row whose date a happening's statements give it: the most precise date stated in its own sentence, a
    weekday or a calendar date before a day word ("on Sunday" before "yesterday": a day word counts from the
    writing day, which may precede the publication date), then the statement that says most; with no date
    stated, one a report of it gives (method ``report``)."""
    dated = [(PRECISION_ORDER.get(group[i]["date_precision"], 3), mk[i].deictic, k, group[i])
             for k, i in enumerate(order) if mk[i].own_date]
    if dated:
        return min(dated, key=lambda x: x[:3])[3]
    return next((group[i] for i in order if group[i]["date_method"] == "report"), None)


def consolidate(rows: tuple[dict, ...], marks: dict, texts: dict, claimants: frozenset, breadth: dict,
                tax) -> tuple[dict, ...]:
    """Rows in, rows out: the rows of an article that state one happening (:func:`same_happening` with every
    row of the group) become one row (:func:`combined`), in the place of its first statement. Negated and
    hypothetical rows stay rows of their own. ``texts``: the sentences by index (killed_text); ``breadth``: how
    broad each place is, by entity id (2 a country, 1 a province, 0 narrower)."""
    rows = tuple({**r, "killed_text": r["killed_text"] if r["killed_text"] is not None or r["killed"] is None
                  else texts.get(r["sent_idx"])} for r in rows)
    groups: list[list[dict]] = []
    for r in rows:
        m = marks.get(r["event_id"])
        target = None
        if m is not None and r["modality"] in COUNTED:
            target = next((g for g in groups if g[0]["modality"] in COUNTED and joins(g, r, marks, breadth, tax)),
                          None)
        if target is None:
            groups.append([r])
        else:
            target.append(r)
    lag = writing_lag(groups, marks, tax)
    if lag:
        groups = [[dict(r, date=r["date"] + dt.timedelta(days=lag)) if marks.get(r["event_id"]) is not None
                   and marks[r["event_id"]].deictic else r for r in g] for g in groups]
    return tuple(combined(g, marks, claimants, breadth, tax) for g in groups)


def writing_lag(groups: list[list[dict]], marks: dict, tax) -> int:
    """How many days the story was written before its publication date, when its own dates show it: a
    happening dated both by a day word and by a weekday or a calendar date ("yesterday evening" and "on Sunday"
    in a story published on Tuesday: written on Monday) gives the lag, in days (within
    ``windows.same_happening_days``); every such happening must agree, else (or with none) 0. Day words count
    from the writing day, so every one of them moves by the lag."""
    lags = set()
    for g in groups:
        own = [(marks[r["event_id"]].deictic, r["date"]) for r in g if r["event_id"] in marks
               and marks[r["event_id"]].own_date and r["date_precision"] == "day"]
        words = {d for deictic, d in own if deictic}
        named = {d for deictic, d in own if not deictic}
        if len(words) == 1 and len(named) == 1:
            lag = (next(iter(named)) - next(iter(words))).days
            if abs(lag) <= tax.windows["same_happening_days"]:
                lags.add(lag)
    return lags.pop() if len(lags) == 1 else 0


def story_day(rows: tuple[dict, ...], published: dt.date | None, tax) -> dict | None:
    """The day the story tells of: the first day-precise date a row states (in text order), when it is the
    publication date or at most ``windows.same_happening_days`` before it (a report filed the day after);
    None when no row states such a date."""
    if published is None:
        return None
    for r in sorted(rows, key=lambda r: r["sent_idx"]):
        if r["date_method"] in EXACT_DATES and r["date_precision"] == "day" and r["date"] is not None:
            lag = (published - r["date"]).days
            return r if 0 <= lag <= tax.windows["same_happening_days"] else None
    return None


def on_story_day(rows: tuple[dict, ...], published: dt.date | None, tax) -> tuple[dict, ...]:
    """Rows in, rows out: a happening dated only by the publication date took place on the story's day
    (:func:`story_day`: "Police have detained 12 suspects" in a report of Friday's attack published on
    Saturday), method ``story``."""
    day = story_day(rows, published, tax)
    if day is None or day["date"] == published:
        return rows
    return tuple({**r, "date": day["date"], "date_precision": "day", "date_text": day["date_text"],
                  "date_method": "story"} if r["date_method"] == "publication" else r for r in rows)


class Aside(NamedTuple):
    """A sentence that reports no happening of its own: the places it names in locative phrases and the dates
    it gives."""
    places: tuple
    dates: tuple          # DateValue


def elaborated(rows: tuple[dict, ...], asides: dict, place_of, published: dt.date | None, tax) -> tuple[dict, ...]:
    """Rows in, rows out: a happening placed only in a country takes the narrower place the sentence after
    (else before) it names, when that sentence reports no happening of its own and the gazetteer puts the
    place in that country ("... days after kidnapping him in northern Colombia. [He was] taken ... as they
    were driving in La Guajira province on Saturday"); with no date stated for it, the one day that sentence
    gives within ``windows.news_days`` before publication dates it too. ``asides``: :class:`Aside` by sentence
    index; ``place_of``: entity id -> gazetteer place or None."""
    if place_of is None or not asides:
        return rows
    out = []
    for r in rows:
        country = place_of(r["location_id"]) if r["location_id"] and r["modality"] in COUNTED else None
        if country is not None and country.feature == "country":
            for k in (r["sent_idx"] + 1, r["sent_idx"] - 1):
                got = aside_place(asides.get(k), country.country_code, place_of)
                if got is not None:
                    r = {**r, "location_id": got.entity_id, "location_name": got.canonical_name}
                    day = aside_day(asides[k], published, tax)
                    if day is not None and r["date_method"] in UNSTATED_DATES + ("story",):
                        r = {**r, "date": day.date, "date_precision": "day", "date_text": day.text,
                             "date_method": day.method}
                    break
        out.append(r)
    return tuple(out)


def aside_place(aside: Aside | None, country_code: str, place_of):
    """The narrowest place of an aside sentence inside the country (a town before a division), or None; an
    aside that names another country says nothing of this happening."""
    if aside is None:
        return None
    inside = []
    for m in aside.places:
        p = place_of(m.entity_id)
        if p is None:
            continue
        if p.country_code != country_code or p.feature == "country":
            return None
        inside.append((p.feature == "admin1", m))
    return min(inside, key=lambda x: x[0])[1] if inside else None


def aside_day(aside: Aside, published: dt.date | None, tax) -> DateValue | None:
    """The one day-precise date an aside gives, stated within ``windows.news_days`` before publication."""
    days = {d for d in aside.dates if d.method in EXACT_DATES and d.precision == "day" and published
            and 0 <= (published - d.date).days <= tax.windows["news_days"]}
    return next(iter(days)) if len({d.date for d in days}) == 1 else None


def several_victims(rows: tuple[dict, ...], tax) -> tuple[dict, ...]:
    """Rows in, rows out: a killing of several victims (at least ``windows.attack_victims``) is an attack (the
    killing type is the targeted killing of a person: an assassination, an execution); triggers that name a
    targeted killing (``targeted_killing_words``) stay killings."""
    spec = tax.types.get("attack")
    out = []
    for r in rows:
        if r["event_type"] == "killing" and spec is not None and (r["killed"] or 0) >= tax.windows["attack_victims"] \
                and r["trigger"].lower() not in tax.targeted_killing_words:
            r = {**r, "event_type": "attack", "cameo_root": spec.cameo_root, "acled_type": spec.acled_type}
        out.append(r)
    return tuple(out)


def document_country(rows: tuple[dict, ...], country, tax, published: dt.date | None = None) -> tuple[dict, ...]:
    """Rows in, rows out: a happening whose statements name no place, other than a meeting or an agreement
    (whose place is rarely where they are reported from), took place in the country the document is about
    (``country``: the country mention named most often, when one is; None leaves the rows as they are). When
    the document names no country, ``country`` is the place it names most often: a background happening
    (:func:`background`) does not take it."""
    if country is None:
        return rows
    town = (getattr(country, "breadth", 0) or 0) < 2 and tax.broad_places.get(country.canonical_name.lower()) != 2
    main = next((r for r in sorted(rows, key=lambda r: r["sent_idx"]) if r["date_method"] in EXACT_DATES), None)
    return tuple({**r, "location_id": country.entity_id, "location_name": country.canonical_name}
                 if r["location_id"] is None and r["event_type"] not in tax.official_types
                 and not (town and background(r, main, published, tax)) else r for r in rows)


def background(row: dict, main: dict | None, published: dt.date | None, tax) -> bool:
    """A happening dated otherwise than the story's main one (``main``: the first row with a stated date; none:
    the publication date within ``windows.news_days``): background, whose place is not the one the story is
    told from."""
    if row["date_method"] not in EXACT_DATES or row["date"] is None or row is main:
        return False
    if main is not None:
        return not dates_agree(row, main, tax)
    if published is None:
        return False
    return not news_date_agrees({"date": published, "date_precision": "day", "date_method": "publication"}, row, tax)
