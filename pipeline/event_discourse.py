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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from .dates import DateValue, shift
from .triggers import Candidate

EXACT_DATES = ("explicit", "relative")
MERGED_FIELDS = ("actor_id", "actor_name", "killed", "injured", "hostages", "location_id", "location_name")
DATE_FIELDS = ("date", "date_precision", "date_text", "date_method")


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
    """The document's dates with the shifted ones of this sentence counted from the last date given."""
    if last_date is None:
        return dates
    return tuple((e, shift(d, last_date[1])) if sent.start <= e.start < sent.end and d.offset is not None
                 else (e, d) for e, d in dates)


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
    a terrorist attack in Mach" after the attack on Mach). "Another attack" is a new one."""
    lex = tax.lex
    if not all(c.nominal for c in h.members) or any(
            ch.lower_ in lex.new for c in h.members for ch in c.token.children):
        return None
    definite = any(ch.lower_ in lex.definite or ch.lower_ in lex.possessive or ch.dep_ == "poss"
                   for c in h.members for ch in c.token.children)
    family = tax.violent_types if h.type in tax.violent_types else (h.type,)
    for k in range(len(rows) - 1, -1, -1):
        r = rows[k]
        if r["event_type"] in family and r["modality"] == "asserted":
            if row["date_method"] in EXACT_DATES and r["date_method"] in EXACT_DATES and row["date"] != r["date"]:
                return None
            if not definite and not (row["location_id"] and row["location_id"] == r["location_id"]):
                return None
            return k
    return None


def merged(earlier: dict, row: dict) -> dict:
    """'The attack', 'that blast': the earlier row with what this sentence adds to it."""
    out = {**earlier, **{k: row[k] for k in MERGED_FIELDS if earlier[k] is None and row[k] is not None}}
    if earlier["date_method"] in ("publication", "none") and row["date_method"] in EXACT_DATES:
        out.update({k: row[k] for k in DATE_FIELDS})
    return out


def inherit(row: dict, h: Happening, rows: tuple[dict, ...], last_date, published: dt.date | None, tax) -> dict:
    """A place or date the sentence does not give comes from the story around it: the scene of the
    happening just reported, the last date given while the story goes on ("security forces killed ..."),
    else the publication date. A new happening ("a suicide bomber killed ...") does not inherit a date."""
    sidx, lex, out = row["sent_idx"], tax.lex, dict(row)
    if row["location_id"] is None and rows and sidx - rows[-1]["sent_idx"] <= tax.windows["scene_sentences"] and (
            tax.scene(h.type) == tax.scene(rows[-1]["event_type"])):
        out.update(location_id=rows[-1]["location_id"], location_name=rows[-1]["location_name"])
    continuing = not any(m.nominal and any(ch.lower_ in lex.indefinite or ch.lower_ in lex.new
                                           for ch in m.token.children) for m in h.members) and (
        not h.anchor.nominal or any(ch.lower_ in lex.definite for ch in h.anchor.token.children))
    if row["date_method"] == "none" and last_date and sidx - last_date[0] <= tax.windows["date_sentences"] \
            and continuing:
        d = last_date[1]
        out.update(date=d.date, date_precision=d.precision, date_text=d.text, date_method=d.method)
    elif row["date_method"] == "none" and published and row["modality"] == "asserted":
        out.update(date=published, date_precision="day", date_text=None, date_method="publication")
    return out


def remember_date(last_date, row: dict):
    """The last date the story gave: this row's when it states one."""
    if row["date_method"] in EXACT_DATES:
        return row["sent_idx"], DateValue(row["date"], row["date_precision"], row["date_method"], row["date_text"])
    return last_date


def add_row(story: Story, row: dict, h: Happening, claimant, published: dt.date | None, tax) -> Story:
    """The story with one more happening: a new row, or what it adds to the row it restates."""
    row = pronoun_actor(claimant_actor(row, claimant, tax), story.rows, tax)
    k = restated(story.rows, row, h, tax)
    if k is not None:
        return Story(story.rows[:k] + (merged(story.rows[k], row),) + story.rows[k + 1:], story.last_date)
    row = inherit(row, h, story.rows, story.last_date, published, tax)
    return Story(story.rows + (row,), remember_date(story.last_date, row))
