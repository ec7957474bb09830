"""Event rules on their own, on hand-built Docs (spacy.blank("en"): no trained model needed)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from pipeline import event_modality as em
from pipeline.events import load_taxonomy
from pipeline.triggers import Candidate, TriggerMatcher

from .conftest import ROOT, hand_parse

TAX = load_taxonomy(ROOT / "configs" / "event_types.yaml")
NLP = spacy.blank("en")


def parse(*tokens: tuple) -> Doc:
    return hand_parse(NLP.vocab, *tokens)


def cand(doc: Doc, i: int, nominal: bool = False) -> Candidate:
    return Candidate(doc[i], "attack", nominal)


# "Gunmen did not attack the convoy"
NOT_ATTACK = parse(("Gunmen", "gunman", "NOUN", "NNS", 3, "nsubj"), ("did", "do", "AUX", "VBD", 3, "aux"),
                   ("not", "not", "PART", "RB", 3, "neg"), ("attack", "attack", "VERB", "VB", 3, "ROOT"),
                   ("the", "the", "DET", "DT", 5, "det"), ("convoy", "convoy", "NOUN", "NN", 3, "dobj"))
# "They threatened to attack"
THREATENED = parse(("They", "they", "PRON", "PRP", 1, "nsubj"), ("threatened", "threaten", "VERB", "VBD", 1, "ROOT"),
                   ("to", "to", "PART", "TO", 3, "aux"), ("attack", "attack", "VERB", "VB", 1, "xcomp"))
# "Militants could attack"
COULD = parse(("Militants", "militant", "NOUN", "NNS", 2, "nsubj"), ("could", "could", "AUX", "MD", 2, "aux"),
              ("attack", "attack", "VERB", "VB", 2, "ROOT"))
# "No soldiers were killed"
NO_SOLDIERS = parse(("No", "no", "DET", "DT", 1, "det"), ("soldiers", "soldier", "NOUN", "NNS", 3, "nsubjpass"),
                    ("were", "be", "AUX", "VBD", 3, "auxpass"), ("killed", "kill", "VERB", "VBN", 3, "ROOT"))
# "if they attack"
IF_ATTACK = parse(("if", "if", "SCONJ", "IN", 2, "mark"), ("they", "they", "PRON", "PRP", 2, "nsubj"),
                  ("attack", "attack", "VERB", "VBP", 2, "ROOT"))
# "hostages reportedly executed"
REPORTEDLY = parse(("hostages", "hostage", "NOUN", "NNS", 2, "nsubjpass"),
                   ("reportedly", "reportedly", "ADV", "RB", 2, "advmod"), ("executed", "execute", "VERB", "VBN", 2, "ROOT"))
# "Rumours claimed that targets were attacked"
RUMOURS = parse(("Rumours", "rumour", "NOUN", "NNS", 1, "nsubj"), ("claimed", "claim", "VERB", "VBD", 1, "ROOT"),
                ("that", "that", "SCONJ", "IN", 5, "mark"), ("targets", "target", "NOUN", "NNS", 5, "nsubjpass"),
                ("were", "be", "AUX", "VBD", 5, "auxpass"), ("attacked", "attack", "VERB", "VBN", 1, "ccomp"))


def test_each_modality_rule_decides_its_case():
    assert em.negation(NOT_ATTACK[3], cand(NOT_ATTACK, 3), TAX) == "negated"
    assert em.negation(COULD[2], cand(COULD, 2), TAX) is None
    assert em.negative_argument(NO_SOLDIERS[3], cand(NO_SOLDIERS, 3), TAX) == "negated"
    assert em.modal(COULD[2], cand(COULD, 2), TAX) == "hypothetical"
    assert em.plan_verb(THREATENED[1], cand(THREATENED, 3), TAX) == "hypothetical"
    assert em.plan_verb(THREATENED[3], cand(THREATENED, 3), TAX) is None       # not the trigger itself
    assert em.condition(IF_ATTACK[2], cand(IF_ATTACK, 2), TAX) == "hypothetical"
    assert em.infinitive(cand(THREATENED, 3), TAX) == "hypothetical"
    assert em.infinitive(cand(NOT_ATTACK, 3), TAX) is None
    assert em.unverified_word(cand(REPORTEDLY, 2), TAX) == "hedged"
    assert em.unverified_source(cand(RUMOURS, 5), TAX) == "hedged"
    assert em.unverified_source(cand(NOT_ATTACK, 3), TAX) is None


def test_head_chain_reaches_the_plan_verb_above():
    assert [t.i for t in em.head_chain(THREATENED[3], TAX)] == [3, 1]
    rules = [em.RULES[n] for n in ("head_chain",)]
    assert em.modality(cand(THREATENED, 3), TAX, rules) == "hypothetical"


@pytest.mark.parametrize("doc,i,expected", [(NOT_ATTACK, 3, "negated"), (COULD, 2, "hypothetical"),
                                            (NO_SOLDIERS, 3, "negated"), (IF_ATTACK, 2, "hypothetical"),
                                            (REPORTEDLY, 2, "hedged"), (RUMOURS, 5, "hedged")])
def test_configured_rules_in_order(doc, i, expected):
    rules = [em.RULES[n] for n in TAX.modality_rules]
    assert em.modality(cand(doc, i), TAX, rules) == expected
    plain = parse(("Gunmen", "gunman", "NOUN", "NNS", 1, "nsubj"), ("attacked", "attack", "VERB", "VBD", 1, "ROOT"))
    assert em.modality(cand(plain, 1), TAX, rules) == "asserted"


def test_every_listed_rule_is_registered_and_documented():
    for name in TAX.modality_rules:
        assert em.RULES[name].__doc__
    for name in TAX.modality_chain_rules:
        assert em.CHAIN_RULES[name].__doc__


def test_trigger_matcher_phrases_words_and_split_phrases():
    matcher = TriggerMatcher(TAX, vocab=NLP.vocab)
    # "A suicide bombing hit Quetta": the phrase wins over its words
    doc = parse(("A", "a", "DET", "DT", 2, "det"), ("suicide", "suicide", "NOUN", "NN", 2, "compound"),
                ("bombing", "bombing", "NOUN", "NN", 3, "nsubj"), ("hit", "hit", "VERB", "VBD", 3, "ROOT"),
                ("Quetta", "Quetta", "PROPN", "NNP", 3, "dobj"))
    got = matcher(doc)[0]
    assert [(c.token.text, c.type, c.nominal) for c in got] == [("bombing", "bombing", True)]
    # "Militants held 12 passengers hostage": a two-word phrase apart
    doc = parse(("Militants", "militant", "NOUN", "NNS", 1, "nsubj"), ("held", "hold", "VERB", "VBD", 1, "ROOT"),
                ("12", "12", "NUM", "CD", 3, "nummod"), ("passengers", "passenger", "NOUN", "NNS", 1, "dobj"),
                ("hostage", "hostage", "NOUN", "NN", 1, "oprd"))
    assert [(c.token.text, c.type) for c in matcher(doc)[0]] == [("held", "kidnapping")]
    # an adjectival participle is no trigger ("the attacked convoy")
    doc = parse(("the", "the", "DET", "DT", 2, "det"), ("attacked", "attack", "VERB", "VBN", 2, "amod"),
                ("convoy", "convoy", "NOUN", "NN", 2, "ROOT"))
    assert matcher(doc).get(0, []) == []


# -- discourse passes: rows in, rows out ------------------------------------------------------------

from pipeline import event_discourse as ed  # noqa: E402
from pipeline.entities import Mention  # noqa: E402


def row(**kw) -> dict:
    base = {"sent_idx": 0, "event_type": "attack", "actor_id": None, "actor_name": None, "actor_text": None,
            "location_id": None, "location_name": None, "killed": None, "injured": None, "hostages": None,
            "date": None, "date_precision": None, "date_text": None, "date_method": "none", "modality": "asserted"}
    return {**base, **kw}


BLA = Mention(0, 1, 0, 3, "BLA", "ORG", "group", "baloch_liberation_army", "Baloch Liberation Army", "alias", 1.0)


def test_responsibility_names_the_actor_of_recent_violence_without_changing_its_input():
    rows = (row(sent_idx=0), row(sent_idx=1, event_type="meeting"), row(sent_idx=2, actor_id="x", actor_name="X"))
    out = ed.responsibility(rows, BLA, 3, TAX)
    assert [r["actor_id"] for r in out] == ["baloch_liberation_army", None, "x"]
    assert rows[0]["actor_id"] is None                      # the input rows are not changed
    far = ed.responsibility((row(sent_idx=0),), BLA, 1 + TAX.windows["responsibility_sentences"], TAX)
    assert far[0]["actor_id"] is None


def test_pronoun_actor_takes_the_last_violent_actor():
    rows = (row(actor_id="baloch_liberation_army", actor_name="Baloch Liberation Army"),)
    got = ed.pronoun_actor(row(sent_idx=1, actor_text="they"), rows, TAX)
    assert got["actor_id"] == "baloch_liberation_army"
    assert ed.pronoun_actor(row(sent_idx=1, actor_text="gunmen"), rows, TAX)["actor_id"] is None


def test_merged_adds_what_the_restatement_tells():
    earlier = row(killed=None, date_method="publication")
    later = row(killed=5, date="2025-03-11", date_precision="day", date_text="Tuesday", date_method="relative")
    got = ed.merged(earlier, later)
    assert got["killed"] == 5 and got["date_method"] == "relative" and earlier["killed"] is None


# -- generic mentions and grouping ---------------------------------------------------------------

from pipeline.events import EventExtractor  # noqa: E402
from pipeline import event_arguments as args  # noqa: E402

EXTRACTOR = EventExtractor(TAX, vocab=NLP.vocab)


def test_generic_mentions_are_not_happenings():
    # "a series of attacks"
    doc = parse(("a", "a", "DET", "DT", 1, "det"), ("series", "series", "NOUN", "NN", 1, "ROOT"),
                ("of", "of", "ADP", "IN", 1, "prep"), ("attacks", "attack", "NOUN", "NNS", 2, "pobj"))
    assert EXTRACTOR.generic(Candidate(doc[3], "attack", True))
    # "after the attack" refers back; "after a raid" reports one
    for det, generic in (("the", True), ("a", False)):
        doc = parse(("They", "they", "PRON", "PRP", 1, "nsubj"), ("left", "leave", "VERB", "VBD", 1, "ROOT"),
                    ("after", "after", "ADP", "IN", 1, "prep"), (det, det, "DET", "DT", 4, "det"),
                    ("raid", "raid", "NOUN", "NN", 2, "pobj"))
        assert EXTRACTOR.generic(Candidate(doc[4], "attack", True)) is generic
    # "China condemned the attack"
    doc = parse(("China", "China", "PROPN", "NNP", 1, "nsubj"), ("condemned", "condemn", "VERB", "VBD", 1, "ROOT"),
                ("the", "the", "DET", "DT", 3, "det"), ("attack", "attack", "NOUN", "NN", 1, "dobj"))
    assert EXTRACTOR.generic(Candidate(doc[3], "attack", True))
    # "has repeatedly attacked"
    doc = parse(("It", "it", "PRON", "PRP", 3, "nsubj"), ("has", "have", "AUX", "VBZ", 3, "aux"),
                ("repeatedly", "repeatedly", "ADV", "RB", 3, "advmod"), ("attacked", "attack", "VERB", "VBN", 3, "ROOT"))
    assert EXTRACTOR.generic(Candidate(doc[3], "attack", False))


def test_a_bombing_that_killed_is_one_bombing():
    # "A bombing killed five"
    doc = parse(("A", "a", "DET", "DT", 1, "det"), ("bombing", "bombing", "NOUN", "NN", 2, "nsubj"),
                ("killed", "kill", "VERB", "VBD", 2, "ROOT"), ("five", "five", "NUM", "CD", 2, "dobj"))
    cands = [Candidate(doc[1], "bombing", True), Candidate(doc[2], "killing", False)]
    ((typ, anchor, members),) = args.group(TAX, cands, {})
    assert typ == "bombing" and anchor.token.i == 2 and len(members) == 2
