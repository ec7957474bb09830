"""Normalising temporal expressions against a document's publication date, keeping the precision.

Only the model's DATE spans are normalised (never a search over whole sentences). Weekday
names and the relative words of configs/dates.yaml are resolved by rule; the rest goes to dateparser's
``DateDataParser`` with ``RELATIVE_BASE`` = the publication date, whose ``period`` gives
the precision (day | month | year). Results are cached: the same expressions repeat.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

@dataclass(frozen=True)
class DateValue:
    date: dt.date | None
    precision: str | None      # day | month | year
    method: str                # explicit | relative | report | publication | none
    text: str | None = None
    offset: tuple | None = None    # (count, unit, +1 | -1) of "two days later": counted from another date
    deictic: bool = False          # a day word ("yesterday", "last night"): counted from the writing day


@dataclass(frozen=True, eq=False)      # hashed by identity: one per rule file, a key of the caches below
class DateRules:
    """The words of configs/dates.yaml, compiled (:func:`load_date_rules`)."""
    weekdays: tuple
    noise: re.Pattern
    duration: re.Pattern
    day_words: dict
    day_phrases: dict
    previous_words: frozenset
    day_parts: frozenset
    periods: dict               # phrase -> (unit, offset)
    shift: re.Pattern
    ordinal_shift: re.Pattern
    shift_ordinals: dict
    shift_directions: frozenset
    shift_numbers: dict
    shift_back: frozenset
    years: tuple
    dateline: dict


def _alternation(words) -> str:
    return "|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True))


def date_rules(d: dict, numbers: dict) -> DateRules:
    """Compile the content of configs/dates.yaml (checked by rules.DATES) with the lexicon's number words."""
    dur = d["durations"]
    duration = (rf"\b({_alternation(dur['words'])}|(?:{_alternation(dur['prepositions'])}) \d+|"
                rf"\d+ (?:{_alternation(dur['units'])})(?! (?:{_alternation(dur['ago'])})))\b")
    sh = d["shifts"]
    shift_numbers = {**{k.lower(): v for k, v in numbers.items()}, **{k.lower(): v for k, v in sh["articles"].items()}}
    hedges = "".join(f"{re.escape(h.lower())} |" for h in sh["hedges"]).rstrip("|")
    shift = re.compile(rf"^(?:{hedges})?({_alternation(shift_numbers)}|\d+) ({_alternation(sh['units'])})s? "
                       rf"({_alternation(sh['back'] + sh['forward'])})$", re.I)
    ordinals = {k.lower(): v for k, v in sh["ordinals"].items()}
    ordinal_shift = re.compile(rf"^(?:the )?({_alternation(ordinals)}) ({_alternation(sh['units'])})$", re.I)
    return DateRules(
        tuple(w.lower() for w in d["weekdays"]),
        re.compile(rf"\b({_alternation(d['noise_words'])})\b", re.I), re.compile(duration, re.I),
        {k.lower(): v for k, v in d["day_words"].items()}, {k.lower(): v for k, v in d["day_phrases"].items()},
        frozenset(w.lower() for w in d["previous_words"]), frozenset(w.lower() for w in d["day_parts"]),
        {k.lower(): (v["unit"], v["offset"]) for k, v in d["periods"].items()},
        shift, ordinal_shift, ordinals, frozenset(w.lower() for w in sh["back"] + sh["forward"]),
        shift_numbers, frozenset(w.lower() for w in sh["back"]),
        (d["years"]["first"], d["years"]["last"]), dict(d["dateline"]))


def load_date_rules(path: str | Path, numbers: dict) -> DateRules:
    """configs/dates.yaml, checked strictly, compiled."""
    from .rules import read_date_rules

    return date_rules(read_date_rules(path), numbers)


NONE = DateValue(None, None, "none")


def normalise(text: str, published: dt.date | None, rules: DateRules) -> DateValue:
    """The date a temporal expression denotes, against the publication date (None: relative ones stay empty)."""
    return _normalise(text.strip(), published, rules)


@lru_cache(maxsize=16384)
def _normalise(text: str, published: dt.date | None, rules: DateRules) -> DateValue:
    low = text.lower()
    if not re.search(r"[a-z0-9]", low) or rules.duration.search(low) and not re.search(r"\d{4}", low):
        return NONE
    relative = not re.search(r"\b\d{4}\b", low)   # no year written: it depends on the publication date
    if relative and published is None:
        return NONE
    got = relative_date(low, published, rules) if published else None
    if got:
        return DateValue(got[0], got[1], "relative", text, deictic=day_word(low, rules))
    cleaned = re.sub(r"\s+", " ", rules.noise.sub(" ", low)).strip(" ,.'’s")
    if not cleaned:
        return NONE
    parsed = _dateparser(cleaned, published, rules.years)
    if parsed is None:
        return NONE
    date, precision = parsed
    if published and date > published + dt.timedelta(days=1) and relative:
        return NONE
    return DateValue(date, precision, "relative" if relative else "explicit", text)


def relative_date(low: str, pub: dt.date, rules: DateRules) -> tuple[dt.date, str] | None:
    """The date of a relative expression by the rules of dates.yaml: a day word ("yesterday"), a day
    phrase ("last night"), a weekday (the last one on or before the publication date), a period phrase
    ("last month", at the period's precision); None when it is none of these."""
    words = set(re.findall(r"[a-z]+", low))
    whole = low.strip()
    offset = next((v for k, v in rules.day_words.items() if k in words), None)
    if offset is None:
        offset = rules.day_phrases.get(whole)
    if offset is not None:
        return pub + dt.timedelta(days=offset), "day"
    days = [rules.weekdays.index(w) for w in rules.weekdays if w in words]
    if len(days) == 1:
        back = (pub.weekday() - days[0]) % 7
        if back == 0 and words & rules.previous_words and not (rules.day_parts & words):
            back = 7
        return pub - dt.timedelta(days=back), "day"
    if whole in rules.periods:
        return period_start(pub, *rules.periods[whole])
    return None


def day_word(low: str, rules: DateRules) -> bool:
    """Whether a relative expression is a day word or phrase of dates.yaml ("yesterday", "last night"): a day
    counted from the day the story was written, not named."""
    words = set(re.findall(r"[a-z]+", low))
    return any(k in words for k in rules.day_words) or low.strip() in rules.day_phrases


def period_start(pub: dt.date, unit: str, offset: int) -> tuple[dt.date, str]:
    """The first day of the month or the year ``offset`` periods from ``pub``, with its precision; a week
    (:func:`week_period`) gives no day."""
    if unit == "week":
        return week_period(pub, offset)
    if unit == "month":
        months = pub.year * 12 + pub.month - 1 + offset
        return dt.date(months // 12, months % 12 + 1, 1), "month"
    return dt.date(pub.year + offset, 1, 1), "year"


def week_period(pub: dt.date, offset: int) -> tuple[dt.date, str]:
    """The calendar week (Monday to Sunday, not past ``pub``) ``offset`` weeks from ``pub`` at the finest
    precision that holds all its days: its month when the week lies in one month, else its year ("last week"
    read on Monday 6 November is 30 October to 5 November: only the year is known)."""
    start = pub - dt.timedelta(days=pub.weekday() - 7 * offset)
    return period_of(start, min(start + dt.timedelta(days=6), pub))


def period_of(start: dt.date, end: dt.date) -> tuple[dt.date, str]:
    """The month holding every day from ``start`` to ``end``, else their year (else the year of ``start``),
    as (first day, precision): what is known of a date that lies somewhere in that span."""
    if (start.year, start.month) == (end.year, end.month):
        return start.replace(day=1), "month"
    return dt.date(start.year, 1, 1), "year"


@lru_cache(maxsize=256)
def _parser(published: dt.date | None):
    """One DateDataParser per publication date (its RELATIVE_BASE); building one is costly."""
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if published:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time(12))
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser(text: str, published: dt.date | None, years: tuple[int, int]) -> tuple[dt.date, str] | None:
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
    if not (years[0] <= d.year <= years[1]):
        return None
    return d, period


def shift_offset(text: str, rules: DateRules) -> tuple[int, str, int] | None:
    """'a year earlier' -> (1, 'year', -1), 'two days later' -> (2, 'day', +1), 'the next day' -> (1, 'day',
    +1): a date counted from another one; None when the expression is not such a count."""
    low = text.strip().lower()
    m = rules.ordinal_shift.match(low)
    if m:
        return 1, m.group(2), rules.shift_ordinals[m.group(1)]
    m = rules.shift.match(low)
    if not m:
        return None
    n = rules.shift_numbers.get(m.group(1).lower()) or int(m.group(1))
    return n, m.group(2).lower(), -1 if m.group(3).lower() in rules.shift_back else 1


def shift(value: DateValue, anchor: DateValue) -> DateValue:
    """The date a counted expression (``value.offset``) denotes from ``anchor``, at the coarser of the two
    precisions (NONE when it is no count or the anchor has no date)."""
    if value.offset is None or anchor.date is None:
        return NONE
    n, unit, sign = value.offset
    text, d = value.text, anchor.date
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


def date_value(text: str, published: dt.date | None, rules: DateRules) -> DateValue:
    """A DATE span's value: its normalised date, and its count when it is counted from another date."""
    value = normalise(text, published, rules)
    offset = shift_offset(text, rules)
    if offset is None:
        return value
    return DateValue(value.date, value.precision, value.method, value.text or text.strip(), offset, value.deictic)


def doc_dates(doc, published: dt.date | None, rules: DateRules) -> list[tuple]:
    """The temporal expressions of a parsed document (the model's DATE and TIME spans) with their values.
    A date opening the story ("August 1: ...", "ATHENS, 26-Jan-2026 —") is when it was filed, not a date
    the story tells, and is left out."""
    from .dateline import is_filing_date

    return [(e, NONE if e.label_ == "TIME" and clock_time(e.text, published, rules)
             else date_value(counted_text(e, rules), published, rules)) for e in doc.ents
            if e.label_ in ("DATE", "TIME") and not is_filing_date(e, rules.dateline)]


def clock_time(text: str, published: dt.date | None, rules: DateRules) -> bool:
    """A time of day that names no day ("about 5pm", "1:20 pm"): no day word, weekday or day phrase of
    dates.yaml and no year in it. It dates nothing (read against the publication time it would give the day
    before or of publication, whatever day the story tells)."""
    low = text.strip().lower()
    if re.search(r"\b\d{4}\b", low):
        return False
    return published is None or relative_date(low, published, rules) is None


def counted_text(ent, rules: DateRules) -> str:
    """A DATE span's text with the direction word that follows it when the two are a counted date ("[the day]
    before", "[two weeks] later"): the model often leaves the word out of the span. A preposition with an
    object or a clause of its own ("a month after [two assaults killed ...]") counts from that, not from the
    story's last date, and is left alone."""
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].lower_ in rules.shift_directions \
            and doc[ent.end].dep_ != "mark" and not any(c.dep_ in ("pobj", "pcomp") for c in doc[ent.end].children):
        joined = f"{ent.text} {doc[ent.end].text}"
        if shift_offset(joined, rules) is not None:
            return joined
    return ent.text
