"""The date rules of configs/dates.yaml: each rule on its own, and the file checked strictly at load."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.config import load_config
from pipeline.dates import DateValue, date_value, load_date_rules, normalise, period_start, relative_date, \
    shift_offset
from pipeline.errors import PipelineError
from pipeline.rules import read_date_rules

from .conftest import ROOT, edit

PUB = dt.date(2025, 3, 12)   # a Wednesday


@pytest.mark.parametrize("text,expected", [
    ("today", (PUB, "day")),
    ("yesterday morning", (dt.date(2025, 3, 11), "day")),       # a day word anywhere in the expression
    ("late last night", (dt.date(2025, 3, 11), "day")),         # a day phrase, whole
    ("last wednesday", (dt.date(2025, 3, 5), "day")),           # the same weekday a week back
    ("wednesday night", (PUB, "day")),                          # ... but not "last night" of that day
    ("monday", (dt.date(2025, 3, 10), "day")),                  # the last Monday on or before publication
    ("last week", (dt.date(2025, 3, 1), "month")),              # no day given: the month it falls in
    ("previous month", (dt.date(2025, 2, 1), "month")),
    ("earlier this year", (dt.date(2025, 1, 1), "year")),
    ("march 3", None),                                          # not relative by rule: dateparser's
])
def test_relative_date_rule(text, expected, date_rules):
    assert relative_date(text, PUB, date_rules) == expected


def test_period_start_crosses_a_year():
    assert period_start(dt.date(2025, 1, 20), "month", -1) == (dt.date(2024, 12, 1), "month")
    assert period_start(dt.date(2025, 1, 3), "week", -1) == (dt.date(2024, 12, 1), "month")


@pytest.mark.parametrize("text,expected", [
    ("two days later", (2, "day", 1)),
    ("about a year earlier", (1, "year", -1)),                  # a hedge before the count
    ("Twelve weeks before", (12, "week", -1)),                  # the lexicon's number words, any case
    ("5 months after", (5, "month", 1)),
    ("several days later", None),                               # no count
    ("two days", None),                                         # no direction
])
def test_shift_offset_rule(text, expected, date_rules):
    assert shift_offset(text, date_rules) == expected


def test_a_span_counted_from_another_date_carries_its_count(date_rules):
    got = date_value("three days earlier", PUB, date_rules)
    assert got.offset == (3, "day", -1)
    assert date_value("March 3, 2025", PUB, date_rules).offset is None


@pytest.mark.parametrize("text", ["for 3 days", "15 years", "several months", "in recent weeks", "the coming days",
                                  "decades"])
def test_durations_are_not_dates(text, date_rules):
    assert normalise(text, PUB, date_rules) == DateValue(None, None, "none")


def test_a_duration_word_with_a_year_is_a_date(date_rules):
    assert normalise("since 2019", PUB, date_rules).date == dt.date(2019, 1, 1)
    assert normalise("3 days ago", PUB, date_rules).date == dt.date(2025, 3, 9)


def test_the_words_come_from_the_rule_file(configs):
    """A word added to the file is a rule: 'fortnight' is then a duration, not a date."""
    path = configs / "dates.yaml"
    edit(path, lambda d: d["durations"]["words"].append("fortnight"))
    rules = load_date_rules(path, {"two": 2})
    assert normalise("a fortnight", PUB, rules).method == "none"


def test_misspelled_dates_key_stops_the_run_at_start(configs):
    edit(configs / "dates.yaml", lambda d: d.update(weekday=d.pop("weekdays")))
    with pytest.raises(PipelineError) as e:
        load_config(configs / "pipeline.yaml")
    msg = str(e.value)
    assert msg.startswith("[E502]") and "dates.yaml" in msg and "'weekday'" in msg and "weekdays" in msg


def test_unquoted_yaml_boolean_in_the_dates_file(configs):
    path = configs / "dates.yaml"
    path.write_text(path.read_text().replace('noise_words: ["on", in,', "noise_words: [on, in,"), encoding="utf-8")
    with pytest.raises(PipelineError, match=r"\[E504\].*'noise_words\[0\]' is True; expected a string"):
        read_date_rules(path)


def test_unknown_period_unit(configs):
    edit(configs / "dates.yaml", lambda d: d["periods"].update({"last fortnight": {"unit": "fortnight", "offset": -1}}))
    with pytest.raises(PipelineError, match=r"\[E504\].*'periods.last fortnight.unit' is the string 'fortnight'"):
        read_date_rules(configs / "dates.yaml")


def test_dateline_windows_are_settings(configs, nlp):
    """The dateline section sets the sentence split after a dateline's dash (head_tokens)."""
    from pipeline.nlp import LineBreaks

    text = "GWADAR, 26-Jan-2026 — Gunmen stormed a hotel."
    wide, narrow = LineBreaks(("—",), 20), LineBreaks(("—",), 2)
    doc = nlp.make_doc(text)
    starts = [t.i for t in wide(doc) if t.is_sent_start and t.i]
    assert [doc[i].text for i in starts] == ["Gunmen"]
    doc = nlp.make_doc(text)
    assert not any(t.is_sent_start for t in narrow(doc) if t.i)


def test_the_direction_word_after_the_span_makes_a_counted_date(nlp, date_rules):
    """'[The day] before': the model leaves the word out; 'a month after two assaults killed ...' is counted
    from the clause, not the story's last date, and is no shift."""
    from pipeline.dates import doc_dates

    doc = nlp("The bombing happened on Monday. The day before, militants had attacked a convoy.")
    got = {e.text: v.offset for e, v in doc_dates(doc, PUB, date_rules)}
    assert got["The day"] == (1, "day", -1)
    doc = nlp("The attack came a month after two jihadist assaults killed 40 soldiers.")
    assert [v.offset for _, v in doc_dates(doc, PUB, date_rules)] == [None]


@pytest.mark.parametrize("text,offset", [("the next day", (1, "day", 1)), ("the following week", (1, "week", 1)),
                                         ("the previous day", (1, "day", -1)), ("the day after", (1, "day", 1))])
def test_ordinal_and_definite_counts(text, offset, date_rules):
    assert shift_offset(text, date_rules) == offset


def test_a_date_before_an_agency_and_a_dash_is_the_filing_date(nlp, date_rules):
    from pipeline.dates import doc_dates

    doc = nlp("BANGKOK, Jan 9 (AP) — Gunmen killed three villagers on Tuesday.")
    assert [e.text for e, _ in doc_dates(doc, PUB, date_rules)] == ["Tuesday"]
