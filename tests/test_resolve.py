"""The resolver of "who is this phrase" on hand-built Docs (spacy.blank: no trained model needed)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from pipeline.aliases import load_aliases
from pipeline.claims import load_cues
from pipeline.entities import Mention
from pipeline.resolve import Resolver

from .conftest import ROOT

CUES = load_cues(ROOT / "configs" / "claim_cues.yaml")
RESOLVER = Resolver(CUES.lex, cues=CUES, aliases=load_aliases(ROOT / "configs" / "aliases.csv"))
NLP = spacy.blank("en")


def parse(*tokens: tuple) -> Doc:
    words, lemmas, pos, tags, heads, deps = zip(*tokens)
    return Doc(NLP.vocab, words=list(words), lemmas=list(lemmas), pos=list(pos), tags=list(tags),
               heads=list(heads), deps=list(deps))


def mention(doc, start, end, typ, eid, name) -> Mention:
    span = doc[start:end]
    return Mention(start, end, span.start_char, span.end_char, span.text, "X", typ, eid, name, "alias", 1.0)


def by_token(*mentions):
    return {i: m for m in mentions for i in range(m.start, m.end)}


# "Sharif met Xi . He said"
DOC = parse(("Sharif", "Sharif", "PROPN", "NNP", 1, "nsubj"), ("met", "meet", "VERB", "VBD", 1, "ROOT"),
            ("Xi", "Xi", "PROPN", "NNP", 1, "dobj"), (".", ".", "PUNCT", ".", 1, "punct"),
            ("He", "he", "PRON", "PRP", 5, "nsubj"), ("said", "say", "VERB", "VBD", 5, "ROOT"))
SHARIF = mention(DOC, 0, 1, "person", "shehbaz_sharif", "Shehbaz Sharif")
XI = mention(DOC, 2, 3, "person", "xi_jinping", "Xi Jinping")
SENT_OF = [0, 0, 0, 0, 1, 1]


def test_named_mention_and_pronoun():
    bt = by_token(SHARIF)
    assert RESOLVER.named(DOC[0], bt, ("person",)) is SHARIF
    assert RESOLVER.pronoun(DOC[4], bt) is SHARIF
    assert RESOLVER.actor(DOC[4], bt, ("group", "person", "place")) is SHARIF


def test_pronoun_speaker_needs_one_antecedent():
    assert RESOLVER.speaker(DOC[4], by_token(SHARIF), [], SENT_OF) is SHARIF
    assert RESOLVER.speaker(DOC[4], by_token(SHARIF, XI), [], SENT_OF) is None          # ambiguous
    rows = [{"speaker_id": "xi_jinping"}]
    assert RESOLVER.speaker(DOC[4], by_token(SHARIF, XI), rows, SENT_OF) is XI           # the last to speak


def test_capital_and_side_speak_for_their_country():
    doc = parse(("Beijing", "Beijing", "PROPN", "NNP", 1, "nsubj"), ("said", "say", "VERB", "VBD", 1, "ROOT"))
    got = RESOLVER.speaker(doc[0], by_token(mention(doc, 0, 1, "place", "beijing", "Beijing")), [], [0, 0])
    assert (got.canonical_name, got.entity_id, got.link_method) == ("China", "china", "metonym")
    doc = parse(("the", "the", "DET", "DT", 2, "det"), ("Chinese", "Chinese", "ADJ", "JJ", 2, "amod"),
                ("side", "side", "NOUN", "NN", 3, "nsubj"), ("said", "say", "VERB", "VBD", 3, "ROOT"))
    assert RESOLVER.speaker(doc[2], {}, [], [0] * 4).canonical_name == "China"


def test_people_of_a_place_are_not_the_place():
    doc = parse(("a", "a", "DET", "DT", 2, "det"), ("U.S.", "U.S.", "PROPN", "NNP", 2, "compound"),
                ("official", "official", "NOUN", "NN", 3, "nsubj"), ("said", "say", "VERB", "VBD", 3, "ROOT"))
    us = mention(doc, 1, 2, "place", "united_states", "United States")
    assert RESOLVER.speaker(doc[2], by_token(us), [], [0] * 4) is None
