"""Entity rules for names beyond the alias table (issue 11 item 1): one behaviour each, on hand-built Docs
(spacy.blank) and on real sentences of the world set (the session's trained pipeline)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from pipeline.aliases import load_aliases
from pipeline.entities import Linker, place_noun_names, with_place_word, word_sequences
from pipeline.gazetteer import load_gazetteer
from pipeline.rules import load_lexicon

from .conftest import ROOT

TABLE = load_aliases(ROOT / "configs" / "aliases.csv")
LEX = load_lexicon(ROOT / "configs" / "lexicon.yaml")
HEADS = ["army", "military", "armed forces", "junta"]


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def doc_of(words, ents=(), pos=None, tags=None):
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos, tags=tags)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    return doc


def forces_linker(gaz, **kw):
    return Linker(TABLE, 90, 5, gazetteer=gaz, armed_forces_heads=HEADS, demonyms=LEX.demonyms, **kw)


def test_word_sequences_split_entries_of_several_words_longest_first():
    assert word_sequences(["army", "Armed Forces", "local government area"])[0] == ("local", "government", "area")


def test_a_countrys_army_is_one_group_and_the_country_stays_a_nested_mention(gaz):
    doc = Doc(spacy.blank("en").vocab, words=["Mali", "’s", "army", "said"], spaces=[False, True, True, False])
    doc.ents = [Span(doc, 0, 1, label="GPE")]
    ms = forces_linker(gaz).link(doc)
    outer = next(m for m in ms if not m.nested)
    assert (outer.text, outer.entity_type, outer.canonical_name) == ("Mali’s army", "group", "Malian Armed Forces")
    assert [(m.text, m.entity_type) for m in ms if m.nested] == [("Mali", "place")]


def test_a_demonym_before_an_armed_forces_word_names_the_country_s_forces(gaz):
    doc = doc_of(["the", "Malian", "military", "said"], [(1, 2, "NORP")])
    outer = next(m for m in forces_linker(gaz).link(doc) if not m.nested)
    assert outer.text == "Malian military" and outer.entity_id == "x:malian_armed_forces"


def test_the_forces_of_a_listed_country_link_to_its_row_in_the_alias_table(gaz):
    doc = doc_of(["Pakistani", "army", "troops"], [(0, 1, "NORP")])
    outer = next(m for m in forces_linker(gaz).link(doc) if not m.nested)
    assert outer.entity_id == "pakistan_army" and outer.link_method == "alias"


def test_a_bare_the_military_is_the_armed_forces_of_the_country_the_article_is_about(gaz):
    doc = doc_of(["Myanmar", "is", "poor", ".", "The", "military", "said", "so"], [(0, 1, "GPE")])
    ms = forces_linker(gaz).link(doc)
    assert any(m.text == "military" and m.entity_id == "x:burmese_armed_forces" for m in ms)


def test_a_lower_case_plural_the_armed_forces_stays_generic(gaz):
    doc = doc_of(["Myanmar", "is", "poor", ".", "the", "armed", "forces", "said"], [(0, 1, "GPE")])
    assert [m.text for m in forces_linker(gaz).link(doc)] == ["Myanmar"]


def test_a_lower_case_description_ending_in_an_organisation_word_makes_a_group_of_its_own():
    doc = doc_of(["Borno", "police", "said"], [(0, 1, "GPE")], pos=["PROPN", "NOUN", "VERB"])
    ms = Linker(TABLE, 90, 5, group_heads=["police"]).link(doc)
    outer = next(m for m in ms if not m.nested)
    assert (outer.text, outer.entity_type, outer.entity_id) == ("Borno police", "group", "x:borno_police")
    assert [m.text for m in ms if m.nested] == ["Borno"]


def test_a_description_that_is_not_the_end_of_the_phrase_is_no_group():
    # "Mali military post": "post" is an organisation word only as the last word of a name
    doc = doc_of(["Karachi", "police", "station"], [(0, 1, "GPE")], pos=["PROPN", "NOUN", "NOUN"])
    assert [m.text for m in Linker(TABLE, 90, 5, group_heads=["police"]).link(doc)] == ["Karachi"]


def test_a_place_word_of_several_words_after_a_name_makes_it_a_place():
    doc = doc_of(["in", "Mafa", "local", "government", "area"], [(1, 2, "ORG")])
    got = with_place_word(doc.ents[0], word_sequences(["area", "local government area"]))
    assert (got.text, got.label_) == ("Mafa local government area", "GPE")


def test_the_villages_of_names_are_places_every_conjunct():
    words = ["the", "villages", "of", "Koshebe", ",", "Karkut", ",", "and", "Bulabulin"]
    doc = doc_of(words, [(3, 4, "ORG"), (8, 9, "PERSON")],
                 pos=["DET", "NOUN", "ADP", "PROPN", "PUNCT", "PROPN", "PUNCT", "CCONJ", "PROPN"])
    got = place_noun_names(doc, list(doc.ents), frozenset({"villages"}))
    assert [(e.text, e.label_) for e in got] == [("Koshebe", "GPE"), ("Karkut", "GPE"), ("Bulabulin", "GPE")]


def test_the_capital_name_is_a_place():
    doc = doc_of(["in", "the", "capital", "Bamako", "."], [(3, 4, "ORG")], pos=["ADP", "DET", "NOUN", "PROPN", "PUNCT"])
    assert [(e.text, e.label_) for e in place_noun_names(doc, list(doc.ents), frozenset({"capital"}))] == \
        [("Bamako", "GPE")]


def test_a_name_in_apposition_to_a_place_noun_is_a_place():
    doc = doc_of(["Marawi", ",", "a", "city", "besieged"], [(0, 1, "PERSON")])
    assert place_noun_names(doc, list(doc.ents), frozenset({"city"}))[0].label_ == "GPE"


def test_a_known_place_and_a_possessive_inside_a_name_split_it(gaz):
    doc = doc_of(["Colombia", "’s", "National", "Liberation", "Army"], [(0, 5, "ORG")])
    ms = Linker(TABLE, 90, 5, gazetteer=gaz).link(doc)
    assert [(m.text, m.entity_type) for m in ms] == [("Colombia", "place"), ("National Liberation Army", "group")]


def test_a_title_inside_a_name_splits_it_into_the_place_or_office_and_the_person(gaz):
    doc = doc_of(["Borno", "Governor", "Babagana", "Zulum"], [(0, 4, "PERSON")])
    ms = Linker(TABLE, 90, 5, titles=["Governor"], gazetteer=gaz).link(doc)
    assert [(m.text, m.entity_type) for m in ms] == [("Borno", "place"), ("Babagana Zulum", "person")]
    doc = doc_of(["AA", "spokesperson", "Khaing", "Thu", "Kha"], [(0, 5, "ORG")])
    ms = Linker(TABLE, 90, 5, titles=["Spokesperson"], gazetteer=gaz).link(doc)
    assert [(m.text, m.entity_type) for m in ms] == [("AA", "group"), ("Khaing Thu Kha", "person")]


def test_the_bare_name_of_a_place_with_a_place_word_is_a_nested_mention_of_the_same_place():
    doc = doc_of(["to", "Zabarmari", "village"], [(1, 2, "PERSON")])
    ms = Linker(TABLE, 90, 5, place_suffixes=["village"]).link(doc)
    assert [(m.text, m.nested, m.entity_id) for m in ms] == [("Zabarmari village", False, "x:zabarmari"),
                                                             ("Zabarmari", True, "x:zabarmari")]


def test_every_demonym_names_a_country_the_gazetteer_knows(gaz):
    unknown = sorted(c for c in set(LEX.demonyms.values())
                     if not any(p.feature == "country" for p in gaz.candidates(c)) and c != "Palestine")
    assert unknown == []


# -- real sentences of the world set, through the trained pipeline ------------------------------------------

def mentions_of(extractor, text):
    return [(m.text, m.entity_type, m.canonical_name) for m in extractor.linker.link(extractor.nlp(text))]


def test_world_sentence_mali_military_post(extractor):
    got = mentions_of(extractor, "Fifteen soldiers were killed Friday in a terrorist attack on a Mali military "
                                 "post in the northeast of the country, the army said.")
    assert ("Mali military", "group", "Malian Armed Forces") in got
    assert ("army", "group", "Malian Armed Forces") in got


def test_world_sentence_amaq_news_agency(extractor):
    got = mentions_of(extractor, "The extremist group claimed responsibility through its Amaq news agency on "
                                 "Saturday.")
    assert any(t == "Amaq news agency" and typ == "group" for t, typ, _ in got)


def test_world_sentence_village_of_koshobe(extractor):
    got = mentions_of(extractor, "The assailants tied up the agricultural workers and slit their throats in the "
                                 "village of Koshobe, the militia said.")
    assert ("Koshobe", "place", "Koshobe") in got


def test_a_compass_word_before_a_known_place_is_not_part_of_the_name(gaz):
    doc = doc_of(["in", "Northern", "Mali", "today"], [(1, 3, "PERSON")])
    ms = Linker(TABLE, 90, 5, gazetteer=gaz, region_words=["northern"]).link(doc)
    assert [(m.text, m.entity_type) for m in ms] == [("Mali", "place")]


def test_an_organisation_word_followed_by_a_title_still_ends_the_group():
    doc = doc_of(["the", "Borno", "police", "spokesperson", "said"], [(1, 2, "GPE")],
                 pos=["DET", "PROPN", "NOUN", "NOUN", "VERB"])
    ms = Linker(TABLE, 90, 5, group_heads=["police"], titles=["Spokesperson"]).link(doc)
    assert "Borno police" in [m.text for m in ms]


def test_the_end_of_a_persons_name_given_before_is_that_person():
    doc = doc_of(["Omar", "Garcia", "Harfuch", "spoke", ".", "Garcia", "Harfuch", "left"],
                 [(0, 3, "PERSON"), (5, 7, "PERSON")])
    a, b = Linker(TABLE, 90, 5).link(doc)
    assert b.entity_id == a.entity_id == "x:omar_garcia_harfuch" and b.link_method == "short_form"


def test_the_models_organisation_name_wins_over_a_listed_name_inside_it_with_its_head_word_after():
    from pipeline.entities import ALIAS_SPANS, AliasMerger
    doc = doc_of(["the", "UN", "Committee", "against", "Torture", "said"], [(1, 5, "ORG")])
    doc.spans[ALIAS_SPANS] = [Span(doc, 1, 2, label="ORG", span_id="united_nations")]
    got = AliasMerger(["Committee"])(doc)
    assert [(e.text, e.label_) for e in got.ents] == [("UN Committee against Torture", "ORG")]


def test_a_listed_name_inside_a_name_without_an_institution_word_wins():
    from pipeline.entities import ALIAS_SPANS, AliasMerger
    doc = doc_of(["Pakistan", "’s", "Balochistan", "province"], [(0, 3, "ORG")])
    doc.spans[ALIAS_SPANS] = [Span(doc, 2, 3, label="GPE", span_id="balochistan")]
    got = AliasMerger(["Committee"])(doc)
    assert [e.text for e in got.ents] == ["Balochistan"]
