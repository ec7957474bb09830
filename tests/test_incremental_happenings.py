"""Incremental happenings: a run re-resolves only the happenings its added, changed or removed articles touch;
every other happening keeps its stored rows, links and id, and the result is what a full resolution gives."""

from __future__ import annotations


import pyarrow.compute as pc
import pytest

import pipeline.happenings as happenings_module
from pipeline.happenings import DOC_COLUMNS, INPUT_COLUMNS, load_happening_rules, resolve_tables
from pipeline.schemas import EVENT_TYPES
from pipeline.store import Store

from .conftest import ROOT, world_corpus

RULES = load_happening_rules(ROOT / "configs" / "happenings.yaml", EVENT_TYPES)
INDELIMANE = ("w1_01.md", "w1_02.md", "w1_03.md")     # three outlets on one attack
UNRELATED = "w3_07.md"


def _tables(out):
    store = Store(out)
    return {t: store.read(t) for t in ("events", "happenings", "happening_links", "documents")}


def _by_id(table, key="happening_id"):
    return {r[key]: r for r in table.to_pylist()}


def _full(tables):
    """The happenings a full resolution of the stored events gives."""
    return resolve_tables(tables["events"].select(list(INPUT_COLUMNS)), tables["documents"].select(list(DOC_COLUMNS)),
                          RULES)


def _same_as_full(tables):
    happenings, links, ids = _full(tables)
    assert tables["happenings"].equals(happenings)
    assert tables["happening_links"].equals(links)
    assert tables["events"]["happening_id"].combine_chunks().equals(ids)


def _indelimane(tables):
    return [h for h in tables["happenings"].to_pylist() if (h["killed_max"] or 0) >= 50]


@pytest.fixture
def counted(monkeypatch):
    """The number of reports each resolution of a run was given."""
    sizes: list[int] = []
    real = happenings_module.resolve

    def resolve(items, rules):
        sizes.append(len(items))
        return real(items, rules)
    monkeypatch.setattr(happenings_module, "resolve", resolve)
    return sizes


def _run(corpus, out, config, extractor):
    from pipeline.run import run

    run(corpus, out, config, extractor=extractor, progress=False)
    return _tables(out)


def test_an_unrelated_article_leaves_every_stored_happening_as_it_was(extractor, config, tmp_path, counted):
    out = tmp_path / "out"
    corpus = world_corpus(tmp_path, INDELIMANE[:2])
    before = _run(corpus, out, config, extractor)
    world_corpus(tmp_path, [UNRELATED])
    after = _run(corpus, out, config, extractor)
    old, new = _by_id(before["happenings"]), _by_id(after["happenings"])
    assert old.items() <= new.items()                      # the same rows, ids included
    old_links = _by_id(before["happening_links"], "event_id")
    assert old_links.items() <= _by_id(after["happening_links"], "event_id").items()
    ids_before = dict(zip(before["events"]["event_id"].to_pylist(), before["events"]["happening_id"].to_pylist()))
    ids_after = dict(zip(after["events"]["event_id"].to_pylist(), after["events"]["happening_id"].to_pylist()))
    assert all(ids_after[e] == h for e, h in ids_before.items())
    reported = after["happening_links"].num_rows
    assert counted[-1] < reported                        # the second run resolved only the new article's reports
    _same_as_full(after)


def test_a_second_report_joins_its_happening_under_the_same_id(extractor, config, tmp_path):
    out = tmp_path / "out"
    corpus = world_corpus(tmp_path, [INDELIMANE[0], UNRELATED])      # the first report, published 1 November
    known = set(_run(corpus, out, config, extractor)["happenings"]["happening_id"].to_pylist())
    world_corpus(tmp_path, [INDELIMANE[2]])                          # another outlet's, published 3 November
    after = _run(corpus, out, config, extractor)
    (grown,) = _indelimane(after)
    assert grown["happening_id"] in known and grown["n_documents"] == 2
    _same_as_full(after)


def test_removing_reports_keeps_the_happening_until_its_last_report_goes(extractor, config, tmp_path):
    out = tmp_path / "out"
    corpus = world_corpus(tmp_path, [INDELIMANE[0], INDELIMANE[2], UNRELATED])
    both = _run(corpus, out, config, extractor)
    (h,) = _indelimane(both)
    assert h["n_documents"] == 2
    untouched = {k: v for k, v in _by_id(both["happenings"]).items() if k != h["happening_id"]}
    (corpus / INDELIMANE[2]).unlink()                          # one of its two reports removed
    one = _run(corpus, out, config, extractor)
    assert [x["n_documents"] for x in _indelimane(one)] in ([1], [])
    _same_as_full(one)
    (corpus / INDELIMANE[0]).unlink()                          # all its reports removed: it is gone
    none = _run(corpus, out, config, extractor)
    assert not _indelimane(none)
    hids = set(none["happenings"]["happening_id"].to_pylist())
    assert set(pc.drop_null(none["events"]["happening_id"]).to_pylist()) == hids
    assert set(none["happening_links"]["happening_id"].to_pylist()) == hids
    unrelated_doc = {d["doc_id"] for d in none["documents"].to_pylist() if d["path"] == UNRELATED}
    assert unrelated_doc and {k for k in untouched if k in hids}      # the unrelated article's happenings stay
    _same_as_full(none)
