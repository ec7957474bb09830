"""The per-Doc lookups of pipeline/tokindex.py answer exactly what reading the tokens answers, and the memoised
pure functions (name keys) equal their unmemoised selves."""

from __future__ import annotations


import pytest
import spacy
from hypothesis import given, settings, strategies as st

from pipeline import aliases, gazetteer
from pipeline.entities import _context_candidates, _Seen
from pipeline.segment import sentence_rows, token_sentences
from pipeline.tokindex import (doc_sents, doc_text, span_columns, span_lemmas, span_lowers, span_text,
                               token_index)

TEXTS = [
    "KARACHI, Jan 3 (Reuters) — Police said on Monday that two people were killed in a blast.\n\n"
    "“We will not rest,” the spokesman said.  The Balochistan Liberation Army (BLA) claimed responsibility.",
    "The so-called ironclad friendship   was tested.\nNo evidence was found, officials didn't say. ",
    "  \n\n",
    "Brig. Gen. Ahmed Sharif met Sharif's aides in the Sahel on 2 January 2021 at 10:00 GMT.",
]


def _same_as_tokens(doc) -> None:
    index = token_index(doc)
    assert index.text == doc.text
    assert index.texts == [t.text for t in doc]
    assert index.lower == [t.lower_ for t in doc]
    assert index.lemma == [t.lemma_.lower() for t in doc]
    assert index.is_title == [t.is_title for t in doc]
    assert doc_text(doc) == doc.text
    assert [(s.start, s.end) for s in doc_sents(doc)] == [(s.start, s.end) for s in doc.sents]
    for span in list(doc.sents) + list(doc.ents) + [doc[1:4], doc[:]]:
        if not len(span):
            continue
        assert span_text(span) == span.text
        assert span_lowers(span) == {t.lower_ for t in span}
        assert span_lemmas(span) == {t.lemma_.lower() for t in span}
        assert span_columns(span) == ([t.lower_ for t in span], [t.lemma_.lower() for t in span])
    assert span_columns(doc) == ([t.lower_ for t in doc], [t.lemma_.lower() for t in doc])


@pytest.mark.parametrize("text", TEXTS)
def test_index_equals_the_tokens_of_a_parsed_doc(nlp, text):
    _same_as_tokens(nlp(text))


def test_index_of_an_empty_doc(nlp):
    doc = nlp("")
    assert token_index(doc).text == "" and span_columns(doc) == ([], [])


def test_index_is_built_once_per_doc(nlp):
    doc = nlp(TEXTS[0])
    assert token_index(doc) is token_index(doc)
    other = nlp(TEXTS[0])
    assert token_index(other) is not token_index(doc)


def test_sentence_helpers_equal_reading_the_sentences(nlp):
    doc = nlp(TEXTS[0] + "\n\n" + TEXTS[1])
    kept = [s for s in doc.sents if s.text.strip()]
    rows = sentence_rows(doc, "d")
    assert [r["text"] for r in rows] == [s.text.strip() for s in kept]
    expected, n = [], 0
    for s in doc.sents:
        expected += [n] * len(s)
        n += bool(s.text.strip())
    assert token_sentences(doc) == expected


def test_context_candidates_are_the_tokens_the_rule_would_read(nlp):
    doc = nlp(TEXTS[0] + " " + TEXTS[3])
    seen = _Seen(acronyms={"BLA": ("x", "Balochistan Liberation Army", "group")}, parts={"sharif": {"p"}})
    assert [t.i for t in _context_candidates(doc, seen)] == [
        t.i for t in doc if t.text in seen.acronyms or t.is_title]
    only_acronyms = _Seen(acronyms=seen.acronyms)
    assert [t.i for t in _context_candidates(doc, only_acronyms)] == [t.i for t in doc if t.text == "BLA"]
    assert list(_context_candidates(doc, _Seen())) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAéÉ ’'.-–the sS\u0301 Menaka")), max_size=30))
def test_memoised_name_keys_equal_the_unmemoised(text):
    assert aliases.norm(text) == aliases.norm.__wrapped__(text)
    assert gazetteer.norm(text) == gazetteer.norm.__wrapped__(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Police", "said", "the", "BLA", "\n\n", "killed", "in", "Kano", ".", "  ",
                                 "“", "”", "Sharif", "NO", "evidence"]), max_size=25))
def test_index_equals_the_tokens_of_any_text(words):
    blank = _blank()
    _same_as_tokens(blank(" ".join(words)))


_BLANK = []


def _blank():
    if not _BLANK:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        _BLANK.append(nlp)
    return _BLANK[0]


def test_sentence_bounds_of_every_token(nlp):
    doc = nlp(TEXTS[0] + "\n\n" + TEXTS[3])
    from pipeline.tokindex import sent_bounds
    starts, ends = sent_bounds(doc)
    assert starts == [t.sent.start for t in doc] and ends == [t.sent.end for t in doc]


def _clause_bounds_by_reading(verb):
    """clause_bounds as it read every token of the subtree, before the edge shortcut."""
    from pipeline.syntax import trimmed
    skip = set()
    for c in verb.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
            skip.update(t.i for t in c.subtree)
            skip.update(x.i for x in verb.children if x.dep_ == "cc" and x.i < c.i)
    idx = [t.i for t in verb.subtree if t.i not in skip]
    return trimmed(verb.doc, min(idx), max(idx) + 1)


def test_clause_bounds_equal_reading_the_subtree(nlp):
    from pipeline.syntax import clause_bounds
    doc = nlp(" ".join(TEXTS) + " Gunmen attacked the post and burned it, and police said nothing.")
    for t in doc:
        assert (t.left_edge.i, t.right_edge.i) == (min(x.i for x in t.subtree), max(x.i for x in t.subtree))
        assert clause_bounds(t) == _clause_bounds_by_reading(t)
