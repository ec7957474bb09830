"""Every trigger lemma and cue of the rule files is exercised by a test sentence generated from them
(hand-built Docs: the rules are tested, not the model). See tests/rule_words.py."""

from __future__ import annotations

import pytest
import yaml

from pipeline.claims import ClaimExtractor
from pipeline.triggers import TriggerMatcher

from .rule_words import NLP, SNAPSHOT, _load, noun_sentence, phrase_sentence, rule_words, verb_sentence

TAX, CUES = _load()
WORDS = yaml.safe_load(SNAPSHOT.read_text(encoding="utf-8"))
MATCHER = TriggerMatcher(TAX, vocab=NLP.vocab)
CLAIMS = ClaimExtractor(CUES, vocab=NLP.vocab)


def CUES_OF(doc):
    return CLAIMS.cue_matcher(doc)(doc).get(0, [])


def triggered(doc) -> set[tuple[str, str]]:
    return {(c.token.lower_, c.type) for c in MATCHER(doc).get(0, [])}


def test_snapshot_lists_every_word_of_the_rule_files():
    assert rule_words(TAX, CUES) == WORDS, "rule words changed: run `python -m tests.rule_words` and review the diff"


@pytest.mark.parametrize("lemma,typ", sorted(WORDS["event_verbs"].items()))
def test_event_verb(lemma, typ):
    assert (lemma, typ) in triggered(verb_sentence(lemma))


@pytest.mark.parametrize("lemma,typ", sorted(WORDS["event_nouns"].items()))
def test_event_noun(lemma, typ):
    assert (lemma, typ) in triggered(noun_sentence(lemma))


@pytest.mark.parametrize("phrase,typ", sorted(WORDS["event_phrases"].items()))
def test_event_phrase(phrase, typ):
    assert typ in {t for _, t in triggered(phrase_sentence(phrase))}


@pytest.mark.parametrize("lemma", WORDS["cue_verbs"])
def test_cue_verb(lemma):
    doc = verb_sentence(lemma)
    assert [(c.lemma, c.kind) for c in CUES_OF(doc)] == [(lemma, "verb")]


@pytest.mark.parametrize("lemma", WORDS["cue_nouns"])
def test_cue_noun(lemma):
    doc = noun_sentence(lemma)
    assert (lemma, "noun") in {(c.lemma, c.kind) for c in CUES_OF(doc)}


@pytest.mark.parametrize("phrase,cue", sorted(WORDS["cue_phrases"].items()))
def test_cue_phrase(phrase, cue):
    doc = phrase_sentence(phrase)
    assert cue in {c.lemma for c in CUES_OF(doc)}
