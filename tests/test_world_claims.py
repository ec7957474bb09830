"""Claim rules for news of any conflict (issue 11 items 5 and 6): one behaviour each, on real sentences of the
world set and on sentences written for the test, through the session's trained pipeline."""

from __future__ import annotations

import datetime as dt

from .conftest import stage_rows

PUB = dt.date(2023, 12, 3)


def claims(extractor, text):
    return stage_rows(extractor, "claims", text, PUB)


def by_cue(extractor, text, cue):
    rows = [r for r in claims(extractor, text) if r["cue"] == cue]
    assert rows, claims(extractor, text)
    return rows[0]


# -- cues -----------------------------------------------------------------------------------------------

def test_call_for_is_a_cue_and_a_statement_participle_speaks_for_who_issued_it(extractor):
    # world (w1_04): "issued a brief statement calling for dialogue"
    r = by_cue(extractor, "Earlier on Tuesday, Prime Minister Boubou Cisse issued a brief statement calling for "
                          "dialogue.", "call for")
    assert r["speaker_name"] == "Boubou Cisse" and r["modality"] == "reported"


def test_remind_is_a_reporting_verb(extractor):
    r = by_cue(extractor, "The minister reminded the rebels that the ceasefire forbids any attack.", "remind")
    assert r["modality"] == "reported"


def test_an_agentless_passive_of_a_reporting_verb_is_hedged(extractor):
    r = by_cue(extractor, "The commander is said to have fled across the border with his men.", "say")
    assert r["modality"] == "hedged" and r["speaker_name"] is None


def test_a_negated_verification_is_unverified_not_denied(extractor):
    rows = claims(extractor, "The toll could not be independently confirmed by the agency, officials said.")
    assert any(r["modality"] == "hedged" for r in rows)
    assert not any(r["modality"] == "denied" for r in rows)


def test_rejecting_an_act_condemns_it(extractor):
    # world (w1_05): "The Economic Community of West African States also rejected the coup via a statement."
    r = by_cue(extractor, "The Economic Community of West African States also rejected the coup via a statement.",
               "reject")
    assert r["modality"] == "reported"


def test_rejecting_a_claim_denies_it(extractor):
    r = by_cue(extractor, "The army rejected the claims of the rebels on Wednesday.", "reject")
    assert r["modality"] == "denied"


def test_in_no_way_denies(extractor):
    text = "\"This can in no way be a response to the crisis,\" the envoy added."
    assert by_cue(extractor, text, "add")["modality"] == "denied"


def test_not_reached_for_comment_is_the_author_noting_an_absence(extractor):
    # world (w1_04)
    rows = claims(extractor, "A spokesman for Keita could not be reached for comment.")
    assert any(r["modality"] == "denied" and r["speaker_name"] is None for r in rows)


def test_declined_to_comment_is_the_author_noting_an_absence(extractor):
    rows = claims(extractor, "The ministry declined to comment on the raid in the capital.")
    assert any(r["modality"] == "denied" and r["speaker_name"] is None and r["cue"] == "no comment" for r in rows)


# -- speakers ---------------------------------------------------------------------------------------------

def test_the_named_person_of_a_title_phrase_speaks_not_the_organisation(extractor):
    # world (w3_01)
    r = by_cue(extractor, "AA spokesperson Khaing Thu Kha told AFP that a military jet bombed the village.", "tell")
    assert r["speaker_name"] == "Khaing Thu Kha"


def test_a_person_in_apposition_to_an_office_speaks(extractor):
    # world (w1_05)
    r = by_cue(extractor, "The chairman of the African Union Commission, Moussa Faki Mahamat, condemned the coup "
                          "via Twitter.", "condemn")
    assert r["speaker_name"] == "Moussa Faki Mahamat"


def test_a_statement_from_an_organisation_is_the_organisation_speaking(extractor):
    text = ("Mindanao State University suspended classes. \"Violence has no place in a civilized society,\" "
            "a statement from the university said.")
    assert by_cue(extractor, text, "say")["speaker_name"] == "Mindanao State University"


def test_the_army_of_an_article_about_one_country_is_its_armed_forces(extractor):
    # world (w1_01)
    text = ("Fifteen soldiers were killed Friday in an attack on a post in northeastern Mali, the army said.")
    assert by_cue(extractor, text, "say")["speaker_name"] == "Malian Armed Forces"


def test_the_government_speaks_for_the_country_the_article_is_about(extractor):
    # world (w3_06)
    text = ("Colombia has been at war for decades. Rebels kidnapped the father of a football star in the north "
            "of Colombia, according to the government.")
    assert by_cue(extractor, text, "according to")["speaker_name"] == "Colombia"


def test_coordinated_speakers_are_one_claim_each(extractor):
    # world (w1_04)
    rows = [r for r in claims(extractor, "The United States, France and the Economic Community of West African "
                                         "States (ECOWAS) all condemned the mutiny.") if r["cue"] == "condemn"]
    assert [r["speaker_name"] for r in rows][:1] == ["United States"]
    assert {"France", "Economic Community of West African States"} <= {r["speaker_name"] for r in rows}
    assert len({r["claim_id"] for r in rows}) == len(rows)


def test_a_first_person_speaker_in_a_quote_is_the_quote_s_speaker(extractor):
    text = "\"We demand that the rebels immediately release the hostages,\" Otty Patino said on Saturday."
    assert by_cue(extractor, text, "demand")["speaker_name"] == "Otty Patino"


def test_a_leading_number_is_dropped_from_a_generic_speaker(extractor):
    # world (w1_04)
    r = by_cue(extractor, "The president has been detained by mutinying soldiers in the capital, two security "
                          "sources say.", "say")
    assert r["speaker_name"] == "security sources"


def test_a_verb_of_speaking_accepts_any_noun_subject(extractor):
    # world (w1_06): "militia" is no listed source noun
    r = by_cue(extractor, "The assailants tied up the workers in the village of Koshobe, the militia said.", "say")
    assert r["speaker_name"] == "militia"


def test_adding_that_is_a_claim_of_the_speaker_of_the_reporting_verb_above_it(extractor):
    text = ("Abubakar Yusuf said the attack occurred at about 5pm on Sunday, adding that some were also missing.")
    assert by_cue(extractor, text, "add")["speaker_name"] == "Abubakar Yusuf"


def test_an_agentless_passive_inside_what_another_reports_is_not_the_authors_hedge(extractor):
    rows = claims(extractor, "The minister said that no military installations were damaged, and no casualties "
                             "were reported from among the troops.")
    assert not any(r["modality"] == "hedged" for r in rows)


def test_a_hedge_participle_on_the_main_clause_hedges(extractor):
    # world (w1_06)
    r = by_cue(extractor, "Eight others were missing, presumed to have been kidnapped by the extremists, he said.",
               "say")
    assert r["modality"] == "hedged"


def test_the_report_is_the_document_of_the_last_claim_reported_with_that_word(extractor):
    text = ("The Amaq news agency reported that the group carried out the attack on Saturday. The report claimed "
            "that the group was behind the attack.")
    rows = [r for r in claims(extractor, text) if r["start_char"] >= text.index("The report")]
    assert rows and rows[0]["speaker_name"] == "Amaq News Agency"


def test_the_authors_assertion_of_a_contested_proposition_is_asserted(extractor):
    rows = claims(extractor, "Baloch separatists frequently exaggerate their battlefield successes.")
    assert [(r["modality"], r["speaker_name"], r["cue"]) for r in rows] == [("asserted", None, "exaggerate")]


def test_a_distancing_marker_makes_the_authors_sentence_an_assertion(extractor):
    rows = claims(extractor, "The so-called ironclad friendship between the two countries is beginning to fray.")
    assert any(r["modality"] == "asserted" and r["speaker_name"] is None for r in rows)


def test_a_plain_sentence_of_the_author_is_no_claim(extractor):
    assert claims(extractor, "The two countries signed a trade agreement in the capital on Monday.") == []
