"""Normalising temporal expressions against a document's publication date, keeping the precision.

Only the model's DATE spans are normalised (never a search over whole sentences). Weekday
names and a few relative words are resolved by rule; the rest goes to dateparser's
``DateDataParser`` with ``RELATIVE_BASE`` = the publication date, whose ``period`` gives
the precision (day | month | year). Results are cached: the same expressions repeat.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NOISE = re.compile(r"\b(on|in|at|by|during|since|from|of|the|late|early|mid|this|that|evening|morning|night|"
                   r"afternoon|noon|midnight|hours|dawn|overnight)\b", re.I)
DURATION = re.compile(r"\b(decades?|centuries|century|for \d+|\d+ (?:days|weeks|months|years)(?! ago)|"
                      r"several|many|recent|past few|coming|future|annual|daily|weekly|monthly|age|old|"
                      r"long|era|period|times?)\b", re.I)


@dataclass(frozen=True)
class DateValue:
    date: dt.date | None
    precision: str | None      # day | month | year
    method: str                # explicit | relative | publication | none
    text: str | None = None


NONE = DateValue(None, None, "none")


def normalise(text: str, published: dt.date | None) -> DateValue:
    """The date a temporal expression denotes, against the publication date (None: relative ones stay empty)."""
    return _normalise(text.strip(), published)


@lru_cache(maxsize=16384)
def _normalise(text: str, published: dt.date | None) -> DateValue:
    low = text.lower()
    if not re.search(r"[a-z0-9]", low) or DURATION.search(low) and not re.search(r"\d{4}", low):
        return NONE
    relative = not re.search(r"\b\d{4}\b", low)   # no year written: it depends on the publication date
    if relative and published is None:
        return NONE
    got = _rule(low, published) if published else None
    if got:
        return DateValue(got[0], got[1], "relative", text)
    cleaned = re.sub(r"\s+", " ", NOISE.sub(" ", low)).strip(" ,.'’s")
    if not cleaned:
        return NONE
    parsed = _dateparser(cleaned, published)
    if parsed is None:
        return NONE
    date, precision = parsed
    if published and date > published + dt.timedelta(days=1) and relative:
        return NONE
    return DateValue(date, precision, "relative" if relative else "explicit", text)


def _rule(low: str, pub: dt.date) -> tuple[dt.date, str] | None:
    words = set(re.findall(r"[a-z]+", low))
    if words & {"today", "tonight"} or low.strip() in ("this morning", "this evening", "this afternoon"):
        return pub, "day"
    if "yesterday" in words or re.fullmatch(r"(late )?last (night|evening)", low.strip()):
        return pub - dt.timedelta(days=1), "day"
    days = [WEEKDAYS.index(w) for w in WEEKDAYS if w in words]
    if len(days) == 1:
        back = (pub.weekday() - days[0]) % 7
        if back == 0 and "last" in words and not ({"night", "evening", "morning"} & words):
            back = 7
        return pub - dt.timedelta(days=back), "day"
    if re.fullmatch(r"(last|previous|this|earlier this) week", low.strip()):
        # no day is given: the month it falls in, at month precision
        day = pub - dt.timedelta(days=7 if "this" not in low else 0)
        return day.replace(day=1), "month"
    if re.fullmatch(r"(last|previous) month", low.strip()):
        first = pub.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=1), "month"
    if re.fullmatch(r"this month", low.strip()):
        return pub.replace(day=1), "month"
    if re.fullmatch(r"(last|previous) year", low.strip()):
        return dt.date(pub.year - 1, 1, 1), "year"
    if re.fullmatch(r"(this|earlier this|later this) year", low.strip()):
        return dt.date(pub.year, 1, 1), "year"
    if re.fullmatch(r"(earlier|later|late|early) this month", low.strip()):
        return pub.replace(day=1), "month"
    return None


@lru_cache(maxsize=256)
def _parser(published: dt.date | None):
    """One DateDataParser per publication date (its RELATIVE_BASE); building one is costly."""
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if published:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time(12))
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser(text: str, published: dt.date | None) -> tuple[dt.date, str] | None:
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 1, 1), "year"
    try:
        data = _parser(published).get_date_data(text)
    except Exception:  # dateparser raises a variety of errors on odd input
        return None
    if not data or data.date_obj is None:
        return None
    period = data.period if data.period in ("day", "month", "year") else "day"
    d = data.date_obj.date()
    if period == "month":
        d = d.replace(day=1)
    elif period == "year":
        d = d.replace(month=1, day=1)
    if not (1900 <= d.year <= 2100):
        return None
    return d, period


SHIFT = re.compile(r"^(?:about |some |nearly |almost )?(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+) "
                   r"(year|month|week|day)s? (earlier|before|later|after)$", re.I)
_N = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
      "nine": 9, "ten": 10}


def is_shift(text: str) -> bool:
    """'a year earlier', 'two days later': a date counted from another one."""
    return bool(SHIFT.match(text.strip().lower()))


def shift(text: str, anchor: DateValue) -> DateValue:
    """The date ``text`` ('a year earlier') denotes counted from ``anchor``, at the coarser of the two precisions."""
    m = SHIFT.match(text.strip().lower())
    if not m or anchor.date is None:
        return NONE
    n = _N.get(m.group(1)) or int(m.group(1))
    sign = -1 if m.group(3) in ("earlier", "before") else 1
    unit = m.group(2)
    d = anchor.date
    if unit == "year":
        return DateValue(dt.date(d.year + sign * n, 1, 1), "year", "relative", text)
    if unit == "month":
        months = d.year * 12 + d.month - 1 + sign * n
        return DateValue(dt.date(months // 12, months % 12 + 1, 1), "month", "relative", text)
    days = n * (7 if unit == "week" else 1)
    got = d + dt.timedelta(days=sign * days)
    if anchor.precision != "day" or unit == "week":
        return DateValue(got.replace(day=1), "month", "relative", text)
    return DateValue(got, "day", "relative", text)


def doc_dates(doc, published: dt.date | None) -> list[tuple]:
    """The temporal expressions of a parsed document (the model's DATE and TIME spans) with their values.
    A date opening the story ("August 1: ...", "ATHENS, 26-Jan-2026 —") is when it was filed, not a date
    the story tells, and is left out."""
    from .dateline import is_filing_date

    return [(e, normalise(e.text, published)) for e in doc.ents if e.label_ in ("DATE", "TIME")
            and not is_filing_date(e)]
