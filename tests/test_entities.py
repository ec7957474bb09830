"""Entities: recognition over the model's confusions, and each linking rule."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

from pipeline.aliases import load_aliases, norm
from pipeline.entities import Linker
from pipeline.errors import PipelineError
from pipeline.rules import read_date_rules

from .conftest import ROOT

TABLE = load_aliases(ROOT / "configs" / "aliases.csv")
DATELINE = read_date_rules(ROOT / "configs" / "dates.yaml")["dateline"]


def linked(extractor, text):
    doc = extractor.nlp(text)
    return {m.text: m for m in extractor.linker.link(doc)}


def test_alias_table_is_large_enough():
    assert len(TABLE.entries) >= 80
    for name in ("Baloch Liberation Army", "Tehrik-e-Taliban Pakistan", "Islamic State Khorasan Province",
                 "China-Pakistan Economic Corridor", "Belt and Road Initiative", "Balochistan"):
        assert TABLE.lookup(name) is not None


@pytest.mark.parametrize("text,surface,etype,eid", [
    ("CPEC includes significant investments in Balochistan, such as the Gwadar Port and infrastructure projects.",
     "Balochistan", "place", "balochistan"),
    ("CPEC includes significant investments in Balochistan, such as the Gwadar Port and infrastructure projects.",
     "CPEC", "group", "china_pakistan_economic_corridor"),
    ("China has invested heavily in Gwadar, its gateway to the Arabian Sea.", "Gwadar", "place", "gwadar"),
])
def test_seed_confusions_come_out_right(extractor, text, surface, etype, eid):
    m = linked(extractor, text)[surface]
    assert (m.entity_type, m.entity_id, m.link_method) == (etype, eid, "alias")


@pytest.mark.parametrize("variant", ["BLA", "the Baloch Liberation Army", "Balochistan Liberation Army",
                                     "Baluch Liberation Army"])
def test_spellings_share_one_id(extractor, variant):
    m = linked(extractor, f"Officials blamed {variant} for the attack.")
    assert any(x.entity_id == "baloch_liberation_army" for x in m.values())


def test_in_text_acronym_is_learned(extractor):
    ms = linked(extractor, "The Zarghun Defence Front (ZDF) attacked a post in Kalat. Police said ZDF fighters fled.")
    long, short = ms["Zarghun Defence Front"], ms["ZDF"]
    assert short.link_method == "acronym" and short.entity_id == long.entity_id


def test_person_short_form(extractor):
    doc = extractor.nlp("Interior Minister Talal Jatoi visited Quetta on Monday. Jatoi said the attackers were caught.")
    ms = [m for m in extractor.linker.link(doc) if m.entity_type == "person"]
    full = next(m for m in ms if m.text == "Talal Jatoi")
    short = next(m for m in ms if m.text == "Jatoi")
    assert short.link_method == "short_form" and short.entity_id == full.entity_id


def blank_doc(words, ents):
    nlp = spacy.blank("en")
    doc = spacy.tokens.Doc(nlp.vocab, words=words)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    return doc


def test_fuzzy_variant_on_hand_built_doc():
    doc = blank_doc(["The", "Baloch", "Liberaton", "Army", "struck"], [(1, 4, "ORG")])
    (m,) = Linker(TABLE, 90, 5).link(doc)
    assert m.link_method == "fuzzy" and m.entity_id == "baloch_liberation_army" and 0 < m.link_score < 1


def test_fuzzy_respects_type():
    # a person spelled like a place is not linked to the place
    doc = blank_doc(["Baluchistann", "spoke"], [(0, 1, "PERSON")])
    (m,) = Linker(TABLE, 90, 5).link(doc)
    assert m.link_method == "new"


def test_unknown_name_gets_stable_id_across_documents():
    a = blank_doc(["The", "Zarghun", "Front", "said"], [(1, 3, "ORG")])
    b = blank_doc(["ZARGHUN", "FRONT", "'s", "men"], [(0, 3, "ORG")])
    linker = Linker(TABLE, 90, 5)
    (ma,), (mb,) = linker.link(a), linker.link(b)
    assert ma.link_method == "new" and ma.entity_id == mb.entity_id == "x:zarghun_front"


def test_same_names_in_two_documents_share_ids(extractor, tmp_path, config):
    from pipeline.run import run
    import pandas as pd
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Militants of the BLA attacked a convoy near Turbat. Gul Khan Marri condemned it.")
    (corpus / "b.txt").write_text("The Baloch Liberation Army denied it. Gul Khan Marri spoke in Turbat later.")
    run(corpus, tmp_path / "out", config, extractor=extractor, progress=False)
    m = pd.read_parquet(tmp_path / "out" / "mentions")
    for name in ("baloch_liberation_army", "turbat"):
        assert m[m.entity_id == name].doc_id.nunique() == 2
    marri = m[m.text == "Gul Khan Marri"]
    assert marri.doc_id.nunique() == 2 and marri.entity_id.nunique() == 1
    e = pd.read_parquet(tmp_path / "out" / "entities").set_index("entity_id")
    assert e.loc["baloch_liberation_army", "n_documents"] == 2 and e.loc["baloch_liberation_army", "in_alias_table"]


@pytest.mark.parametrize("content,code", [
    ("id,name,aliases\nbla,Baloch Liberation Army,BLA\n", "E301"),
    ("id,name,type,aliases\nbla,Baloch Liberation Army,militia,BLA\n", "E302"),
    ("id,name,type,aliases\nbla,Baloch Liberation Army,group,BLA||Baluch Liberation Army\n", "E303"),
    ("id,name,type,aliases\nbla,Baloch Liberation Army,group,BLA\nblf,Baloch Liberation Front,group,BLA\n", "E304"),
])
def test_bad_alias_tables_fail_with_file_line_and_value(tmp_path, content, code):
    p = tmp_path / "aliases.csv"
    p.write_text(content)
    with pytest.raises(PipelineError) as e:
        load_aliases(p)
    msg = str(e.value)
    assert msg.startswith(f"[{code}]") and str(p) in msg
    if code != "E301":
        assert "line " in msg


def test_bad_alias_table_stops_run_before_outputs_are_touched(tmp_path, seed_corpus, extractor, config):
    import shutil
    from pipeline.config import load_config
    from pipeline.run import run
    out = tmp_path / "out"
    run(seed_corpus, out, config, extractor=extractor, progress=False)
    before = sorted(p.name for p in (out / "current" / "documents").iterdir())
    cfg = tmp_path / "cfg"
    shutil.copytree(ROOT / "configs", cfg)
    (cfg / "aliases.csv").write_text("id,name,type,aliases\nx,X,weird,\n")
    with pytest.raises(PipelineError, match=r"\[E302\]"):
        run(seed_corpus, out, load_config(cfg / "pipeline.yaml"), progress=False)
    assert sorted(p.name for p in (out / "current" / "documents").iterdir()) == before


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_norm_is_idempotent(s):
    assert norm(norm(s)) == norm(s)


@given(st.lists(st.sampled_from(["the", "BLA", "attacked", "Quetta", "’s", "Mr", "Jatoi", ",", "Baloch",
                                 "Liberation", "Army", "(", ")", "ZDF", "in"]), min_size=1, max_size=25))
@settings(max_examples=60, deadline=None)
def test_mention_offsets_inside_text(extractor, words):
    doc = extractor.nlp(" ".join(words))
    for m in extractor.linker.link(doc):
        assert 0 <= m.start_char < m.end_char <= len(doc.text)
        assert doc.text[m.start_char:m.end_char] == m.text


def test_aliases_suggest_lists_frequent_unlinked_names_with_variants():
    from pipeline.entities import suggest_aliases
    rows = [{"doc_id": str(i), "text": t, "canonical_name": t, "entity_type": "group", "entity_id": "x:" + norm(t),
             "link_method": "new"} for i, t in enumerate(["Zarghun Front"] * 3 + ["Zarghun Frontt", "Other Org"])]
    lines = suggest_aliases(rows, TABLE)
    rows_only = [ln for ln in lines if not ln.startswith("#")]
    assert rows_only[0] == "zarghun_front,Zarghun Front,group,Zarghun Frontt"
    assert lines[lines.index(rows_only[0]) - 1] == "# 3 mentions"


def test_aliases_suggest_output_pastes_into_the_table_as_it_is(tmp_path):
    from pipeline.aliases import load_aliases
    from pipeline.entities import suggest_aliases
    rows = [{"doc_id": str(i), "text": t, "canonical_name": t, "entity_type": "group", "entity_id": "x:" + norm(t),
             "link_method": "new"} for i, t in enumerate(["Zarghun Front", "Zarghun Front", "Other, Org"])]
    table = tmp_path / "aliases.csv"
    table.write_text("id,name,type,aliases\nbla,Baloch Liberation Army,group,BLA\n"
                     + "\n".join(suggest_aliases(rows, TABLE)) + "\n", encoding="utf-8")
    got = load_aliases(table)
    assert set(got.entries) == {"bla", "zarghun_front", "other_org"}
    assert got.entries["other_org"].name == "Other, Org"


def test_institution_of_a_place_stays_whole(extractor):
    ms = linked(extractor, "According to figures from the State Bank of Pakistan, investment fell.")
    assert "State Bank of Pakistan" in ms and ms["State Bank of Pakistan"].entity_type == "group"


def test_unlisted_dateline_capitals_get_a_readable_name():
    from pipeline.entities import display_name
    assert display_name("MUZAFFARABAD") == "Muzaffarabad" and display_name("COAS") == "COAS"
    doc = blank_doc(["MUZAFFARABAD", ":", "Police", "said"], [(0, 1, "GPE")])
    (m,) = Linker(TABLE, 90, 5, dateline=DATELINE).link(doc)
    assert m.canonical_name == "Muzaffarabad" and m.entity_id == "x:muzaffarabad"


def test_generic_word_after_an_unlisted_place_is_kept_in_the_mention_but_not_in_the_name():
    doc = blank_doc(["in", "Khost", "province", "on", "Monday"], [(1, 3, "GPE")])
    m, bare = Linker(TABLE, 90, 5, place_suffixes=["province"]).link(doc)
    assert m.text == "Khost province" and m.entity_id == "x:khost" and m.canonical_name == "Khost"
    # the name without the place word is a nested mention of the same place ("Zabarmari village" / "Zabarmari")
    assert bare.text == "Khost" and bare.nested and bare.entity_id == "x:khost" and not m.nested


def test_a_place_word_after_a_name_makes_it_a_place():
    # the model tagged only the name (as a person); "state" and "area" are place cues
    doc = blank_doc(["in", "Sokoto", "state", "and", "the", "Indelimane", "area"], [(1, 2, "PERSON")])
    for t, pos in zip(doc, ["ADP", "PROPN", "NOUN", "CCONJ", "DET", "PROPN", "NOUN"]):
        t.pos_ = pos
    got = {m.text: m for m in Linker(TABLE, 90, 5, place_suffixes=["state", "area"]).link(doc)}
    assert got["Sokoto state"].entity_type == "place" and got["Sokoto state"].entity_id == "x:sokoto"
    assert got["Indelimane area"].entity_type == "place" and got["Indelimane area"].canonical_name == "Indelimane"


def test_head_words_type_facilities_as_places_and_organisations_as_groups():
    doc = blank_doc(["Mindanao", "State", "University", "and", "Borno", "Police", "and", "Zamfara", "Front"],
                    [(0, 3, "ORG"), (4, 6, "GPE"), (7, 9, "PERSON")])
    linker = Linker(TABLE, 90, 5, facility_heads=["university"], group_heads=["police", "front"])
    got = {m.text: m.entity_type for m in linker.link(doc)}
    assert got == {"Mindanao State University": "place", "Borno Police": "group", "Zamfara Front": "group"}


def test_titles_ranks_and_prefixes_are_stripped_from_person_names():
    titles = ["Brigadier General", "General", "Gen", "President", "Secretary-General"]
    linker = Linker(TABLE, 90, 5, titles=titles)
    for words, name in ((["Brigadier", "General", "Allan", "Nobleza"], "Allan Nobleza"),
                        (["General", "Gen", "Sadio", "Camara"], "Sadio Camara"),
                        (["then-president", "Amadou", "Toure"], "Amadou Toure"),
                        (["Secretary", "-", "General", "Antonio", "Guterres"], "Antonio Guterres")):
        (m,) = linker.link(blank_doc(words, [(0, len(words), "PERSON")]))
        assert (m.text, m.entity_type) == (name, "person")


def test_unlisted_names_link_across_spellings_with_and_without_accents():
    a = Linker(TABLE, 90, 5).link(blank_doc(["Boubou", "Cissé", "spoke"], [(0, 2, "PERSON")]))
    b = Linker(TABLE, 90, 5).link(blank_doc(["Boubou", "Cisse", "spoke"], [(0, 2, "PERSON")]))
    assert a[0].entity_id == b[0].entity_id == "x:boubou_cisse"


def test_a_name_typed_person_where_the_document_names_the_place_is_the_place():
    from pipeline.gazetteer import load_gazetteer
    doc = blank_doc(["Rakhine", "state", "was", "hit", ".", "Rakhine", "is", "poor", "in", "Mexico", "City"],
                    [(0, 1, "GPE"), (5, 6, "PERSON"), (9, 11, "GPE")])
    ms = Linker(TABLE, 90, 5, place_suffixes=["state", "city"], gazetteer=load_gazetteer()).link(doc)
    got = [(m.text, m.entity_type, m.entity_id) for m in ms if not m.nested]
    assert got[:2] == [("Rakhine state", "place", "iso3166:MM-rakhine"), ("Rakhine", "place", "iso3166:MM-rakhine")]
    # a capitalised place word that belongs to a known name stays in it: Mexico City is not Mexico
    assert got[2][0] == "Mexico City" and got[2][2] == "geonames:3530597"
    assert [m.text for m in ms if m.nested] == ["Rakhine"]      # "Rakhine state" names Rakhine; "Mexico" is not nested



def test_unlisted_name_after_near_is_a_place():
    doc = blank_doc(["gunmen", "struck", "near", "Thatta", "on", "Monday"], [(3, 4, "ORG")])
    for t, pos in zip(doc, ["NOUN", "VERB", "ADP", "PROPN", "ADP", "PROPN"]):
        t.pos_ = pos
    doc[3].dep_, doc[3].head = "pobj", doc[2]
    (m,) = Linker(TABLE, 90, 5).link(doc)
    assert m.entity_type == "place" and m.link_method == "new"


def test_label_mapping_to_entity_types():
    doc = blank_doc(["Chinese", "engineers", "met", "Asif", "in", "Lahore", "on", "Monday", "at", "Dawn", "Hotel"],
                    [(0, 1, "NORP"), (3, 4, "PERSON"), (5, 6, "GPE"), (7, 8, "DATE"), (9, 11, "FAC")])
    got = {m.text: m.entity_type for m in Linker(TABLE, 90, 5).link(doc)}
    assert got == {"Chinese": "nationality", "Asif": "person", "Lahore": "place", "Dawn Hotel": "place"}


def test_untagged_names_after_a_locative_preposition_are_places():
    doc = blank_doc(["Gunmen", "struck", "near", "Mafa", "and", "in", "Kyauk", "Ni", "Maw", "."], [])
    for t, pos in zip(doc, ["NOUN", "VERB", "ADP", "PROPN", "CCONJ", "ADP", "PROPN", "PROPN", "PROPN", "PUNCT"]):
        t.pos_ = pos
    got = {m.text: m.entity_type for m in Linker(TABLE, 90, 5).link(doc)}
    assert got == {"Mafa": "place", "Kyauk Ni Maw": "place"}


def test_dateline_capitals_are_a_place_and_untagged_acronyms_a_group():
    doc = blank_doc(["BOGOTA", ",", "Dec", "1", "-", "The", "ELN", "freed", "him", ",", "an", "IED", "hit", "US",
                     "troops"], [])
    got = {m.text: m.entity_type for m in Linker(TABLE, 90, 5, not_acronyms=["IED"], dateline=DATELINE).link(doc)}
    assert got == {"BOGOTA": "place", "ELN": "group"}


def test_an_acronym_of_a_name_given_earlier_links_to_it():
    doc = blank_doc(["The", "Economic", "Community", "of", "West", "African", "States", "met", ".", "ECOWAS", "said"],
                    [(1, 7, "ORG"), (9, 10, "ORG")])
    a, b = Linker(TABLE, 90, 5).link(doc)
    assert b.link_method == "acronym" and b.entity_id == a.entity_id


def test_a_country_name_is_a_place_whatever_the_model_says():
    from pipeline.gazetteer import load_gazetteer
    doc = blank_doc(["Mali", "and", "Burkina", "Faso", "and", "Chad", "Smith"], [(0, 1, "PERSON"), (2, 4, "PERSON"),
                                                                                 (5, 7, "PERSON")])
    got = {m.text: m.entity_type for m in Linker(TABLE, 90, 5, gazetteer=load_gazetteer()).link(doc)}
    assert got == {"Mali": "place", "Burkina Faso": "place", "Chad Smith": "person"}
