"""Happenings resolved across articles: rules on pairs, blocking, clustering with cannot-link, the table."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipeline.errors import PipelineError
from pipeline.happenings import (Report, candidate_pairs, cannot_link, disagreements, load_happening_rules,
                                 pair_evidence, resolve_happenings)
from pipeline.schemas import EVENT_TYPES

from .conftest import ROOT, world_corpus, write

RULES = load_happening_rules(ROOT / "configs" / "happenings.yaml", EVENT_TYPES)
D = dt.date(2023, 12, 3)


def event(eid, doc, etype="attack", date=D, precision="day", **kw):
    return {"event_id": eid, "doc_id": doc, "event_type": etype, "date": date, "date_precision": precision,
            "modality": "asserted", **kw}


def docs(*ids, sources=None):
    return [{"doc_id": d, "path": f"{d}.md", "source": (sources or {}).get(d, d.upper()), "published": D,
             "country_code": "PH"} for d in ids]


def report(**kw):
    base = dict(event_id="e", doc_id="a", event_type="attack", family="violence", day=D, precision="day",
                country="PH", admin1=None, location_id=None, specific=False, actor_id=None, target=None, killed=None,
                published=D, source="A")
    return Report(**{**base, **kw})


def test_cannot_link_rules():
    assert cannot_link(report(), report(doc_id="a"), RULES) == "same_document"
    assert cannot_link(report(), report(doc_id="b", country="ML"), RULES) == "different_countries"
    assert cannot_link(report(actor_id="islamic_state"), report(doc_id="b", actor_id="national_liberation_army"),
                       RULES) == "different_named_actors"
    # two names no table lists may be one group under two names
    assert cannot_link(report(actor_id="x:is"), report(doc_id="b", actor_id="x:eln"), RULES) is None
    assert cannot_link(report(), report(doc_id="b", day=D + dt.timedelta(days=5)), RULES) == "outside_date_window"
    # a month-precision date has a month's window
    assert cannot_link(report(precision="month"), report(doc_id="b", day=D + dt.timedelta(days=20)), RULES) is None
    assert cannot_link(report(), report(doc_id="b", day=D + dt.timedelta(days=1)), RULES) is None


def test_pair_evidence_is_named_and_weighted():
    got = pair_evidence(report(location_id="geonames:1", killed=3, actor_id="x:is"),
                        report(doc_id="b", location_id="geonames:1", killed=4, actor_id="x:is"), RULES)
    assert "casualties_close" in got and "same_casualties" not in got
    assert set(got) == {"same_type", "same_date", "same_place", "shared_actor", "casualties_close"}
    far = pair_evidence(report(admin1="Lanao del Sur", killed=2, location_id="p1", specific=True),
                        report(doc_id="b", admin1="Cotabato", killed=200, location_id="p2", specific=True), RULES)
    assert set(far) == {"same_type", "same_date", "different_places"} and far["different_places"] < 0


def test_blocking_compares_only_one_family_country_and_date_window():
    items = [report(event_id="1"), report(event_id="2", doc_id="b"),
             report(event_id="3", doc_id="c", family="diplomacy", event_type="meeting"),
             report(event_id="4", doc_id="d", country="ML"),
             report(event_id="5", doc_id="e", day=D + dt.timedelta(days=900)),
             report(event_id="6", doc_id="f", country=None)]
    pairs = {tuple(sorted((items[a].event_id, items[b].event_id))) for a, b in candidate_pairs(items, RULES)}
    assert pairs == {("1", "2"), ("1", "6"), ("2", "6"), ("4", "6")}


def test_reports_of_one_happening_are_one_row_with_their_disagreements():
    events = [event("a1", "a", location_id="geonames:1701053", location_name="Marawi", country_code="PH",
                    admin1="Lanao del Sur", killed=3, injured=9),
              event("b1", "b", etype="bombing", location_id="geonames:1701053", location_name="Marawi",
                    country_code="PH", admin1="Lanao del Sur", killed=4, injured=42),
              event("c1", "c", etype="meeting"),                           # another family: its own happening
              event("b2", "b", modality="negated")]                         # did not happen: no happening
    happenings, links, ids = resolve_happenings(events, docs("a", "b", "c", sources={"a": "Reuters", "b": "AP"}),
                                                RULES)
    assert ids["a1"] == ids["b1"] != ids["c1"] and "b2" not in ids
    (h,) = [h for h in happenings if h["n_reports"] == 2]
    assert (h["killed_min"], h["killed_max"], h["injured_min"], h["injured_max"]) == (3, 4, 9, 42)
    assert h["n_documents"] == 2 and h["n_sources"] == 2 and h["location_name"] == "Marawi"
    assert h["disagreements"] == "killed: 3 (Reuters), 4 (AP); injured: 9 (Reuters), 42 (AP)"
    rules = {link["event_id"]: link["rule"] for link in links}
    assert rules["a1"] == "first report" and "same_place" in rules["b1"]


def test_cannot_link_holds_between_clusters_not_only_pairs():
    # b1 fits both a1 and a2 of one article, but a1 and a2 are distinct happenings: b1 joins one, not both
    events = [event("a1", "a", location_id="p1", country_code="PH"), event("a2", "a", location_id="p1",
                                                                          country_code="PH"),
              event("b1", "b", location_id="p1", country_code="PH")]
    _, _, ids = resolve_happenings(events, docs("a", "b"), RULES)
    assert ids["a1"] != ids["a2"] and ids["b1"] in (ids["a1"], ids["a2"])


def test_happening_ids_are_stable_when_an_unrelated_report_arrives():
    base = [event("a1", "a", location_id="p1", country_code="PH"), event("b1", "b", location_id="p1",
                                                                         country_code="PH")]
    _, _, before = resolve_happenings(base, docs("a", "b"), RULES)
    # an unrelated attack in the same country and week, elsewhere: compared, not joined
    more = base + [event("c1", "c", location_id="p9", country_code="PH", admin1="Sulu",
                         date=D - dt.timedelta(days=1))]
    _, _, after = resolve_happenings(more, docs("a", "b", "c"), RULES)
    assert after["a1"] == before["a1"] == after["b1"] != after["c1"]


def test_disagreements_list_each_value_with_its_sources():
    rows = [{"event_id": "1", "killed": 15}, {"event_id": "2", "killed": 54}, {"event_id": "3", "killed": 15}]
    assert disagreements(rows, {"1": "AP", "2": "Reuters", "3": "AFP"}) == "killed: 15 (AP, AFP), 54 (Reuters)"
    assert disagreements(rows[:1], {"1": "AP"}) is None


@pytest.mark.parametrize("text,reason", [
    ("families: {violence: [attack]}\n", "missing key"),
    ("flamilies: {}\n", "unknown key 'flamilies'"),
])
def test_rule_file_is_checked_strictly(tmp_path, text, reason):
    with pytest.raises(PipelineError, match=reason):
        load_happening_rules(write(tmp_path / "h.yaml", text), EVENT_TYPES)


def test_every_event_type_needs_one_family(tmp_path):
    text = (ROOT / "configs" / "happenings.yaml").read_text().replace("protest: [protest]", "protest: []")
    with pytest.raises(PipelineError, match="no family for protest"):
        load_happening_rules(write(tmp_path / "h.yaml", text), EVENT_TYPES)


def test_three_outlets_on_the_indelimane_attack_are_one_happening(extractor, config, tmp_path):
    from pipeline.run import run

    corpus = world_corpus(tmp_path, ("w1_01.md", "w1_02.md", "w1_03.md"))
    out = tmp_path / "out"
    run(corpus, out, config, extractor=extractor, progress=False)
    happenings = pd.read_parquet(out / "happenings")
    events = pd.read_parquet(out / "events")
    assert events.happening_id.notna().any()
    assert set(events.happening_id.dropna()) == set(happenings.happening_id)
    # the attack whose toll the outlets gave as 15 (first count) and 53 soldiers and a civilian
    (h,) = [h for h in happenings.itertuples() if h.killed_max is not None and h.killed_max >= 50]
    assert h.n_documents == 3 and h.n_sources == 3 and h.event_type == "attack" and h.country_code == "ML"
    assert h.killed_min <= 15 and h.disagreements.startswith("killed: ") and "53" in h.disagreements
    links = pd.read_parquet(out / "happening_links")
    assert set(links.event_id) == set(events.event_id[events.happening_id.notna()])


def test_candidate_pairs_grow_linearly_with_the_events_at_a_given_density():
    import random

    def items(n, days):
        rnd = random.Random(7)
        return [report(event_id=str(i), doc_id=str(i), day=D + dt.timedelta(days=rnd.randrange(days)),
                       country=rnd.choice(["PH", "ML"])) for i in range(n)]
    # twice the events over twice the time: twice the pairs (comparing all pairs of a year would give 4x)
    small, large = (sum(1 for _ in candidate_pairs(items(n, days), RULES)) for n, days in ((2000, 730), (4000, 1460)))
    assert large < 2.3 * small and small < 2000 * 10


def test_type_and_date_alone_do_not_make_one_happening():
    other_place = [event("a1", "a", location_id="p1", country_code="PH", admin1=None),
                   event("b1", "b", location_id="p2", country_code="PH", admin1=None)]
    _, _, ids = resolve_happenings(other_place, docs("a", "b"), RULES)
    assert ids["a1"] != ids["b1"]
    undated = [event("a1", "a", date=None, precision=None), event("b1", "b", date=None, precision=None)]
    _, _, ids = resolve_happenings(undated, docs("a", "b"), RULES)
    assert ids["a1"] != ids["b1"]


def test_every_link_names_a_report_of_its_own_happening_and_a_real_score():
    # A-B and C-D are joined first, then the clusters through A-D: C's link must say how it got there
    place = dict(location_id="p1", country_code="PH")
    events = [event("A", "a", actor_id="x:g", killed=3, **place), event("B", "b", actor_id="x:g", killed=3, **place),
              event("C", "c", **place), event("D", "d", **place)]
    _, links, ids = resolve_happenings(events, docs("a", "b", "c", "d"), RULES)
    assert len(set(ids.values())) == 1
    first = [link for link in links if link["rule"] == "first report"]
    assert len(first) == 1
    for link in links:
        if link["rule"] != "first report":
            assert ids[link["linked_to"]] == link["happening_id"] and link["score"] >= RULES.threshold
            assert link["rule"] != "cluster"


def _indelimane(out):
    h = pd.read_parquet(out / "happenings")
    return h[h.killed_max.fillna(0) >= 50]


def test_happenings_follow_articles_added_and_removed(extractor, config, tmp_path):
    from pipeline.run import run

    out = tmp_path / "out"
    corpus = world_corpus(tmp_path, ["w1_01.md", "w1_03.md"])
    run(corpus, out, config, extractor=extractor, progress=False)
    (before,) = _indelimane(out).itertuples()
    assert before.n_documents == 2
    ids_before = set(pd.read_parquet(out / "happenings").happening_id)
    # an unrelated article: the known happenings keep their ids
    world_corpus(tmp_path, ["w3_07.md"])
    run(corpus, out, config, extractor=extractor, progress=False)
    assert ids_before <= set(pd.read_parquet(out / "happenings").happening_id)
    # a third report of the known happening joins it, under the same id
    world_corpus(tmp_path, ["w1_02.md"])
    run(corpus, out, config, extractor=extractor, progress=False)
    (grown,) = _indelimane(out).itertuples()
    assert grown.happening_id == before.happening_id and grown.n_documents == 3
    # one report removed: the happening stays with the others; all removed: it is gone
    (corpus / "w1_03.md").unlink()
    run(corpus, out, config, extractor=extractor, progress=False)
    assert _indelimane(out).n_documents.tolist() in ([2], [])
    for name in ("w1_01.md", "w1_02.md"):
        (corpus / name).unlink()
    run(corpus, out, config, extractor=extractor, progress=False)
    assert _indelimane(out).empty
    events = pd.read_parquet(out / "events")
    assert set(events.happening_id.dropna()) == set(pd.read_parquet(out / "happenings").happening_id)


def test_a_run_stopped_before_the_corpus_stages_is_completed_by_the_next(extractor, config, tmp_path, monkeypatch):
    import pipeline.run as run_module

    out = tmp_path / "out"
    corpus = world_corpus(tmp_path, ["w1_01.md"])
    run_module.run(corpus, out, config, extractor=extractor, progress=False)
    world_corpus(tmp_path, ["w1_02.md", "w3_07.md"])

    def crash(*a, **kw):
        raise KeyboardInterrupt("killed after the batches were committed")
    monkeypatch.setattr(run_module, "resolve_into", crash)
    with pytest.raises(KeyboardInterrupt):
        run_module.run(corpus, out, config, extractor=extractor, progress=False)
    monkeypatch.undo()
    res = run_module.run(corpus, out, config, extractor=extractor, progress=False)
    assert res.plan.to_process == []                   # nothing to parse again, but the corpus stages run
    events = pd.read_parquet(out / "events")
    reported = events[~events.modality.isin(["negated", "hypothetical"])]
    assert reported.happening_id.notna().all()
    assert set(pd.read_parquet(out / "entities").entity_id) == set(pd.read_parquet(out / "mentions").entity_id)


def test_the_same_toll_is_stronger_evidence_than_a_close_one():
    same = pair_evidence(report(killed=11), report(doc_id="b", killed=11, event_type="military_operation"), RULES)
    close = pair_evidence(report(killed=11), report(doc_id="b", killed=14, event_type="military_operation"), RULES)
    assert "same_casualties" in same and "casualties_close" not in same
    assert set(close) >= {"casualties_close"} and sum(same.values()) > sum(close.values())


def test_a_lasting_happening_looks_further_than_its_dates_precision():
    # a kidnapping dated by its release five days on is still within reach; an attack five days apart is not
    abducted = report(event_type="kidnapping", actor_id="x:g", day=D)
    released = report(doc_id="b", event_type="kidnapping", actor_id="x:g", day=D + dt.timedelta(days=5))
    assert cannot_link(abducted, released, RULES) is None
    assert list(candidate_pairs([abducted, released], RULES)) == [(0, 1)]
    attacks = [abducted._replace(event_type="attack"), released._replace(event_type="attack")]
    assert cannot_link(*attacks, RULES) == "outside_date_window"
    assert list(candidate_pairs(attacks, RULES)) == []


def test_lasting_window_names_only_event_types(tmp_path):
    text = (ROOT / "configs" / "happenings.yaml").read_text().replace("  hijacking: 7\n", "  siege: 7\n")
    with pytest.raises(PipelineError, match="lasting_window_days: 'siege' is no event type"):
        load_happening_rules(write(tmp_path / "h.yaml", text), EVENT_TYPES)


def test_unlisted_prefix_is_that_of_the_linker_and_cluster_checks_match_pairwise():
    import random

    from pipeline.entities import new_id
    from pipeline.happenings import UNLISTED_PREFIX, Cluster, clusters_cannot_link

    assert new_id("anything").startswith(UNLISTED_PREFIX) and new_id("") == UNLISTED_PREFIX
    rnd = random.Random(3)
    for _ in range(300):
        def one(k):
            return report(event_id=str(k), doc_id=rnd.choice("abcd"), day=D + dt.timedelta(days=rnd.randrange(12)),
                          precision=rnd.choice(["day", "day", "month"]), country=rnd.choice(["PH", None]),
                          actor_id=rnd.choice([None, "x:g", "q:1", "q:2"]),
                          event_type=rnd.choice(["attack", "kidnapping"]))
        xs, ys = [one(k) for k in range(rnd.randint(1, 3))], [one(k) for k in range(3, 3 + rnd.randint(1, 3))]
        if any(cannot_link(p, q, RULES) for c in (xs, ys) for p in c for q in c if p is not q):
            continue                                  # a cluster never holds two reports that cannot link
        cx, cy = Cluster(xs[0], RULES), Cluster(ys[0], RULES)
        for r in xs[1:]:
            cx.absorb(Cluster(r, RULES))
        for r in ys[1:]:
            cy.absorb(Cluster(r, RULES))
        pairwise = any(cannot_link(x, y, RULES) for x in xs for y in ys)
        assert clusters_cannot_link(cx, cy, RULES) == pairwise


def test_pairs_left_out_by_blocking_in_different_divisions_change_no_link(monkeypatch):
    # random reports of a dense month: divisions, actors, targets and tolls drawn from small sets, so that many
    # pairs in different divisions share a type, a date, a target and a toll, and some an actor
    import random

    from pipeline import happenings as hp

    rnd = random.Random(11)
    events, documents = [], []
    for i in range(1500):
        doc = f"d{i}"
        documents.append({"doc_id": doc, "path": doc, "source": f"S{i % 4}", "published": D, "country_code": "NG"})
        events.append(event(f"{doc}-e", doc, etype=rnd.choice(["attack", "bombing", "killing"]),
                            date=D + dt.timedelta(days=rnd.randrange(30)), country_code="NG",
                            admin1=rnd.choice([None, "a1", "a2", "a3", "a4"]), location_id=f"p{rnd.randrange(12)}",
                            actor_id=rnd.choice([None, None, "ISWAP", "JAS"]), target_text=rnd.choice([None, "farmers"]),
                            killed=rnd.choice([None, 5, 9]),
                            location_feature=rnd.choice([None, "country", "admin1", "city", "facility"])))
    assert hp.apart_needs_actor(RULES)
    pruned = resolve_happenings(events, documents, RULES)
    pairs = sum(1 for _ in hp.candidate_pairs(hp.reports(events, documents, RULES), RULES))
    monkeypatch.setattr(hp, "apart_needs_actor", lambda rules: False)
    every = resolve_happenings(events, documents, RULES)
    assert sum(1 for _ in hp.candidate_pairs(hp.reports(events, documents, RULES), RULES)) > 1.2 * pairs
    assert pruned[2] == every[2] and pruned[1] == every[1]


def test_blocking_keeps_pairs_in_different_divisions_when_the_weights_let_them_link():
    from dataclasses import replace

    from pipeline.happenings import apart_needs_actor, pair_score

    w = RULES.weights
    best = {"type": w["same_type"], "date": max(w["same_date"], w["next_day"], w["date_inside"]),
            "place": w["different_places"], "target": w["shared_target"],
            "casualties": max(w["same_casualties"], w["casualties_close"])}
    at = pair_score(best)
    assert apart_needs_actor(replace(RULES, threshold=at + 0.001))
    assert not apart_needs_actor(replace(RULES, threshold=at))      # a pair could reach it: compared
    for name in ("same_type", "same_date", "shared_target", "same_casualties"):
        # each term counts: with the threshold at the best score, taking the term away leaves pairs out
        weaker = {**w, name: 0.0, **({"next_day": 0.0, "date_inside": 0.0} if name == "same_date" else {}),
                  **({"casualties_close": 0.0} if name == "same_casualties" else {})}
        assert apart_needs_actor(replace(RULES, threshold=at, weights=weaker)), name
    # scored as pairs are scored (to three decimals): 0.25 + 0.25 - 0.3 + 0.15 + 0.3 is 0.65, not 0.6499...
    odd = {**w, "shared_target": 0.15, "same_casualties": 0.3}
    assert not apart_needs_actor(replace(RULES, threshold=0.65, weights=odd))
    assert not apart_needs_actor(replace(RULES, weights={**w, "different_places": 0.0}))


def test_reports_in_different_divisions_with_one_actor_are_still_joined():
    # type, date, actor and target shared across a provincial border: 0.25 + 0.25 - 0.3 + 0.25 + 0.1 = 0.55
    rows = [event("a1", "a", admin1="a1", location_id="p1", country_code="NG", actor_id="ISWAP", target_text="farmers"),
            event("b1", "b", admin1="a2", location_id="p2", country_code="NG", actor_id="ISWAP", target_text="farmers")]
    _, _, ids = resolve_happenings(rows, docs("a", "b"), RULES)
    assert ids["a1"] == ids["b1"]
    rows[1]["actor_id"] = None
    _, _, ids = resolve_happenings(rows, docs("a", "b"), RULES)
    assert ids["a1"] != ids["b1"]


def test_the_collector_is_paused_only_while_resolving_and_left_as_it_was():
    import gc

    from pipeline.happenings import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValueError):
        with collector_paused():
            raise ValueError("a fault while resolving")
    assert gc.isenabled()


@pytest.mark.parametrize("files, etype, tolls", [
    (("w1_07.md", "w1_08.md"), "attack", (13, 15)),          # the Mafa farmers attack: 15 (Reuters) and 13
    (("w3_03.md", "w3_04.md"), "bombing", (3, 4)),           # the Marawi university bombing: 3, later 4 dead
])
def test_two_outlets_with_different_tolls_are_one_happening_with_the_disagreement(extractor, config, tmp_path,
                                                                                   files, etype, tolls):
    from pipeline.run import run

    corpus = world_corpus(tmp_path, files)
    run(corpus, tmp_path / "out", config, extractor=extractor, progress=False)
    happenings = pd.read_parquet(tmp_path / "out" / "happenings")
    (h,) = [h for h in happenings.itertuples() if h.event_type == etype and h.n_documents == 2]
    assert (h.killed_min, h.killed_max) == tolls and h.n_sources == 2
    low, high = tolls
    assert h.disagreements.startswith(f"killed: {low} (") and f", {high} (" in h.disagreements
