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
LEX = CUES.lex


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


def test_pronoun_speaker_antecedent_by_the_lexicon_policy():
    assert RESOLVER.speaker(DOC[4], by_token(SHARIF), [], SENT_OF) is SHARIF
    rows = [{"speaker_id": "xi_jinping"}]
    assert RESOLVER.speaker(DOC[4], by_token(SHARIF, XI), rows, SENT_OF) is XI           # the last to speak
    # of two with no speaker among them, the policy's tie-break (nearest_in_window) takes the one named last
    nearest = max((SHARIF, XI), key=lambda m: m.start)
    assert RESOLVER.speaker(DOC[4], by_token(SHARIF, XI), [], SENT_OF) is nearest


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


# -- the one antecedent policy (lexicon.yaml antecedent), for event actors and claim speakers ---------------

def test_every_antecedent_step_name_is_registered():
    from pipeline.resolve import ANTECEDENT_STEPS
    from pipeline.rules import ANTECEDENT_STEP_NAMES
    assert tuple(ANTECEDENT_STEPS) == ANTECEDENT_STEP_NAMES


def _antecedent_doc():
    # "Ali met Omar . Later he said so ." with both names persons
    import spacy
    from spacy.tokens import Doc
    doc = Doc(spacy.blank("en").vocab, words=["Ali", "met", "Omar", ".", "Later", "he", "said", "so", "."],
              sent_starts=[True, False, False, False, True, False, False, False, False])
    ali = Mention(0, 1, 0, 3, "Ali", "PERSON", "person", "x:ali", "Ali", "new", 0.5)
    omar = Mention(2, 3, 8, 12, "Omar", "PERSON", "person", "x:omar", "Omar", "new", 0.5)
    return doc, {0: ali, 2: omar}, [0, 0, 0, 0, 1, 1, 1, 1, 1]


def test_antecedent_of_several_in_the_window_is_the_last_speaker_among_them():
    from pipeline.resolve import antecedent
    doc, by_token, sent_of = _antecedent_doc()
    rows = [{"speaker_id": "x:ali"}]
    assert antecedent(doc[5], by_token, "person", sent_of, rows, LEX).entity_id == "x:ali"


def test_antecedent_of_several_in_the_window_without_speakers_is_the_nearest():
    from pipeline.resolve import antecedent
    doc, by_token, sent_of = _antecedent_doc()
    assert antecedent(doc[5], by_token, "person", sent_of, [], LEX).entity_id == "x:omar"


def test_antecedent_steps_come_from_the_lexicon_and_a_policy_without_tie_break_gives_none():
    import dataclasses
    from pipeline.resolve import antecedent
    doc, by_token, sent_of = _antecedent_doc()
    strict = dataclasses.replace(LEX, antecedent_steps=("unique_in_window",))
    assert antecedent(doc[5], by_token, "person", sent_of, [], strict) is None


def test_antecedent_outside_the_window_is_the_last_speaker_then_the_nearest():
    import dataclasses
    from pipeline.resolve import antecedent
    doc, by_token, sent_of = _antecedent_doc()
    narrow = dataclasses.replace(LEX, antecedent_window=0)
    assert antecedent(doc[5], by_token, "person", sent_of, [{"speaker_id": "x:ali"}], narrow).entity_id == "x:ali"
    assert antecedent(doc[5], by_token, "person", sent_of, [], narrow).entity_id == "x:omar"


def test_event_pronouns_use_the_same_policy():
    from pipeline.resolve import resolve_pronoun
    doc, by_token, sent_of = _antecedent_doc()
    assert resolve_pronoun(doc[5], by_token, LEX, sent_of=sent_of).entity_id == "x:omar"


def test_antecedent_named_in_the_pronouns_own_sentence_wins():
    # "Ali met Omar . Omar 's university said it ..." -> own sentence first
    from pipeline.resolve import antecedent
    doc = Doc(spacy.blank("en").vocab, words=["Ali", "met", "Omar", ".", "MSU", "is", "sad", ",", "it", "said"],
              sent_starts=[True, False, False, False, True, False, False, False, False, False])
    ali = Mention(0, 1, 0, 3, "Ali", "ORG", "group", "x:ali", "Ali", "new", 0.5)
    msu = Mention(4, 5, 15, 18, "MSU", "FAC", "place", "x:msu", "MSU", "new", 0.5)
    got = antecedent(doc[8], {0: ali, 4: msu}, "group", [0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [{"speaker_id": "x:ali"}], LEX)
    assert got is msu      # a named facility speaks as an organisation ("it said")
