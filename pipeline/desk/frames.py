"""The tables as pandas DataFrames for notebooks, and the one happenings view every desk tool reads.

``load(out)`` gives each table with proper dtypes: dates as ``datetime64``, times as UTC timestamps, counts as
nullable integers, text as pandas strings and the vocabularies (event types, modalities, precisions, entity
types...) as categoricals.

``happenings_frame(tables)`` is the one place the report, the SQL ``happenings`` view and the ACLED export get
their happenings from. It reads the ``happenings`` table when the store has one; otherwise it derives one
happening per reported events row (``modality`` asserted or hedged; negated and hypothetical mentions are not
happenings), with the same column names, so that the tools work the same before and after happenings are
clustered. Geocoding columns of ``events`` (``country``, ``country_code``, ``admin1``, ``latitude``,
``longitude``, ``geo_precision``) are read when present and are empty otherwise.
"""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..errors import Errors, PipelineError
from ..schemas import ALL_TABLES, CLAIM_MODALITIES, ENTITY_TYPES, EVENT_TYPES
from ..store import Store

log = logging.getLogger(__name__)

PRECISIONS = ("day", "month", "year")
# table.column -> declared categories (values seen outside them are added, never lost)
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "documents.published_source": ("metadata", "dateline", "none"),
    "mentions.entity_type": (*ENTITY_TYPES, "nationality"),
    "mentions.link_method": ("alias", "acronym", "short_form", "fuzzy", "new"),
    "entities.entity_type": (*ENTITY_TYPES, "nationality"),
    "events.event_type": EVENT_TYPES,
    "events.modality": ("asserted", "negated", "hypothetical", "hedged"),
    "events.date_precision": PRECISIONS,
    "events.date_method": ("explicit", "relative", "report", "story", "publication", "none"),
    "claims.modality": CLAIM_MODALITIES,
    "claims.date_precision": PRECISIONS,
    "claims.date_method": ("explicit", "relative", "publication", "none"),
    "happenings.event_type": EVENT_TYPES,
    "happenings.date_precision": PRECISIONS,
}

# The columns of a happening, whichever way it was made (table or fallback).
HAPPENING_COLUMNS = (
    "happening_id", "event_type", "date", "date_precision", "country", "country_code", "admin1", "location",
    "latitude", "longitude", "geo_precision", "actor_name", "target_name", "killed_min", "killed_max",
    "injured_min", "injured_max", "n_reports", "n_sources", "sources", "disagreements",
)
# The columns of a report: one events row of a happening with its article's metadata and evidence.
REPORT_COLUMNS = (
    "happening_id", "event_id", "doc_id", "title", "source", "published", "url", "sent_idx", "start_char",
    "end_char", "evidence", "sentence", "trigger", "event_type", "actor_name", "target_text", "location_name",
    "date", "killed", "injured", "modality",
)
REPORTED = ("asserted", "hedged")
# other spellings a happenings table may use for our columns
COLUMN_ALIASES = {"lat": "latitude", "lon": "longitude", "lng": "longitude", "country_name": "country",
                  "iso3": "country_code", "killed_low": "killed_min", "killed_high": "killed_max",
                  "actor": "actor_name", "target": "target_name", "location_name": "location"}
OUTLINES = Path(__file__).resolve().parent / "data" / "ne_110m_countries.geojson"
GEO_COLUMNS = ("country", "country_code", "admin1", "latitude", "longitude", "geo_precision")


def has_tables(out: str | Path) -> bool:
    return Store(out).current is not None


def _check(out: str | Path) -> Store:
    store = Store(out)
    if store.current is None:
        raise PipelineError(Errors.E601.format(out=out))
    return store


def _frame(table: str, data: pa.Table) -> pd.DataFrame:
    df = data.to_pandas(types_mapper={pa.string(): pd.StringDtype(), pa.int32(): pd.Int32Dtype(),
                                      pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}.get)
    for f in data.schema:
        if pa.types.is_date(f.type):
            df[f.name] = pd.to_datetime(df[f.name])
    for key, cats in VOCABULARIES.items():
        t, col = key.split(".")
        if t == table and col in df:
            seen = [v for v in df[col].dropna().unique() if v not in cats]
            df[col] = pd.Categorical(df[col].astype(object).where(df[col].notna(), None),
                                     categories=[*cats, *sorted(seen)])
    return df


def load(out: str | Path, tables: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The tables of an output folder as DataFrames with proper dtypes, by table name."""
    store = _check(out)
    names = tables or list(ALL_TABLES)
    return {name: _frame(name, store.read(name)) for name in names}


# -- happenings ----------------------------------------------------------------

def _col(df: pd.DataFrame, name: str, default=None) -> pd.Series:
    return df[name] if name in df else pd.Series([default] * len(df), index=df.index, dtype=object)


def happening_links(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """(happening_id, event_id) pairs: from ``events.happening_id``, or a ``happenings.event_ids`` list, or one
    happening per reported events row (the fallback, happening_id = event_id)."""
    events = tables["events"]
    hap = tables.get("happenings")
    if hap is not None and "event_ids" in hap:
        links = hap[["happening_id", "event_ids"]].explode("event_ids").rename(columns={"event_ids": "event_id"})
        links = links.dropna()
    elif hap is not None and "happening_id" in events and events["happening_id"].notna().any():
        links = events[["happening_id", "event_id"]].dropna()
    else:
        ev = events[events["modality"].astype(object).isin(REPORTED)]
        links = pd.DataFrame({"happening_id": ev["event_id"], "event_id": ev["event_id"]})
    return links.astype({"happening_id": object, "event_id": object}).reset_index(drop=True)


def happenings_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per happening with :data:`HAPPENING_COLUMNS` (see the module doc for the fallback)."""
    hap = tables.get("happenings")
    if hap is not None:
        out = hap.rename(columns={k: v for k, v in COLUMN_ALIASES.items() if k in hap and v not in hap})
        if "sources" not in out:
            out["sources"] = out["happening_id"].map(_sources_by_happening(tables))
        for c in HAPPENING_COLUMNS:
            if c not in out:
                out[c] = None
        return _country_names(out[list(HAPPENING_COLUMNS)]).reset_index(drop=True)
    events, docs = tables["events"], tables["documents"]
    ev = events[events["modality"].astype(object).isin(REPORTED)]
    names = dict(zip(tables["entities"]["entity_id"], tables["entities"]["canonical_name"])) \
        if "entities" in tables else {}
    sources = ev["doc_id"].map(dict(zip(docs["doc_id"], docs["source"].astype(object))))
    target = ev["target_id"].astype(object).map(names)
    out = pd.DataFrame({
        "happening_id": ev["event_id"].astype(object),
        "event_type": ev["event_type"],
        "date": ev["date"],
        "date_precision": ev["date_precision"],
        **{c: _col(ev, c) for c in GEO_COLUMNS},
        "location": ev["location_name"].astype(object),
        "actor_name": ev["actor_name"].astype(object),
        "target_name": target.where(target.notna(), ev["target_text"].astype(object)),
        "killed_min": ev["killed"], "killed_max": ev["killed"],
        "injured_min": ev["injured"], "injured_max": ev["injured"],
        "n_reports": 1, "n_sources": 1,
        "sources": sources,
        "disagreements": None,
    })
    for c in ("latitude", "longitude"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
    return _country_names(out[list(HAPPENING_COLUMNS)]).reset_index(drop=True)


def _sources_by_happening(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """happening_id -> its outlets joined by "; " (documents.source of its reports)."""
    links = happening_links(tables).merge(tables["events"][["event_id", "doc_id"]], on="event_id", how="left")
    docs = tables["documents"]
    links["source"] = links["doc_id"].map(dict(zip(docs["doc_id"], docs["source"].astype(object))))
    return {h: "; ".join(sorted({s for s in g["source"] if isinstance(s, str)}))
            for h, g in links.groupby("happening_id")}


def iso3(code) -> str | None:
    """A country code as ISO 3166-1 alpha-3 (the outlines' key): alpha-2 codes (the tables') are converted."""
    if not isinstance(code, str):
        return None
    if len(code) == 2:
        import pycountry
        country = pycountry.countries.get(alpha_2=code.upper())
        return country.alpha_3 if country else None
    return code.upper()


def _country_names(haps: pd.DataFrame) -> pd.DataFrame:
    """Fill an empty ``country`` from ``country_code`` (alpha-2 or alpha-3; Natural Earth's names)."""
    haps = haps.assign(country_code=haps["country_code"].map(iso3) if len(haps) else haps["country_code"])
    codes = haps["country_code"]
    if codes.notna().any() and haps["country"].isna().any():
        names = country_names()
        named = codes.astype(object).map(lambda c: names.get(str(c).upper()) if isinstance(c, str) else None)
        haps = haps.assign(country=haps["country"].astype(object).where(haps["country"].notna(), named))
    return haps


@functools.cache
def country_names() -> dict[str, str]:
    """ISO 3166 alpha-3 code -> country name, from the Natural Earth outlines shipped in pipeline/desk/data/."""
    feats = json.loads(OUTLINES.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["iso_a3"]: f["properties"]["name"] for f in feats
            if f["properties"].get("iso_a3") not in (None, "-99")}


def reports_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per report of a happening (:data:`REPORT_COLUMNS`): its events row, the article's title,
    outlet, date and link, the evidence clause and the sentence around it."""
    links = happening_links(tables)
    ev = tables["events"].drop(columns=[c for c in ("happening_id",) if c in tables["events"]])
    docs = tables["documents"][["doc_id", "title", "source", "published", "url", "text"]]
    sents = tables["sentences"][["doc_id", "sent_idx", "text"]].rename(columns={"text": "sentence"})
    rep = links.merge(ev, on="event_id", how="inner").merge(docs, on="doc_id", how="left")
    rep = rep.merge(sents, on=["doc_id", "sent_idx"], how="left")
    rep["evidence"] = [t[s:e] if isinstance(t, str) else None
                       for t, s, e in zip(rep["text"], rep["start_char"], rep["end_char"])]
    return rep[list(REPORT_COLUMNS)].reset_index(drop=True)


def desk_tables(out: str | Path) -> dict[str, pd.DataFrame]:
    """The tables the desk tools read (``happenings`` only when the store has that table)."""
    names = [n for n in ("documents", "sentences", "entities", "events", "claims", "rejects", "happenings")
             if n in ALL_TABLES]
    return load(out, names)
