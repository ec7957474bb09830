"""The dateline: where and when a story is filed ("ATHENS, 26-Jan-2026 —", "BEIJING, Sept 2 (Xinhua) --",
"KARACHI:"). One place for the rules that recognise it, on the raw text (ingest, before parsing), on the
tokens (the sentence boundary after it, an untagged place in capitals) and on the parsed document (its place,
its date).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:     # no spaCy import on ingest: a no-op run does not pay for it
    from spacy.tokens import Doc, Span, Token

# "ATHENS, 26-Jan-2026 —", "QUETTA, March 12, 2025 -- ", "Karachi, 3 May 2024 – "
DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.'’ ]{1,40}?(?:\s*\([^)\n]{1,30}\))?)\s*,\s*"
    r"(?P<date>[0-9A-Za-z][0-9A-Za-z ,./-]{3,30}?)\s*(?:—|–|--|\s-\s)")
# Its windows (max_lines, place_tokens, date_tokens, head_tokens) and dashes are the `dateline` section of
# configs/dates.yaml (DateRules.dateline).


def dateline_date(body: str, rules) -> dt.date | None:
    """The date of a dateline such as 'ATHENS, 26-Jan-2026 —' at the start of the body (a full date only:
    there is no publication date yet to resolve a relative one against); ``rules``: dates.DateRules."""
    from .dates import normalise

    for line in body.strip().split("\n")[:rules.dateline["max_lines"]]:
        m = DATELINE.match(line)
        if m:
            got = normalise(m.group("date").strip(" ,"), None, rules)
            return got.date if got.precision == "day" else None
    return None


def ends_dateline(doc: Doc, dash: Token, line_start: int, *, dashes: tuple, head_tokens: int) -> bool:
    """A dash (one of ``dashes`` or a hyphen) within ``head_tokens`` of the line's start that closes a
    dateline ("ATHENS, 26-Jan-2026 —", "PESHAWAR, Pakistan (Reuters) -"): a place in capitals before it,
    then a date or an agency."""
    if not (dash.text in tuple(dashes) + ("-",) and 0 < dash.i - line_start < head_tokens
            and (dash.whitespace_ or doc[dash.i + 1].is_space)):
        return False
    head = doc[line_start:dash.i]
    return any(t.is_upper and t.is_alpha and len(t) > 2 for t in head[:6]) and (
        any(c.isdigit() for c in head.text) or "(" in head.text or len(head) <= 4)


def is_filing_date(ent: Span, dateline: dict) -> bool:
    """A date opening the story ("August 1: ...", "ATHENS, 26-Jan-2026 —"): when it was filed, not a date
    the story tells (``dateline``: the section of dates.yaml)."""
    doc = ent.doc
    if ent.start >= dateline["date_tokens"]:
        return False
    end = ent.end
    if end < len(doc) and doc[end].text == "(":          # "Jan 9 (AP) —": the agency between date and dash
        end = next((t.i + 1 for t in doc[end:end + dateline["place_tokens"] + 2] if t.text == ")"), end)
    return end < len(doc) and doc[end].text in (":",) + tuple(dateline["dashes"])


def dateline_place(doc: Doc, mentions, dateline: dict) -> object | None:
    """The place mention a story opens with, before a comma, colon or parenthesis ("BEIJING, Sept 2 --",
    "KARACHI:"): where the story is filed."""
    return next((m for m in mentions if m.start < dateline["place_tokens"] and m.entity_type == "place"
                 and m.end < len(doc) and doc[m.end].text in (",", ":", "(")), None)


def dateline_places(doc: Doc, ents: list, dateline: dict) -> list:
    """The place of a dateline the model left untagged: capitals at the start of a line, before a comma, a
    bracket or a dash ("BOGOTA, Dec 1 (Reuters) -", "MEXICO CITY (AP) —")."""
    taken = {i for e in ents for i in range(e.start, e.end)}
    found: list = []
    if not len(doc):
        return found
    import numpy as np                 # imported here: ingest reads this module without spaCy
    from spacy.attrs import IS_SPACE
    from spacy.tokens import Span

    spaces = np.nonzero(doc.to_array([IS_SPACE]))[0].tolist()
    starts = [0] + [i + 1 for i in spaces if i + 1 < len(doc) and "\n" in doc[i].text]
    for tok in (doc[i] for i in starts):
        end = tok.i
        while end < len(doc) and end - tok.i < dateline["place_tokens"] + 1 and doc[end].is_upper and doc[end].is_alpha and len(doc[end]) > 1:
            end += 1
        if end > tok.i and end < len(doc) and doc[end].text in (",", "(", "-") + tuple(dateline["dashes"]) \
                and not taken & set(range(tok.i, end)):
            found.append(Span(doc, tok.i, end, label="GPE"))
    return found
