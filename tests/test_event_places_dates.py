"""Dates and places of events (issue 11 items 3-4 and the date figure): one behaviour per test, on sentences of
the world development set and sentences written for the test. Pure rules are tested on hand-made rows and
values; the parse-dependent ones on the session's pipeline."""

from __future__ import annotations

import datetime as dt

import spacy

from pipeline import event_arguments as args
from pipeline.dates import DateValue, clock_time, normalise, period_of, week_period
from pipeline.event_discourse import Happening, Marks, carried_marks, consolidate, group_date, joins, on_story_day, \
    shift_dates, story_day, told_as_earlier, writing_lag
from pipeline.gazetteer import Place, written_name
from pipeline.triggers import Candidate

from .conftest import DiscourseTax as _Tax, stage_rows


def counted(extractor, text, published):
    return [r for r in stage_rows(extractor, "events", text, published) if r["modality"] in ("asserted", "hedged")]


def _row(sidx, *, typ="attack", date=dt.date(2023, 11, 5), precision="day", method="relative", text=None, start=0):
    return {"event_id": f"d-{sidx}-{start}", "doc_id": "d", "sent_idx": sidx, "start_char": start,
            "end_char": start + 10, "trigger": typ, "event_type": typ, "cameo_root": "19", "acled_type": "x",
            "actor_id": None, "actor_name": None, "actor_text": None, "target_id": None, "target_text": None,
            "location_id": None, "location_name": None, "date": date, "date_precision": precision,
            "date_text": text, "date_method": method, "killed": None, "injured": None, "hostages": None,
            "modality": "asserted", "confidence": 0.5, "also_spans": [], "killed_text": None}


# -- periods and day words (pipeline/dates.py) ---------------------------------------------------------------

def test_last_week_that_straddles_two_months_is_known_only_to_the_year():
    # read on Monday 6 November 2023, "last week" is 30 October to 5 November
    assert week_period(dt.date(2023, 11, 6), -1) == (dt.date(2023, 1, 1), "year")


def test_last_week_inside_one_month_is_that_month(date_rules):
    assert normalise("last week", dt.date(2025, 3, 12), date_rules).precision == "month"
    assert period_of(dt.date(2025, 3, 3), dt.date(2025, 3, 9)) == (dt.date(2025, 3, 1), "month")


def test_a_day_word_is_marked_as_counted_from_the_writing_day(date_rules):
    pub = dt.date(2023, 11, 7)
    assert normalise("yesterday evening", pub, date_rules).deictic
    assert normalise("last night", pub, date_rules).deictic
    assert not normalise("Sunday", pub, date_rules).deictic


def test_a_time_of_day_alone_dates_nothing(date_rules):
    pub = dt.date(2023, 11, 7)
    assert clock_time("about 5pm", pub, date_rules) and clock_time("1:20 pm", pub, date_rules)
    assert not clock_time("early Sunday morning", pub, date_rules)
    assert not clock_time("this morning", pub, date_rules)


# -- dates of statements and of other happenings (pipeline/event_arguments.py) -------------------------------

def test_a_dated_claim_of_responsibility_gives_the_happening_only_its_month(extractor):
    # w1_02: the claim was made on Saturday; the attack before it, on a day the text does not give
    rows = counted(extractor, "The Islamic State on Saturday claimed the responsibility for the attack on Mali's "
                              "armed forces that left 53 soldiers dead.", dt.date(2019, 11, 3))
    assert rows and rows[0]["date_method"] == "report"
    assert (rows[0]["date"], rows[0]["date_precision"]) == (dt.date(2019, 11, 1), "month")


def test_a_date_between_a_verb_of_saying_and_its_clause_dates_the_saying(extractor):
    # w3_03: "on Saturday" dates the statement; "the day before" counts from it
    rows = counted(extractor, "The Philippine military said on Saturday they had killed 11 militants in a "
                              "military operation the day before in the south.", dt.date(2023, 12, 3))
    assert rows and rows[0]["date"] == dt.date(2023, 12, 1) and rows[0]["date_precision"] == "day"


def test_a_written_reporting_clause_date_is_not_the_happening_date(extractor):
    rows = counted(extractor, "Police said on Monday gunmen had stormed a checkpoint in Kano.", dt.date(2024, 5, 8))
    assert rows and rows[0]["date"] != dt.date(2024, 5, 6)


def test_a_date_in_a_happening_nouns_phrase_belongs_to_that_noun(nlp, extractor):
    doc = nlp("The group detonated a bomb on a convoy, shortly after claiming the Friday attack on the base.")
    friday = next(e for e in doc.ents if e.text == "Friday")
    owner = args.date_owner(extractor.events.tax, friday)
    assert owner is not None and owner.text == "attack"


def test_a_counted_date_counts_from_the_date_before_it_in_the_sentence():
    nlp = spacy.blank("en")
    doc = nlp("They said on Saturday they had killed 11 militants the day before .")
    sat, before = doc[3:4], doc[9:11]
    dates = ((sat, DateValue(dt.date(2023, 12, 2), "day", "relative", "Saturday")),
             (before, DateValue(None, None, "none", "the day before", (1, "day", -1))))
    story_last = (0, DateValue(dt.date(2023, 12, 3), "day", "relative", "Sunday"))
    shifted = dict((e.text, d) for e, d in shift_dates(dates, doc[:], story_last))
    assert shifted["the day"].date == dt.date(2023, 12, 1)
    alone = dict((e.text, d) for e, d in shift_dates(dates[1:], doc[:], story_last))     # else the story's last
    assert alone["the day"].date == dt.date(2023, 12, 2)


# -- one happening's date across its statements (pipeline/event_discourse.py) --------------------------------

def test_a_weekday_wins_over_a_day_word_for_one_happening():
    # w1_08: "beheaded ... on yesterday evening" and "the attack occurred at about 5pm on Sunday"
    rows = [_row(1, date=dt.date(2023, 11, 6), text="yesterday"), _row(6, date=dt.date(2023, 11, 5), text="Sunday")]
    marks = [Marks(True, True, False, True), Marks(True, False, False, False)]
    assert group_date(rows, marks, [0, 1])["date_text"] == "Sunday"


def test_a_restatement_that_dates_an_undated_row_gives_it_the_marks_of_its_date():
    # w1_08: "They started beheading the people" (dated by nothing of its own) is restated by "the attack
    # occurred ... on Sunday"; the merged row's date is Sunday's, stated in a sentence of its own
    earlier = _row(4, date=dt.date(2023, 11, 7), method="publication", start=763)
    restating = _row(5, date=dt.date(2023, 11, 5), text="Sunday", start=861)
    merged_row = {**earlier, **{k: restating[k] for k in ("date", "date_precision", "date_text", "date_method")}}
    marks = {earlier["event_id"]: Marks(False, False, False), restating["event_id"]: Marks(True, True, False)}
    out = carried_marks(marks, (earlier,), (merged_row,), restating)
    assert out[earlier["event_id"]].own_date and not out[earlier["event_id"]].deictic
    # a merge that keeps the earlier row's own date changes no mark
    assert carried_marks(marks, (earlier,), (earlier,), restating) == marks


def test_the_writing_days_lag_moves_every_day_word_of_the_story():
    # one happening: "yesterday" (6 Nov) and "Sunday" (5 Nov) -> written a day before publication; another
    # "yesterday" is then 5 Nov too
    a, b = _row(1, date=dt.date(2023, 11, 6), text="yesterday"), _row(6, date=dt.date(2023, 11, 5), text="Sunday")
    other = {**_row(10, typ="kidnapping", date=dt.date(2023, 11, 6), text="yesterday"), "location_id": "bama"}
    marks = {a["event_id"]: Marks(True, True, False, True), b["event_id"]: Marks(True, False, False, False, True),
             other["event_id"]: Marks(True, True, True, True)}
    assert writing_lag([[a, b], [other]], marks, _Tax()) == -1
    out = consolidate((a, b, other), marks, {}, frozenset(), {}, _Tax())
    assert [r["date"] for r in out] == [dt.date(2023, 11, 5), dt.date(2023, 11, 5)]


def test_disagreeing_lags_move_nothing():
    a, b = _row(1, date=dt.date(2023, 11, 6)), _row(2, date=dt.date(2023, 11, 5))
    c, d = _row(8, date=dt.date(2023, 11, 4)), _row(9, date=dt.date(2023, 11, 5))
    marks = {a["event_id"]: Marks(True, True, False, True), b["event_id"]: Marks(True, True, False, False),
             c["event_id"]: Marks(True, True, False, True), d["event_id"]: Marks(True, True, False, False)}
    assert writing_lag([[a, b], [c, d]], marks, _Tax()) == 0


def test_a_definite_reference_joins_its_happening_however_far_a_toll_does_not():
    killing = _row(1, typ="killing")
    ref = _row(6, typ="attack", start=50)
    far_toll = _row(6, typ="attack", start=60)
    marks = {killing["event_id"]: Marks(True, True, False), ref["event_id"]: Marks(True, False, False, False, True),
             far_toll["event_id"]: Marks(True, False, False)}
    assert joins([killing], ref, marks, {}, _Tax())
    assert not joins([killing], far_toll, marks, {}, _Tax())


def test_an_undated_happening_takes_the_storys_day_not_the_publication_date():
    # w3_08: the attack "early Friday morning" (26 June), published on Saturday; "Police have detained 12
    # suspects" states no date
    attack = _row(0, date=dt.date(2020, 6, 26), text="early Friday")
    arrest = _row(11, typ="arrest", date=dt.date(2020, 6, 27), method="publication")
    pub = dt.date(2020, 6, 27)
    assert story_day((attack, arrest), pub, _Tax()) is attack
    out = on_story_day((attack, arrest), pub, _Tax())
    assert out[1]["date"] == dt.date(2020, 6, 26) and out[1]["date_method"] == "story"


def test_a_story_day_long_before_publication_is_no_story_day():
    background = _row(0, date=dt.date(2020, 6, 1))
    undated = _row(3, date=dt.date(2020, 6, 27), method="publication")
    assert on_story_day((background, undated), dt.date(2020, 6, 27), _Tax())[1]["date_method"] == "publication"


# -- place names (pipeline/gazetteer.py, pipeline/entities.py, pipeline/event_arguments.py) ------------------

def _place(name, feature="city", alternate=True):
    return Place(1, name, feature, "PH", None, None, None, 1, alternate)


def test_a_town_keeps_its_written_name_when_geonames_adds_a_designator():
    assert written_name(_place("Marawi City"), "Marawi", {"city", "town"}) == "Marawi"
    assert written_name(_place("Mexico City", alternate=False), "Mexico City", {"city"}) == "Mexico City"
    assert written_name(_place("Quezon City"), "Quezon", {"district"}) == "Quezon City"


def test_a_division_is_named_as_geonames_names_it():
    from pipeline.gazetteer import load_gazetteer
    gaz = load_gazetteer()
    yobe = gaz.lookup("Yobe state", hint="state")
    assert yobe.name == "Yobe State" and yobe.entity_id == "iso3166:NG-yobe"
    assert gaz.lookup("Yobe").entity_id == yobe.entity_id


def test_a_local_government_in_a_locative_phrase_is_the_place_without_its_designator(extractor):
    # w1_08: "Mafa Local Government" (the model's ORG) after "in"
    doc = extractor.nlp("Boko Haram beheaded 13 farmers in Nigeria's Borno State, on their farmlands in Mafa "
                        "Local Government.")
    m = next(m for m in extractor.linker.link(doc) if m.text.startswith("Mafa"))
    assert m.entity_type == "place" and m.canonical_name == "Mafa"


def test_the_unlisted_object_of_a_verb_that_strikes_places_is_the_location(extractor):
    # w3_01: the model types "Kyauk Ni Maw" a person; "on Ramree island" places the village, not the strike
    rows = counted(extractor, "The spokesman told AFP that a military jet bombed Kyauk Ni Maw, on Ramree island, "
                              "around 1:20 pm on Wednesday.", dt.date(2025, 1, 9))
    assert rows and rows[0]["location_name"] == "Kyauk Ni Maw" and rows[0]["date"] == dt.date(2025, 1, 8)


def test_a_background_happening_after_an_undated_scene_keeps_its_own_place(extractor):
    # w3_01: "since the military ousted ... in a 2021 coup" after an undated report of the strike in Rakhine
    rows = counted(extractor, "An air strike by the junta killed at least 40 people in a village in western Rakhine "
                              "state. The conflict has engulfed Myanmar since the military ousted the civilian "
                              "government in a 2021 coup.", dt.date(2025, 1, 9))
    coup = [r for r in rows if r["date_precision"] == "year"]
    assert coup and coup[0]["location_name"] != "Rakhine"


def test_a_facility_named_once_as_such_is_narrower_than_a_region_for_its_happening(extractor):
    # w3_04: "Mindanao State University" (a facility), later "MSU"; the bomb attack "on the southern island of
    # Mindanao" and the explosion "in the gymnasium of Mindanao State University" are one happening
    rows = counted(extractor, "Pope Francis prayed for the victims of a bomb attack at a Mass early Sunday morning "
                              "on the southern island of Mindanao. Four people were killed in the explosion, which "
                              "occurred in the gymnasium of Mindanao State University in Marawi. MSU condemned the "
                              "act.", dt.date(2023, 12, 3))
    assert rows and rows[0]["location_name"] == "Mindanao State University"


def test_a_happening_at_several_places_is_in_the_place_that_holds_them(extractor):
    # w1_07: three villages "in the Mafa local government area"
    rows = counted(extractor, "Boko Haram attacked farmers in the villages of Koshebe, Karkut, and Bulabulin in the "
                              "Mafa local government area on Sunday.", dt.date(2023, 11, 6))
    assert rows and rows[0]["location_name"] == "Mafa"


def test_one_place_in_a_district_stays_the_place(extractor):
    rows = counted(extractor, "Gunmen attacked a police post in the village of Koshebe in the Mafa local government "
                              "area on Sunday.", dt.date(2023, 11, 6))
    assert rows and rows[0]["location_name"] == "Koshebe"


def test_a_document_naming_no_country_is_about_the_place_it_names_most(extractor):
    # w3_08: "Police have detained 12 suspects" in a report from Mexico City that names no country
    rows = counted(extractor, "Gunmen wounded Mexico City's police chief during a shooting early Friday morning, "
                              "Mexico City's mayor said. Police have detained 12 suspects, according to the office "
                              "of the Mexico City Attorney General.", dt.date(2020, 6, 27))
    arrest = [r for r in rows if r["event_type"] == "arrest"]
    assert arrest and arrest[0]["location_name"] == "Mexico City" and arrest[0]["date"] == dt.date(2020, 6, 26)


# -- the place (and day) the next sentence gives (pipeline/event_discourse.elaborated) -----------------------

def _gaz(feature, cc="CO"):
    return Place(None, "x", feature, cc, None, None, None, 0)


_PLACES = {"colombia": _gaz("country"), "la_guajira": _gaz("admin1"), "barrancas": _gaz("city"),
           "venezuela": _gaz("country", "VE"), "zulia": _gaz("admin1", "VE")}


def _m(eid):
    from pipeline.entities import Mention
    return Mention(0, 1, 0, 1, eid, "GPE", "place", eid, eid.title(), "gazetteer", 0.8)


def _aside(*eids, dates=()):
    from pipeline.event_discourse import Aside
    return Aside(tuple(_m(e) for e in eids), tuple(dates))


def test_a_happening_placed_in_a_country_takes_the_narrower_place_of_the_next_sentence():
    from pipeline.event_discourse import elaborated
    # w3_05: "days after kidnapping him in northern Colombia." + "... as they were driving in La Guajira province
    # on Saturday."
    r = {**_row(0, typ="kidnapping", date=dt.date(2023, 11, 3), method="publication"), "location_id": "colombia"}
    saturday = DateValue(dt.date(2023, 10, 28), "day", "relative", "Saturday")
    out = elaborated((r,), {1: _aside("la_guajira", dates=[saturday])}, _PLACES.get, dt.date(2023, 11, 3), _Tax())
    assert out[0]["location_id"] == "la_guajira" and out[0]["date"] == dt.date(2023, 10, 28)


def test_the_next_sentences_place_in_another_country_or_a_stated_date_is_not_taken():
    from pipeline.event_discourse import elaborated
    r = {**_row(0, typ="kidnapping", date=dt.date(2023, 11, 2)), "location_id": "colombia"}
    saturday = DateValue(dt.date(2023, 10, 28), "day", "relative", "Saturday")
    assert elaborated((r,), {1: _aside("zulia")}, _PLACES.get, None, _Tax())[0]["location_id"] == "colombia"
    out = elaborated((r,), {1: _aside("barrancas", "la_guajira", dates=[saturday])}, _PLACES.get,
                     dt.date(2023, 11, 3), _Tax())
    assert out[0]["location_id"] == "barrancas" and out[0]["date"] == dt.date(2023, 11, 2)   # the town; own date


def test_a_place_name_runs_on_over_a_name_particle():
    from pipeline.entities import particle_names
    nlp = spacy.blank("en")
    doc = nlp("They were killed in Maguindanao del Sur province .")
    for t, pos in zip(doc, ["PRON", "AUX", "VERB", "ADP", "PROPN", "PROPN", "PROPN", "NOUN", "PUNCT"]):
        t.pos_ = pos
    from spacy.tokens import Span
    got = particle_names(doc, [Span(doc, 4, 5, label="GPE")])
    assert [e.text for e in got] == ["Maguindanao del Sur"]
    assert [e.text for e in particle_names(doc, [Span(doc, 0, 1, label="PERSON")])] == ["They"]   # places only


def test_a_place_name_with_a_particle_is_one_place(extractor):
    # w3_03: the model tags "Maguindanao" alone; "Sur" would become Sur in Oman
    rows = counted(extractor, "The military said they had killed 11 militants in a military operation in "
                              "Maguindanao del Sur province on Friday.", dt.date(2023, 12, 3))
    assert rows and rows[0]["location_name"] == "Maguindanao del Sur"


def test_a_date_the_parser_hangs_on_a_blame_dates_the_blame(nlp, extractor):
    # w3_05: "earlier on Thursday" is when the government blamed the ELN, not when the kidnapping happened
    doc = nlp("Colombia's government reported the ELN was responsible for the kidnapping earlier on Thursday.")
    thursday = next(e for e in doc.ents if e.text == "Thursday")
    kidnapping = next(t for t in doc if t.text == "kidnapping")
    assert args.blame_date(extractor.events.tax, thursday)
    assert args.statement_date(extractor.events.tax, thursday, kidnapping)


def test_a_place_of_a_journey_or_stay_is_not_where_the_happening_took_place(extractor):
    # d08: "an airport bombing ... killed two Chinese engineers returning to work ... after a holiday in Thailand"
    text = ("China wants its own guards for its nationals in Pakistan. Last month, a bombing near the airport "
            "killed two Chinese engineers returning to work on a project after a holiday in Thailand.")
    rows = [r for r in counted(extractor, text, dt.date(2024, 11, 13)) if r["event_type"] == "bombing"]
    assert rows and all(r["location_name"] != "Thailand" for r in rows)
    # the same phrase on the happening itself still places it
    rows = counted(extractor, "Gunmen killed two Chinese engineers in Thailand last month.", dt.date(2024, 11, 13))
    assert [r["location_name"] for r in rows] == ["Thailand"]


def test_journey_nouns_only_discount_a_journey_at_another_time(nlp):
    tax = _JourneyTax()
    after = nlp("He was attacked after a visit in Lahore.")
    assert args.journey_place(tax, after[6], after[2])
    during = nlp("He was attacked during a visit in Lahore.")
    assert not args.journey_place(tax, during[6], during[2])


class _JourneyTax:
    journey_nouns = frozenset({"visit", "holiday", "trip"})
    away_prepositions = frozenset({"after", "before", "from"})


def test_a_happening_told_as_earlier_than_its_clause_is_not_dated_by_the_publication_day(nlp):
    tax = _EarlierTax()
    after = nlp("The army tightened security after a bombing near the market.")
    bombing = next(t for t in after if t.lower_ == "bombing")
    assert told_as_earlier(Happening("bombing", Candidate(bombing, "bombing", True), []), tax)
    during = nlp("The army tightened security during a bombing near the market.")
    bombing = next(t for t in during if t.lower_ == "bombing")
    assert not told_as_earlier(Happening("bombing", Candidate(bombing, "bombing", True), []), tax)


def test_a_happening_that_a_clause_follows_stays_undated_without_a_date_of_its_own(extractor):
    # a clause-first "Following ..." (the model makes "following" a verb-like head of its own); the control: the
    # same happening told as the news itself is dated by the publication day
    after = counted(extractor, "Following an attack on a church in Owo, the governor imposed a curfew.",
                    dt.date(2022, 6, 7))
    (attack,) = [r for r in after if r["event_type"] == "attack"]
    assert attack["date_method"] == "none" and attack["date"] is None
    news = counted(extractor, "An attack on a church in Owo killed ten people.", dt.date(2022, 6, 7))
    assert [(r["date"], r["date_method"]) for r in news] == [(dt.date(2022, 6, 7), "publication")]


class _EarlierTax:
    earlier_prepositions = frozenset({"after", "since", "following"})


def test_an_earlier_happening_told_undated_joins_its_dated_restatement(extractor):
    # the lead names the bombing only as what the news follows; a later sentence dates and tolls it
    text = ("Nigeria is asking Chad to send troops, after a car bombing near Maiduguri's main market that was seen "
            "as a grave failure. Last month, a market bombing in the northern city killed nine traders.")
    rows = [r for r in counted(extractor, text, dt.date(2024, 11, 13)) if r["event_type"] == "bombing"]
    assert len(rows) == 1, rows
    r = rows[0]
    assert (r["date"], r["date_precision"]) == (dt.date(2024, 10, 1), "month")
    assert r["killed"] == 9 and r["location_name"] == "Maiduguri" and r["also_spans"] == [[23, 120]]
