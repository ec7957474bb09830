"""Claim and event-argument rules on their own, on hand-built Docs (spacy.blank: no trained model)."""

from __future__ import annotations

import datetime as dt

import spacy
from spacy.tokens import Doc

from pipeline import event_arguments as args
from pipeline.claim_author import author_hedge, could_assess, denial
from pipeline.claims import load_cues
from pipeline.cue_matcher import noun_cue, verb_cue
from pipeline.dates import DateValue
from pipeline.entities import Mention
from pipeline.events import load_taxonomy
from pipeline.resolve import Resolver
from pipeline.triggers import Candidate

from .conftest import ROOT, hand_parse

CUES = load_cues(ROOT / "configs" / "claim_cues.yaml")
TAX = load_taxonomy(ROOT / "configs" / "event_types.yaml")
NLP = spacy.blank("en")


def parse(*tokens: tuple) -> Doc:
    return hand_parse(NLP.vocab, *tokens)


def mention(doc, start, end, typ, eid, name) -> Mention:
    span = doc[start:end]
    return Mention(start, end, span.start_char, span.end_char, span.text, "X", typ, eid, name, "alias", 1.0)


def test_a_statement_that_is_the_subject_of_a_cue_verb_is_no_cue_of_its_own():
    # "A statement condemned the attack"
    doc = parse(("A", "a", "DET", "DT", 1, "det"), ("statement", "statement", "NOUN", "NN", 2, "nsubj"),
                ("condemned", "condemn", "VERB", "VBD", 2, "ROOT"), ("the", "the", "DET", "DT", 4, "det"),
                ("attack", "attack", "NOUN", "NN", 2, "dobj"))
    assert noun_cue(doc[1], CUES) is None and verb_cue(doc[2], CUES).lemma == "condemn"


def test_a_clause_verb_without_a_clause_is_no_cue():
    # "They offered a perspective" / "They offered to help"
    doc = parse(("They", "they", "PRON", "PRP", 1, "nsubj"), ("offered", "offer", "VERB", "VBD", 1, "ROOT"),
                ("a", "a", "DET", "DT", 3, "det"), ("perspective", "perspective", "NOUN", "NN", 1, "dobj"))
    assert verb_cue(doc[1], CUES) is None
    doc = parse(("They", "they", "PRON", "PRP", 1, "nsubj"), ("offered", "offer", "VERB", "VBD", 1, "ROOT"),
                ("to", "to", "PART", "TO", 3, "aux"), ("help", "help", "VERB", "VB", 1, "xcomp"))
    assert verb_cue(doc[1], CUES).lemma == "offer"


def test_denial_words():
    doc = parse(("There", "there", "PRON", "EX", 1, "expl"), ("is", "be", "VERB", "VBZ", 1, "ROOT"),
                ("no", "no", "DET", "DT", 4, "det"), ("concrete", "concrete", "ADJ", "JJ", 4, "amod"),
                ("evidence", "evidence", "NOUN", "NN", 1, "attr"))
    assert denial(doc[:], CUES) == "no evidence"
    doc = parse(("That", "that", "PRON", "DT", 1, "nsubj"), ("is", "be", "AUX", "VBZ", 1, "ROOT"),
                ("baseless", "baseless", "ADJ", "JJ", 1, "acomp"))
    assert denial(doc[:], CUES) == "baseless"


def test_author_hedges():
    # "The group will likely attack again" ; "The toll is feared to rise" ; "The toll seems high"
    doc = parse(("The", "the", "DET", "DT", 1, "det"), ("group", "group", "NOUN", "NN", 4, "nsubj"),
                ("will", "will", "AUX", "MD", 4, "aux"), ("likely", "likely", "ADV", "RB", 4, "advmod"),
                ("attack", "attack", "VERB", "VB", 4, "ROOT"), ("again", "again", "ADV", "RB", 4, "advmod"))
    assert could_assess(doc[:], CUES) and author_hedge(doc[4], CUES) == "likely"
    doc = parse(("The", "the", "DET", "DT", 1, "det"), ("toll", "toll", "NOUN", "NN", 3, "nsubjpass"),
                ("is", "be", "AUX", "VBZ", 3, "auxpass"), ("feared", "fear", "VERB", "VBN", 3, "ROOT"),
                ("to", "to", "PART", "TO", 5, "aux"), ("rise", "rise", "VERB", "VB", 3, "xcomp"))
    assert author_hedge(doc[3], CUES) == "fear"
    doc = parse(("The", "the", "DET", "DT", 1, "det"), ("toll", "toll", "NOUN", "NN", 2, "nsubj"),
                ("feared", "fear", "VERB", "VBD", 2, "ROOT"))
    assert author_hedge(doc[2], CUES) is None        # "fear" hedges only in the passive
    question = parse(*[(w, w.lower(), "X", "X", 0, "dep") for w in "Could they attack again ?".split()])
    assert not could_assess(question[:], CUES)


# "BLA gunmen murdered 20 miners in Duki"
DUKI = parse(("BLA", "BLA", "PROPN", "NNP", 1, "compound"), ("gunmen", "gunman", "NOUN", "NNS", 2, "nsubj"),
             ("murdered", "murder", "VERB", "VBD", 2, "ROOT"), ("20", "20", "NUM", "CD", 4, "nummod"),
             ("miners", "miner", "NOUN", "NNS", 2, "dobj"), ("in", "in", "ADP", "IN", 2, "prep"),
             ("Duki", "Duki", "PROPN", "NNP", 5, "pobj"))
BLA = mention(DUKI, 0, 1, "group", "baloch_liberation_army", "Baloch Liberation Army")
DUKI_PLACE = mention(DUKI, 6, 7, "place", "x:duki", "Duki")
BY_TOKEN = {0: BLA, 6: DUKI_PLACE}


def test_victims_actor_and_place():
    assert args.victims(TAX, DUKI[2]) == (20, False)
    assert args.casualties(TAX, DUKI[:], "killing") == (20, None, None)
    assert args.casualties(TAX, DUKI[:], "military_operation") == (None, None, None)   # victims are no combatants
    cand = Candidate(DUKI[2], "killing", False)
    actor, actor_tok, target, target_tok = args.happening_actor_target(TAX, Resolver(TAX.lex), cand, [cand],
                                                                       "killing", BY_TOKEN)
    assert actor is BLA and target_tok.text == "miners"
    assert args.place(TAX, DUKI[:], DUKI[:], DUKI[2], BY_TOKEN) is DUKI_PLACE


def test_state_forces_killing_combatants_is_a_state_action():
    # "Security forces killed militants"
    doc = parse(("Security", "security", "NOUN", "NN", 1, "compound"), ("forces", "force", "NOUN", "NNS", 2, "nsubj"),
                ("killed", "kill", "VERB", "VBD", 2, "ROOT"), ("militants", "militant", "NOUN", "NNS", 2, "dobj"))
    assert args.state_action(TAX, Candidate(doc[2], "killing", False), {})
    assert args.victims(TAX, doc[2]) == (None, False)          # a bare plural counts no one
    assert not args.state_action(TAX, Candidate(DUKI[2], "killing", False), BY_TOKEN)


def test_dates_of_a_clause_and_of_a_nominal_trigger():
    # "a November 2024 bombing"
    doc = parse(("a", "a", "DET", "DT", 3, "det"), ("November", "November", "PROPN", "NNP", 3, "compound"),
                ("2024", "2024", "NUM", "CD", 1, "nummod"), ("bombing", "bombing", "NOUN", "NN", 3, "ROOT"))
    nov = DateValue(dt.date(2024, 11, 1), "month", "explicit", "November 2024")
    dates = [(doc[1:3], nov)]
    assert args.np_date([Candidate(doc[3], "bombing", True)], dates) == nov
    assert args.clause_date(TAX, doc[:], doc[:], doc[3], dates) == nov
    assert args.clause_date(TAX, doc[:], doc[:], doc[3], []).method == "none"


def test_claim_modality_rules_in_the_configured_order():
    from pipeline import claim_modality as cm
    from pipeline.cue_matcher import Cue

    rules = [cm.RULES[n] for n in CUES.modality_rules]
    # "Officials said militants did not attack" / "Officials said militants may attack" / "... attacked"
    def said(*content):
        return parse(("Officials", "official", "NOUN", "NNS", 1, "nsubj"), ("said", "say", "VERB", "VBD", 1, "ROOT"),
                     ("militants", "militant", "NOUN", "NNS", 3 + len(content) - 1, "nsubj"), *content)
    neg = said(("did", "do", "AUX", "VBD", 5, "aux"), ("not", "not", "PART", "RB", 5, "neg"),
               ("attack", "attack", "VERB", "VB", 1, "ccomp"))
    may = said(("may", "may", "AUX", "MD", 4, "aux"), ("attack", "attack", "VERB", "VB", 1, "ccomp"))
    plain = said(("attacked", "attack", "VERB", "VBD", 1, "ccomp"))
    for doc, expected in ((neg, ("denied", True)), (may, ("hedged", False)), (plain, ("reported", False))):
        cue = Cue(doc[1], "say", "verb")
        assert cm.modality(cue, doc[2:], doc[1], CUES, rules) == expected
    denied = Cue(plain[1], "deny", "verb")
    assert cm.denial_word(denied, plain[2:], plain[1], CUES) == ("denied", False)
    for name in CUES.modality_rules:
        assert cm.RULES[name].__doc__
