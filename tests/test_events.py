"""Events: each rule on real sentences with the trained model, and the date rules on their own."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.dates import normalise

from .conftest import single, stage_rows

PUB = dt.date(2025, 3, 12)   # a Wednesday


def events(extractor, text, published=PUB, modality="asserted"):
    rows = stage_rows(extractor, "events", text, published)
    return [r for r in rows if modality is None or r["modality"] == modality]


def one(extractor, text, **kw):
    return single(events(extractor, text, **kw))


def test_verbal_trigger_actor_and_count(extractor):
    r = one(extractor, "In October 2024, BLA gunmen murdered 20 miners in Duki.")
    assert r["actor_id"] == "baloch_liberation_army" and r["killed"] == 20
    assert r["event_type"] in ("killing", "attack") and "miners" in r["target_text"]
    assert (r["date"], r["date_precision"]) == (dt.date(2024, 10, 1), "month")


def test_nominal_trigger_location_and_casualty_sum(extractor):
    r = one(extractor, "In March 2024, a suicide bombing in Shangla killed five Chinese engineers and their "
                       "Pakistani driver.")
    assert r["event_type"] == "bombing" and r["location_name"] == "Shangla" and r["killed"] == 6
    assert r["cameo_root"] and r["acled_type"] == "Explosions/Remote violence"


def test_nominal_hijacking_with_by_agent(extractor):
    r = one(extractor, "On Tuesday, the hijacking of the Jaffar Express by the Baloch Liberation Army shocked Pakistan.")
    assert r["event_type"] == "hijacking" and r["actor_name"] == "Baloch Liberation Army"
    assert "Jaffar Express" in r["target_text"] and r["date"] == dt.date(2025, 3, 11)


def test_passive_agent(extractor):
    r = one(extractor, "A police convoy was attacked by the Tehrik-e-Taliban Pakistan near Bannu on Monday.")
    assert r["event_type"] == "attack" and r["actor_id"] == "tehrik_e_taliban_pakistan"
    assert r["location_name"] == "Bannu" and r["date"] == dt.date(2025, 3, 10)


def test_responsibility_claim_gives_the_actor(extractor):
    rows = events(extractor, "Gunmen stormed a hotel in Gwadar on Saturday, killing at least one guard. "
                             "The BLA claimed responsibility for the attack.")
    assert rows[0]["event_type"] == "attack" and rows[0]["actor_name"] == "Baloch Liberation Army"
    assert rows[0]["killed"] == 1 and rows[0]["location_name"] == "Gwadar"


@pytest.mark.parametrize("text,etype", [
    ("Four gunmen attacked the Pakistan Stock Exchange building in Karachi on Monday.", "attack"),
    ("In 2021, a suicide bombing in Dasu killed 13, including nine Chinese engineers.", "bombing"),
    ("Militants hijacked a passenger train in Bolan on Tuesday.", "hijacking"),
    ("Gunmen abducted two engineers in Kalat on Sunday.", "kidnapping"),
    ("In June, they were also behind the assassination of a JUI-F official in the village of Inayat Killi.",
     "killing"),
    ("By Wednesday morning, Pakistani forces had rescued 190 passengers and killed 30 militants.",
     "military_operation"),
    ("PTI chief Imran Khan was arrested in the capital from the court's premises on Tuesday.", "arrest"),
    ("Chinese President Xi Jinping met with Pakistani Prime Minister Shehbaz Sharif in Beijing on Tuesday.",
     "meeting"),
    ("Pakistan and China signed an agreement on joint security in Islamabad on Monday.", "agreement"),
    ("Thousands held a protest in Quetta on Sunday against the killings.", "protest"),
])
def test_each_event_type_from_a_real_sentence(extractor, text, etype):
    assert etype in {r["event_type"] for r in events(extractor, text)}


def test_state_forces_killing_combatants_is_a_military_operation(extractor):
    rows = events(extractor, "Four gunmen attacked the building on Monday but security forces killed them all.")
    assert {r["event_type"] for r in rows} == {"attack", "military_operation"}


def test_casualties_at_least_and_injured(extractor):
    r = one(extractor, "A blast in Quetta on Monday killed at least 11 people and injured 17 others.")
    assert (r["killed"], r["injured"]) == (11, 17)


def test_hostages(extractor):
    r = one(extractor, "The BLA hijacked the train in Bolan on Tuesday and took more than 200 hostages.")
    assert r["event_type"] == "hijacking" and r["hostages"] == 200


def test_negated_and_hypothetical_are_not_in_the_default_view(extractor):
    neg = events(extractor, "The BLA did not attack the convoy in Gwadar on Monday.", modality=None)
    hyp = events(extractor, "The TTP threatened to attack Chinese workers in Karachi next month.", modality=None)
    assert [r["modality"] for r in neg] == ["negated"]
    assert [r["modality"] for r in hyp] == ["hypothetical"]
    could = events(extractor, "Militants could attack the port in Gwadar.", modality=None)
    assert all(r["modality"] == "hypothetical" for r in could) and could


def test_generic_mention_is_not_an_event(extractor):
    assert events(extractor, "Attacks have become less frequent in recent years.") == []
    assert events(extractor, "Pakistan faces a series of attacks on Chinese nationals.") == []


def test_no_publication_date_leaves_relative_dates_empty(extractor):
    r = one(extractor, "Gunmen attacked a convoy in Gwadar on Tuesday.", published=None)
    assert r["date"] is None and r["date_method"] == "none"
    r = one(extractor, "Gunmen attacked a convoy in Gwadar in March 2024.", published=None)
    assert (r["date"], r["date_precision"], r["date_method"]) == (dt.date(2024, 3, 1), "month", "explicit")


@pytest.mark.parametrize("text,date,precision,method", [
    ("Tuesday", dt.date(2025, 3, 11), "day", "relative"),        # weekday before publication
    ("on Wednesday", dt.date(2025, 3, 12), "day", "relative"),   # same weekday as publication
    ("last Wednesday", dt.date(2025, 3, 5), "day", "relative"),
    ("March 2024", dt.date(2024, 3, 1), "month", "explicit"),
    ("in 2021", dt.date(2021, 1, 1), "year", "explicit"),
    ("January 19, 2026", dt.date(2026, 1, 19), "day", "explicit"),
    ("last month", dt.date(2025, 2, 1), "month", "relative"),
    ("yesterday", dt.date(2025, 3, 11), "day", "relative"),
    ("last night", dt.date(2025, 3, 11), "day", "relative"),     # the night before the morning paper
    ("decades", None, None, "none"),
])
def test_date_rules(text, date, precision, method, date_rules):
    got = normalise(text, PUB, date_rules)
    assert (got.date, got.precision, got.method) == (date, precision, method)


def test_dates_without_publication_date(date_rules):
    assert normalise("Tuesday", None, date_rules).method == "none"
    assert normalise("last month", None, date_rules).date is None
    assert normalise("October 2024", None, date_rules).date == dt.date(2024, 10, 1)


def test_here_is_the_dateline_city(extractor):
    r = one(extractor, "BEIJING, Sept 2 (Xinhua) -- Chinese President Xi Jinping met Pakistani Prime Minister "
                       "Shehbaz Sharif here on Tuesday.")
    assert r["event_type"] == "meeting" and r["location_name"] == "Beijing"
    assert r["actor_name"] == "Xi Jinping"


def test_most_specific_place_wins(extractor):
    r = one(extractor, "Gunmen attacked a bus in Pakistan's Balochistan province on Monday.")
    assert r["location_name"] == "Balochistan"
    r = one(extractor, "Gunmen attacked a bus in Turbat in Pakistan's Balochistan province on Monday.")
    assert r["location_name"] == "Turbat"


def test_agency_dateline_is_not_the_actor(extractor):
    r = one(extractor, "PESHAWAR, Pakistan (Reuters) - Militants attacked a checkpoint in North Waziristan on Monday, "
                       "killing seven soldiers and wounding four others.")
    assert r["actor_name"] is None and (r["killed"], r["injured"]) == (7, 4)
    assert r["location_name"] == "North Waziristan"


def test_arrest_carries_no_casualties_of_another_happening(extractor):
    rows = events(extractor, "Police in Quetta arrested two suspects on Sunday in connection with a bombing "
                             "last week that killed five people at a market.")
    arrest = next(r for r in rows if r["event_type"] == "arrest")
    assert arrest["killed"] is None
    bombing = next(r for r in rows if r["event_type"] == "bombing")
    assert bombing["killed"] == 5 and bombing["date_precision"] == "month"


def test_shifted_dates_count_from_the_last_date_given(extractor):
    rows = events(extractor, "In April 2022, a suicide bomber killed three Chinese teachers in Karachi. "
                             "A year earlier, five people were killed in an attack on a hotel in Quetta.")
    assert [(r["date"], r["date_precision"]) for r in rows] == [
        (dt.date(2022, 4, 1), "month"), (dt.date(2021, 1, 1), "year")]


def test_later_mention_dates_the_happening(extractor):
    rows = events(extractor, "August 1: ISKP has claimed the suicide attack at a convention in Khar. "
                             "A suicide bomber carried out the attack on Sunday.", published=dt.date(2023, 8, 1))
    assert len(rows) == 1 and rows[0]["date"] == dt.date(2023, 7, 30)


@pytest.mark.parametrize("text,date,precision", [
    ("a year earlier", dt.date(2024, 1, 1), "year"),
    ("two months later", dt.date(2025, 5, 1), "month"),
    ("three days earlier", dt.date(2025, 3, 9), "day"),
])
def test_shift_rules(text, date, precision, date_rules):
    from pipeline.dates import DateValue, date_value, shift
    got = shift(date_value(text, None, date_rules), DateValue(dt.date(2025, 3, 12), "day", "explicit"))
    assert (got.date, got.precision) == (date, precision)


def test_counted_protesters_are_a_protest(extractor):
    r = one(extractor, "Hundreds of protesters gathered outside the Karachi Press Club on Friday.")
    assert r["event_type"] == "protest" and r["date"] == dt.date(2025, 3, 7)


def test_raid_by_state_forces_is_a_military_operation(extractor):
    rows = events(extractor, "The engineer was released on Saturday after a raid by the Counter Terrorism "
                             "Department in Thatta.")
    assert [(r["event_type"], r["actor_name"]) for r in rows] == [
        ("military_operation", "Counter Terrorism Department")]


def test_habitual_violence_is_not_one_happening(extractor):
    assert events(extractor, "The Balochistan Liberation Army has repeatedly attacked Chinese workers.") == []


def test_killed_and_injured_when_a_bomb_exploded_is_one_bombing(extractor):
    r = one(extractor, "At least four people were killed and 12 injured when a roadside bomb exploded near a "
                       "police van in Quetta on Wednesday morning.")
    assert (r["event_type"], r["killed"], r["injured"], r["location_name"]) == ("bombing", 4, 12, "Quetta")
    assert r["date"] == dt.date(2025, 3, 12)


def test_killed_in_a_drone_strike_is_the_operation(extractor):
    r = one(extractor, "A senior TTP commander was killed in a drone strike in Khost on Tuesday night.")
    assert r["event_type"] == "military_operation" and "TTP commander" in r["target_text"]


def test_held_talks_is_a_meeting(extractor):
    r = one(extractor, "Foreign Minister Ishaq Dar held talks with Wang Yi in Beijing on February 18.")
    assert (r["event_type"], r["actor_name"], r["location_name"]) == ("meeting", "Ishaq Dar", "Beijing")
    assert r["date"] == dt.date(2025, 2, 18)


def test_attackers_killed_by_forces_count_for_the_operation(extractor):
    rows = events(extractor, "Security forces killed three of the attackers in the ensuing gunfight in Bannu on Monday.")
    op = next(r for r in rows if r["event_type"] == "military_operation")
    assert op["killed"] == 3


def test_rumoured_and_reported_happenings_are_hedged(extractor):
    rows = events(extractor, "Rumours on social media claimed that multiple targets were attacked in Mach on Monday.",
                  modality=None)
    assert [r["modality"] for r in rows] == ["hedged"]
    rows = events(extractor, "Fifty hostages were reportedly executed in Bolan on Wednesday.", modality=None)
    assert rows and all(r["modality"] == "hedged" for r in rows)


def test_hostage_taking_is_a_kidnapping(extractor):
    r = one(extractor, "Gunmen held 12 passengers hostage in Kalat on Sunday.")
    assert r["event_type"] == "kidnapping"
