"""Events of news from other conflicts (issue 11 items 4-5, issue 12 item 1): one behaviour per test, on
sentences of the world development set and sentences written for the test."""

from __future__ import annotations

import datetime as dt

from pipeline.event_discourse import Marks, consolidate, dates_agree, places_agree
from pipeline.happenings import Report, date_inside, place_contains

from .conftest import DiscourseTax as _Tax, stage_rows

PUB = dt.date(2025, 1, 9)   # a Thursday


def counted(extractor, text, published=PUB):
    return [r for r in stage_rows(extractor, "events", text, published) if r["modality"] in ("asserted", "hedged")]


# -- one row per happening within an article (issue 12 item 1) -------------------------------------------

def test_the_statements_of_one_happening_are_one_row_with_the_others_in_also_spans(extractor):
    rows = counted(extractor, "Gunmen attacked a police post in Bannu on Sunday. Five policemen were killed in "
                              "the attack, officials said.")
    assert len(rows) == 1
    r = rows[0]
    assert r["killed"] == 5 and r["location_name"] == "Bannu" and r["also_spans"]
    assert "Five policemen were killed" in r["killed_text"]


def test_a_background_happening_dated_otherwise_is_a_row_of_its_own(extractor):
    rows = counted(extractor, "Gunmen attacked a police post in Bannu on Sunday, killing five policemen. In "
                              "November 2020, gunmen had attacked another post in the district, killing two.")
    assert len(rows) == 2
    assert {r["date_precision"] for r in rows} == {"day", "month"}


def test_the_largest_toll_stated_for_the_happening_is_kept():
    rows = (_row(0, killed=15, start=0), _row(2, killed=54, start=100))
    marks = {r["event_id"]: Marks(True, False, False) for r in rows}
    out = consolidate(rows, marks, {0: "s0", 2: "s2"}, frozenset(), {}, _Tax())
    assert len(out) == 1 and out[0]["killed"] == 54 and out[0]["killed_text"] == "s2"


def test_another_happening_is_never_merged():
    rows = (_row(0, start=0), _row(1, start=50))
    marks = {rows[0]["event_id"]: Marks(True, False, False), rows[1]["event_id"]: Marks(True, False, True)}
    assert len(consolidate(rows, marks, {}, frozenset(), {}, _Tax())) == 2


def test_dates_agree_at_the_coarser_precision():
    tax = _Tax()
    assert dates_agree(_row(0, date=dt.date(2019, 11, 1)), _row(1, date=dt.date(2019, 11, 1), precision="month"), tax)
    assert not dates_agree(_row(0, date=dt.date(2019, 11, 1)), _row(1, date=dt.date(2019, 10, 1),
                                                                     precision="month"), tax)


def test_an_undated_statement_does_not_restate_a_background_happening():
    tax = _Tax()
    undated = _row(0, date=dt.date(2025, 1, 9), method="publication")
    assert not dates_agree(undated, _row(1, date=dt.date(2021, 2, 1), precision="month"), tax)
    assert dates_agree(undated, _row(1, date=dt.date(2025, 1, 8)), tax)


def test_two_countries_are_two_places_a_village_and_its_country_one():
    a, b = _row(0, loc="mali"), _row(1, loc="burkina_faso")
    assert not places_agree(a, b, {"mali": 2, "burkina_faso": 2})
    assert places_agree(a, _row(1, loc="indelimane"), {"mali": 2})


# -- arguments ----------------------------------------------------------------------------------------------

def test_a_date_of_the_statement_is_not_the_date_of_the_happening(extractor):
    rows = counted(extractor, "An air strike killed at least 40 people in a village in Rakhine state, "
                              "officials said on Wednesday.", published=dt.date(2025, 1, 10))
    assert rows and all(r["date_text"] != "Wednesday" for r in rows)


def test_a_length_of_time_is_not_a_date(extractor):
    rows = counted(extractor, "Militants attacked the city of Marawi for five months in 2017.")
    assert rows and rows[0]["date"] == dt.date(2017, 1, 1) and rows[0]["date_precision"] == "year"


def test_the_other_side_of_a_border_is_not_the_location(extractor):
    rows = counted(extractor, "Militants attacked two military camps near the Burkina Faso border on Monday, "
                              "killing 25 soldiers.")
    assert rows and rows[0]["location_name"] != "Burkina Faso"


def test_a_trigger_that_modifies_another_noun_is_no_happening(extractor):
    assert counted(extractor, "We do not have enough medicine, the rescue worker said.") == []


# -- lexicons by principle (issue 11 item 5) -----------------------------------------------------------------

def test_slaughter_is_a_killing_with_its_toll(extractor):
    rows = counted(extractor, "Last month Boko Haram militants slaughtered 22 farmers near Maiduguri.")
    assert rows and rows[0]["event_type"] in ("killing", "attack") and rows[0]["killed"] == 22


def test_a_clash_with_the_army_is_a_military_operation(extractor):
    rows = counted(extractor, "Troops clashed with rebels near the town on Friday.")
    assert rows and rows[0]["event_type"] == "military_operation"


def test_a_coup_that_toppled_a_president_is_a_military_operation(extractor):
    rows = counted(extractor, "A mutiny in 2012 at the Kati base led to a military coup that toppled the president.")
    assert rows and rows[0]["event_type"] == "military_operation"


def test_rounding_up_officials_is_an_arrest(extractor):
    rows = counted(extractor, "Soldiers rounded up a number of senior officials in Bamako on Tuesday.")
    assert rows and rows[0]["event_type"] == "arrest"


# -- happenings across articles -----------------------------------------------------------------------------

def test_a_date_inside_a_coarser_one_is_evidence():
    day = _report(day=dt.date(2020, 11, 28), precision="day")
    month = _report(day=dt.date(2020, 11, 1), precision="month")
    assert date_inside(day, month) and not date_inside(month, day)
    assert not date_inside(_report(day=dt.date(2020, 10, 28), precision="day"), month)


def test_a_country_contains_a_place_named_in_it():
    country = _report(location_id="mali", feature="country", specific=False, country="ML")
    town = _report(location_id="indelimane", feature=None, specific=True, country="ML")
    assert place_contains(country, town) and not place_contains(town, country)
    assert not place_contains(country, _report(location_id="x", specific=True, country="BF"))


# -- helpers ------------------------------------------------------------------------------------------------

def _row(sidx, *, killed=None, start=0, date=dt.date(2019, 11, 1), precision="day", method="relative", loc=None):
    return {"event_id": f"d-{sidx}-{start}", "doc_id": "d", "sent_idx": sidx, "start_char": start,
            "end_char": start + 10, "trigger": "attack", "event_type": "attack", "cameo_root": "19",
            "acled_type": "x", "actor_id": None, "actor_name": None, "actor_text": None, "target_id": None,
            "target_text": None, "location_id": loc, "location_name": loc, "date": date, "date_precision": precision,
            "date_text": None, "date_method": method, "killed": killed, "injured": None, "hostages": None,
            "modality": "asserted", "confidence": 0.5, "also_spans": [], "killed_text": None}


def _report(**kw):
    base = dict(event_id="e", doc_id="a", event_type="attack", family="violence", day=dt.date(2020, 11, 1),
                precision="day", country="ML", admin1=None, location_id=None, specific=False, actor_id=None,
                target=None, killed=None, published=None, source=None, feature=None)
    return Report(**{**base, **kw})


def test_the_place_that_owns_the_victim_is_the_location_when_no_locative_names_one(extractor):
    rows = counted(extractor, "Gunmen attacked Karachi's police chief on Friday.", published=dt.date(2020, 6, 27))
    assert rows and rows[0]["location_name"] == "Karachi"


def test_a_killing_of_several_victims_is_an_attack_a_targeted_one_stays_a_killing(extractor):
    rows = counted(extractor, "Boko Haram had beheaded over 100 farmers from Zabarmari in November 2020.")
    assert rows and rows[0]["event_type"] == "attack"
    rows = counted(extractor, "Gunmen assassinated two local officials in Maiduguri on Monday.")
    assert rows and rows[0]["event_type"] == "killing"


def test_a_happening_is_what_it_asserts_not_what_is_feared(extractor):
    rows = counted(extractor, "At least 15 rice farmers were killed and several others feared abducted after "
                              "suspected Boko Haram insurgents attacked three villages on Sunday.")
    assert rows and rows[0]["killed"] == 15 and rows[0]["event_type"] != "kidnapping"


def test_a_state_air_strike_counts_the_people_it_killed(extractor):
    rows = counted(extractor, "An air strike by the army killed at least 40 people in a village on Wednesday.")
    assert rows and rows[0]["event_type"] == "military_operation" and rows[0]["killed"] == 40


def test_a_restatement_names_the_narrower_place(extractor):
    rows = counted(extractor, "Fifteen soldiers were killed Friday in an attack on a military post in Mali. The "
                              "attack on the outpost in Indelimane left 15 troops dead.", published=dt.date(2019, 11, 1))
    assert len(rows) == 1 and rows[0]["location_name"] != "Mali" and rows[0]["also_spans"]


def test_the_attack_after_a_state_strike_restates_it(extractor):
    rows = counted(extractor, "An airstrike by the army on a village killed about 40 people, officials said. "
                              "The attack occurred Wednesday in the village of Kyauk Ni Maw.")
    ops = [r for r in rows if r["event_type"] == "military_operation"]
    assert len(rows) == 1 and ops and ops[0]["date_text"] == "Wednesday"


def test_a_group_held_responsible_is_the_actor(extractor):
    rows = counted(extractor, "Gunmen kidnapped the father of a football star in Barrancas on Saturday. The "
                              "government said the ELN was responsible for the kidnapping.",
                   published=dt.date(2023, 11, 2))
    assert rows and rows[0]["actor_name"] in ("ELN", "National Liberation Army")


def test_a_happening_with_no_place_is_in_the_country_the_document_is_about(extractor):
    rows = counted(extractor, "Mali's army said it repelled an attack. Soldiers in Mali were killed on Friday "
                              "when gunmen attacked a military post.", published=dt.date(2019, 11, 1))
    assert rows and all(r["location_name"] for r in rows)


def test_a_background_happening_does_not_take_the_scene_of_the_main_one(extractor):
    rows = counted(extractor, "Gunmen attacked an army post in Indelimane on Friday, killing 15 soldiers. In "
                              "October 2019, two jihadist assaults killed 40 soldiers.", published=dt.date(2019, 11, 2))
    background = [r for r in rows if r["date_precision"] == "month"]
    assert background and background[0]["location_name"] != "Indelimane"


def test_the_place_a_violent_verb_strikes_is_the_location(extractor):
    rows = counted(extractor, "A military jet bombed Karachi on Wednesday, killing 40 civilians.",
                   published=dt.date(2025, 1, 9))
    assert rows and rows[0]["location_name"] == "Karachi"


def test_a_reference_to_the_happening_names_its_place(extractor):
    rows = counted(extractor, "Three people were killed when an explosion ripped through a Mass in the southern "
                              "Philippines on Sunday. The police are investigating the explosion at Mindanao State "
                              "University.", published=dt.date(2023, 12, 3))
    assert len(rows) == 1 and rows[0]["location_name"] == "Mindanao State University" and rows[0]["also_spans"]


def test_numbers_written_in_words_are_read_whole(extractor):
    rows = counted(extractor, "Forty-three were slaughtered in the rice fields near Maiduguri on Saturday.",
                   published=dt.date(2020, 11, 29))
    assert rows and rows[0]["killed"] == 43
    rows = counted(extractor, "Gunmen killed two dozen villagers in Zamfara on Saturday.",
                   published=dt.date(2020, 11, 29))
    assert rows and rows[0]["killed"] == 24


def test_slitting_throats_is_a_killing_with_its_place(extractor):
    rows = counted(extractor, "The assailants tied up the workers and slit their throats in the village of "
                              "Koshobe, the militia said.", published=dt.date(2020, 11, 29))
    assert rows and rows[0]["event_type"] in ("killing", "attack") and rows[0]["location_name"] == "Koshobe"


def test_the_handiwork_of_a_group_names_the_actor(extractor):
    rows = counted(extractor, "Gunmen slaughtered 43 farmers in Koshobe on Saturday. It is no doubt the handiwork "
                              "of the Islamic State.", published=dt.date(2020, 11, 29))
    assert rows and rows[0]["actor_name"] is not None


def test_two_unlisted_actor_names_do_not_keep_reports_apart():
    from pipeline.happenings import cannot_link, load_happening_rules
    from pipeline.schemas import EVENT_TYPES
    from pathlib import Path
    rules = load_happening_rules(Path(__file__).resolve().parents[1] / "configs" / "happenings.yaml", EVENT_TYPES)
    a = _report(event_id="a", doc_id="a", actor_id="x:cjng")
    b = _report(event_id="b", doc_id="b", actor_id="x:jalisco_new_generation")
    assert cannot_link(a, b, rules) is None
    c = _report(event_id="c", doc_id="c", actor_id="islamic_state")
    d = _report(event_id="d", doc_id="d", actor_id="boko_haram")
    assert cannot_link(c, d, rules) == "different_named_actors"


def test_dates_a_day_apart_are_evidence_of_one_happening():
    from pipeline.happenings import load_happening_rules, pair_evidence
    from pipeline.schemas import EVENT_TYPES
    from pathlib import Path
    rules = load_happening_rules(Path(__file__).resolve().parents[1] / "configs" / "happenings.yaml", EVENT_TYPES)
    got = pair_evidence(_report(day=dt.date(2019, 11, 1)), _report(doc_id="b", day=dt.date(2019, 11, 2)), rules)
    assert "next_day" in got and "same_date" not in got


def test_where_forces_are_sent_is_where_the_deployment_takes_place(extractor):
    rows = counted(extractor, "Reinforcements have been dispatched to Gwadar, the army said on Friday.",
                   published=dt.date(2019, 11, 1))
    ops = [r for r in rows if r["event_type"] == "military_operation"]
    assert ops and ops[0]["location_name"] == "Gwadar"


def test_a_city_that_was_the_site_of_a_battle_is_its_location(extractor):
    rows = counted(extractor, "In 2017, the city of Karachi was the site of a battle between militants and "
                              "government forces.", published=dt.date(2023, 12, 3))
    assert rows and rows[0]["location_name"] == "Karachi"


def test_a_name_headed_by_a_force_word_is_no_location():
    from pipeline.entities import Mention
    from pipeline.event_arguments import organisation_named
    from pipeline.events import load_taxonomy
    from pathlib import Path
    tax = load_taxonomy(Path(__file__).resolve().parents[1] / "configs" / "event_types.yaml")
    forces = Mention(0, 2, 0, 12, "Armed Forces", "GPE", "place", "x:armed_forces", "Armed Forces", "new", 1.0)
    town = Mention(0, 1, 0, 6, "Gwadar", "GPE", "place", "gwadar", "Gwadar", "alias", 1.0)
    assert organisation_named(tax, forces) and not organisation_named(tax, town)


def test_a_named_facility_is_narrower_than_the_town_or_island_named_with_it(extractor):
    rows = counted(extractor, "Pope Francis prayed for the victims of a bomb attack during a church service on "
                              "Sunday on the island of Mindanao. Four people were killed in the explosion, which occurred in "
                              "the gymnasium of Mindanao State University.", published=dt.date(2023, 12, 3))
    assert rows and rows[0]["location_name"] == "Mindanao State University"


def test_a_feared_part_of_a_happening_still_names_its_actor(extractor):
    rows = counted(extractor, "At least 15 rice farmers were killed and several others feared abducted in Borno "
                              "state after suspected Boko Haram insurgents attacked three villages, residents said "
                              "on Monday.", published=dt.date(2023, 11, 6))
    assert rows and rows[0]["killed"] == 15 and rows[0]["actor_name"] == "Boko Haram"


def test_the_first_party_of_a_battle_between_two_is_its_actor(extractor):
    rows = counted(extractor, "In 2017, the city of Karachi was the site of a battle between the Islamic State "
                              "and government forces.", published=dt.date(2023, 12, 3))
    assert rows and rows[0]["actor_name"] == "Islamic State"
