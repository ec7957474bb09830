"""The analyst's desk: load, SQL, the ACLED export, datapackage.json and the report (without a browser)."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import pandas as pd
import pytest
import yaml

import pipeline
from pipeline.errors import PipelineError
from pipeline.desk.export import ACLED_COLUMNS, ACLED_EMPTY, load_acled_rules
from pipeline.desk.frames import HAPPENING_COLUMNS, REPORT_COLUMNS, desk_tables, happenings_frame, reports_frame
from pipeline.desk.report import build_report
from pipeline.schemas import ALL_TABLES, EVENT_TYPES, FOREIGN_KEYS, PRIMARY_KEYS

from .conftest import ROOT


def cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


# -- load ----------------------------------------------------------------------

def test_load_gives_proper_dtypes(seed_outputs):
    t = pipeline.load(seed_outputs)
    assert set(t) == set(ALL_TABLES)
    ev, docs, cl = t["events"], t["documents"], t["claims"]
    assert str(ev["date"].dtype).startswith("datetime64") and str(docs["published"].dtype).startswith("datetime64")
    assert str(docs["processed_at"].dtype).startswith("datetime64") and "UTC" in str(docs["processed_at"].dtype)
    assert isinstance(ev["event_type"].dtype, pd.CategoricalDtype)
    assert list(ev["event_type"].cat.categories[:len(EVENT_TYPES)]) == list(EVENT_TYPES)
    assert isinstance(cl["modality"].dtype, pd.CategoricalDtype) and isinstance(ev["modality"].dtype, pd.CategoricalDtype)
    assert str(ev["killed"].dtype) == "Int32" and str(ev["actor_name"].dtype) == "string"
    assert len(ev) == len(pd.read_parquet(seed_outputs / "events"))   # nothing lost on the way
    assert ev["event_type"].notna().all()


def test_load_refuses_a_folder_without_tables(tmp_path):
    with pytest.raises(PipelineError, match=r"\[E601\]"):
        pipeline.load(tmp_path)


def fallback_tables(seed_outputs):
    """The seed tables as they were before happenings were resolved: no happenings table, no happening_id."""
    t = desk_tables(seed_outputs)
    t.pop("happenings", None)
    t["events"] = t["events"].drop(columns=["happening_id"])
    return t


def test_resolved_happenings_are_read_with_their_sources(seed_outputs):
    t = desk_tables(seed_outputs)
    haps = happenings_frame(t)
    assert tuple(haps.columns) == HAPPENING_COLUMNS
    assert sorted(haps["happening_id"]) == sorted(pd.read_parquet(seed_outputs / "happenings").happening_id)
    assert haps["sources"].notna().all() and (haps["country_code"].dropna().str.len() == 3).all()


def test_fallback_happenings_one_per_reported_event(seed_outputs):
    t = fallback_tables(seed_outputs)
    haps, reps = happenings_frame(t), reports_frame(t)
    assert tuple(haps.columns) == HAPPENING_COLUMNS and tuple(reps.columns) == REPORT_COLUMNS
    reported = t["events"][t["events"]["modality"].isin(["asserted", "hedged"])]
    assert sorted(haps["happening_id"]) == sorted(reported["event_id"])
    assert (haps["n_reports"] == 1).all()
    first = reps.iloc[0]
    assert first["evidence"] in first["sentence"]


def test_a_happenings_table_is_read_when_present(seed_outputs):
    t = desk_tables(seed_outputs)
    ev = t["events"][t["events"]["modality"] == "asserted"]
    a, b = ev["event_id"].iloc[0], ev["event_id"].iloc[1]
    t["happenings"] = pd.DataFrame({"happening_id": ["h1"], "event_type": ["attack"], "event_ids": [[a, b]],
                                    "lat": [25.1], "lon": [62.3], "country_code": ["PAK"], "n_reports": [2]})
    haps, reps = happenings_frame(t), reports_frame(t)
    assert list(haps["happening_id"]) == ["h1"] and set(HAPPENING_COLUMNS) <= set(haps.columns)
    assert haps.loc[0, "latitude"] == 25.1 and haps.loc[0, "country"] == "Pakistan"
    assert sorted(reps["event_id"]) == sorted([a, b])


# -- SQL -----------------------------------------------------------------------

def test_connect_has_a_view_per_table(seed_outputs):
    con = pipeline.connect(seed_outputs)
    for table in ALL_TABLES:
        n = con.execute(f"select count(*) from {table}").fetchone()[0]
        assert n == len(pd.read_parquet(seed_outputs / table))
    assert con.execute("select count(*) from happenings").fetchone()[0] > 0
    assert con.execute("select data_type from information_schema.columns where table_name='happenings' "
                       "and column_name='date'").fetchone()[0] == "DATE"


README_QUERIES = [
    "select event_type, strftime(date, '%Y-%m') as month, count(*) as n from events "
    "where modality = 'asserted' group by all order by month, event_type",
    "select actor_name, count(*) as n from events where target_text ilike '%Chinese%' and actor_name is not null "
    "group by actor_name order by n desc",
    "select c.speaker_name, c.content, d.title from claims c join documents d using (doc_id) "
    "where c.modality = 'denied' and c.speaker_name = 'Imran Khan'",
]


@pytest.mark.parametrize("sql", README_QUERIES)
def test_readme_queries_run(seed_outputs, sql):
    out = pipeline.query(seed_outputs, sql, "json")
    assert isinstance(json.loads(out), list)


def test_sql_command_formats_and_errors(seed_outputs):
    r = cli("sql", "--out", seed_outputs, "--format", "csv", "select doc_id, published from documents order by doc_id")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert len(rows) == 3 and "2025-03-12" in {row["published"] for row in rows}
    r = cli("sql", "--out", seed_outputs, "select event_type, count(*) n from events group by 1 order by 2 desc")
    assert r.returncode == 0 and "event_type" in r.stdout.splitlines()[0]
    r = cli("sql", "--out", seed_outputs, "select nope from events")
    assert r.returncode == 2 and "[E602]" in r.stderr and len(r.stderr.strip().splitlines()) == 1


# -- ACLED export ----------------------------------------------------------------

def test_acled_export(seed_outputs, tmp_path):
    to = tmp_path / "acled.csv"
    r = cli("export", "--out", seed_outputs, "--format", "acled", "--to", to)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(to.open(encoding="utf-8")))
    assert tuple(rows[0]) == ACLED_COLUMNS
    haps = happenings_frame(desk_tables(seed_outputs))
    assert len(rows) == len(haps)
    for row in rows:
        assert all(row[c] == "" for c in ACLED_EMPTY)
        assert row["event_type"] and row["sub_event_type"] and row["disorder_type"]
        assert row["fatalities"].isdigit() and row["notes"]
        if row["event_date"]:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d", row["event_date"]) and row["time_precision"] in "123"
    by_id = {r["event_id_cnty"]: r for r in rows}
    killed = haps.dropna(subset=["killed_min"]).iloc[0]
    assert by_id[killed["happening_id"]]["fatalities"] == str(int(killed["killed_min"]))
    assert any(r["source"] == "EuropaWire" for r in rows)


def test_acled_fatalities_are_the_lowest_figure(seed_outputs):
    from pipeline.desk.export import acled_rows

    t = desk_tables(seed_outputs)
    ev = t["events"][t["events"]["killed"].notna()]
    ids = list(ev["event_id"].iloc[:2])
    t["happenings"] = pd.DataFrame({"happening_id": ["h1"], "event_type": ["attack"], "event_ids": [ids]})
    (row,) = acled_rows(t, load_acled_rules())
    assert row["fatalities"] == int(ev["killed"].iloc[:2].min())


def _rules(tmp_path, mutate, file="acled.yaml"):
    """A copy of the rule files with one of them (``file``) changed by ``mutate``; returns both paths."""
    paths = {}
    for name in ("acled.yaml", "event_types.yaml"):
        data = yaml.safe_load((ROOT / "configs" / name).read_text())
        if name == file:
            mutate(data)
        paths[name] = tmp_path / name
        paths[name].write_text(yaml.safe_dump(data))
    return paths["acled.yaml"], paths["event_types.yaml"]


@pytest.mark.parametrize("file, mutate, message", [
    ("event_types.yaml", lambda d: d["types"]["attack"].update(acled_type="Violence"), "types.attack.acled_type"),
    ("event_types.yaml", lambda d: d["types"]["attack"].update(acled_sub_event_type="Armed clash"),
     "types.attack.acled_sub_event_type"),
    ("event_types.yaml", lambda d: d["types"]["arrest"].update(acled_disorder_type="Political violence"),
     "types.arrest.acled_type"),
    ("acled.yaml", lambda d: d["source_scale"].update(Dawn="Huge"), "source_scale.Dawn"),
    ("acled.yaml", lambda d: d.update(colour="red"), "colour: unknown key"),
    ("acled.yaml", lambda d: d.update(types={}), "types: unknown key"),
])
def test_acled_rules_are_checked_strictly(tmp_path, file, mutate, message):
    with pytest.raises(PipelineError, match=r"\[E603\]") as e:
        load_acled_rules(*_rules(tmp_path, mutate, file))
    assert message in str(e.value)


def test_acled_types_are_stated_once_in_the_taxonomy(tmp_path):
    # a type missing its ACLED names fails as every taxonomy key does, naming the key
    with pytest.raises(PipelineError, match="acled_sub_event_type"):
        load_acled_rules(*_rules(tmp_path, lambda d: d["types"]["protest"].pop("acled_sub_event_type"),
                                 "event_types.yaml"))
    rules = load_acled_rules()
    assert rules["types"]["bombing"] == {"disorder_type": "Political violence",
                                         "event_type": "Explosions/Remote violence",
                                         "sub_event_type": "Remote explosive/landmine/IED"}


# -- datapackage.json --------------------------------------------------------------

def test_datapackage_describes_the_tables(seed_outputs):
    pkg = json.loads((seed_outputs / "datapackage.json").read_text())
    res = {r["name"]: r for r in pkg["resources"]}
    assert set(res) == set(ALL_TABLES)
    for name, schema in ALL_TABLES.items():
        fields = res[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == schema.names
        assert all(f["description"] and f["type"] != "any" for f in fields)
        assert res[name]["format"] == "parquet"
        paths = [res[name]["path"]] if isinstance(res[name]["path"], str) else res[name]["path"]
        for path in paths:                      # the paths resolve from the output folder
            assert (seed_outputs / path).is_file()
        got = pd.concat([pd.read_parquet(seed_outputs / p) for p in paths]) if paths else None
        assert got is not None and len(got) == len(pd.read_parquet(seed_outputs / name))
    ev = {f["name"]: f["type"] for f in res["events"]["schema"]["fields"]}
    assert ev["date"] == "date" and ev["killed"] == "integer" and ev["confidence"] == "number"
    assert res["events"]["schema"]["primaryKey"] == ["event_id"]
    assert {"fields": ["doc_id", "sent_idx"], "reference": {"resource": "sentences", "fields": ["doc_id", "sent_idx"]}} \
        in res["events"]["schema"]["foreignKeys"]


def test_the_declared_keys_hold_on_the_seed_outputs(seed_outputs):
    t = {name: pd.read_parquet(seed_outputs / name) for name in ALL_TABLES}
    for name, key in PRIMARY_KEYS.items():
        assert not t[name].duplicated(key).any(), name
    for name, fks in FOREIGN_KEYS.items():
        for cols, ref, ref_cols in fks:
            have = set(map(tuple, t[name][cols].dropna().to_numpy().tolist()))
            assert have <= set(map(tuple, t[ref][ref_cols].to_numpy().tolist())), (name, cols)


# -- report (the browser test renders it: tests/test_report_browser.py) ----------------

def test_report_is_self_contained_and_escapes(seed_outputs, tmp_path):
    r = cli("report", "--out", seed_outputs, "--html", tmp_path / "r.html")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)   # nothing loaded from the network
    assert "Content-Security-Policy" in page and "<svg" in page
    assert len(re.findall(r"<script", page)) == 2     # the data block and the one script


def test_report_draws_geocoded_happenings_and_escapes_names(seed_outputs):
    t = fallback_tables(seed_outputs)
    ev = t["events"].copy()
    ev["latitude"], ev["longitude"], ev["country_code"] = 30.2, 67.0, "PAK"
    ev.loc[ev.index[0], "actor_name"] = "<script>alert(1)</script>"
    t["events"] = ev
    page = build_report(t)
    n = len(happenings_frame(t))
    assert page.count("<circle") == n
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert 'class="country hit"' in page



def test_report_and_export_of_tables_without_events(seed_outputs):
    from pipeline.desk.export import acled_rows

    empty = {name: df.iloc[0:0] for name, df in desk_tables(seed_outputs).items()}
    page = build_report(empty)
    assert "No dated happenings" in page and 'id="map"' in page
    assert acled_rows(empty, load_acled_rules()) == []


@pytest.mark.parametrize("args", [("report",), ("sql", "select 1"), ("export", "--to", "x.csv")])
def test_desk_commands_need_tables(tmp_path, args):
    r = cli(*args[:1], "--out", tmp_path / "none", *args[1:])
    assert r.returncode == 2 and "[E601]" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (ROOT / "x.csv").exists()


def test_acled_export_of_resolved_happenings_carries_their_geography(seed_outputs):
    from pipeline.desk.export import acled_rows

    rows = acled_rows(desk_tables(seed_outputs), load_acled_rules())
    located = [r for r in rows if r["latitude"] is not None]
    assert located and all(r["geo_precision"] in (1, 2, 3) and r["country"] for r in located)
