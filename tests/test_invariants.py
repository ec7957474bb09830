"""Invariants of the rows on the seed and development articles: offsets that point at the evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.dates import DateValue, date_value, shift
from pipeline.ingest import ingest_settings, read_corpus

from .conftest import CORPUS, DEV


@pytest.fixture(scope="module")
def outputs(extractor, config):
    arts = []
    for folder in (CORPUS, DEV / "corpus"):
        arts += read_corpus(folder, ingest_settings(config))[0]
    return [(art, doc, extractor.extract(doc, art, "test"))
            for art, doc in zip(arts, extractor.nlp.pipe([a.text for a in arts]))]


def test_every_event_span_contains_its_trigger(outputs):
    n = 0
    for art, doc, rows in outputs:
        for r in rows["events"]:
            span = doc.char_span(r["start_char"], r["end_char"])
            assert span is not None, (art.path, r["event_id"])      # offsets on token boundaries
            assert r["trigger"] in [t.text for t in span], (art.path, r["trigger"], span.text)
            n += 1
    assert n > 50


def test_every_claim_span_contains_its_cue(outputs):
    """Each word of the cue is a word or lemma of the span. A direct quote claimed for a speaker named
    beside it ("“...,” he said") is a row of its own whose span is the quote: its cue is in the row it
    was attributed from, which must exist."""
    n = 0
    for art, doc, rows in outputs:
        for r in rows["claims"]:
            text = doc.text[r["start_char"]:r["end_char"]].strip()     # (an author clause may end in a newline)
            assert text, (art.path, r["claim_id"])
            if r["quote"] is not None and r["content"] == r["quote"] and text[0] in "“\"" and text[-1] in "”\"":
                assert any(o["cue"] == r["cue"] and o["speaker_name"] == r["speaker_name"] and o is not r
                           for o in rows["claims"]), (art.path, r["claim_id"])
                continue
            span = doc.char_span(r["start_char"], r["end_char"], alignment_mode="expand")
            words = {t.lower_ for t in span} | {t.lemma_.lower() for t in span}
            assert all(w in words for w in r["cue"].split()), (art.path, r["cue"], text)
            n += 1
    assert n > 100


def test_every_sentence_and_mention_offset_is_its_text(outputs):
    for art, doc, rows in outputs:
        for table in ("sentences", "mentions"):
            for r in rows[table]:
                assert doc.text[r["start_char"]:r["end_char"]] == r["text"], (art.path, table, r)


ANCHOR = DateValue(dt.date(2025, 3, 12), "day", "explicit")


@pytest.mark.parametrize("text,date,precision", [
    ("three days before", dt.date(2025, 3, 9), "day"),
    ("three days after", dt.date(2025, 3, 15), "day"),
    ("3 days earlier", dt.date(2025, 3, 9), "day"),
    ("20 days later", dt.date(2025, 4, 1), "day"),
    ("a day before", dt.date(2025, 3, 11), "day"),
    ("one day after", dt.date(2025, 3, 13), "day"),
    ("two weeks before", dt.date(2025, 2, 1), "month"),
    ("two weeks after", dt.date(2025, 3, 1), "month"),
    ("two months before", dt.date(2025, 1, 1), "month"),
    ("eleven months after", dt.date(2026, 2, 1), "month"),     # the lexicon's number words
    ("a dozen days later", dt.date(2025, 3, 24), "day"),
    ("many months after", None, None),            # no count: not a shift, no date
    ("ten months after", dt.date(2026, 1, 1), "month"),
    ("a year before", dt.date(2024, 1, 1), "year"),
    ("two years after", dt.date(2027, 1, 1), "year"),
])
def test_n_units_before_and_after_shift_both_ways(text, date, precision, date_rules):
    got = shift(date_value(text, None, date_rules), ANCHOR)
    assert (got.date, got.precision) == (date, precision)


def test_a_shift_from_a_month_is_a_month(date_rules):
    got = shift(date_value("five days after", None, date_rules), DateValue(dt.date(2025, 3, 1), "month", "explicit"))
    assert (got.date, got.precision) == (dt.date(2025, 3, 1), "month")
