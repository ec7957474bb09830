"""Exports of the happenings in other layouts; today ACLED's (one row per happening, ACLED's column names).

The mapping of our event types to ACLED's disorder type, event type and sub-event type, and the outlets'
source scale, are in ``configs/acled.yaml``, checked strictly on load (E603). Columns we cannot fill are present
and empty (:data:`ACLED_EMPTY`).
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

import pandas as pd
import yaml

from ..errors import Errors, PipelineError
from ..rules import read_taxonomy
from ..schemas import EVENT_TYPES
from .frames import desk_tables, happenings_frame, reports_frame

log = logging.getLogger(__name__)

RULES = Path(__file__).resolve().parents[2] / "configs" / "acled.yaml"
TAXONOMY = Path(__file__).resolve().parents[2] / "configs" / "event_types.yaml"

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)
# Columns always empty: we do not code actor categories (inter1/2, interaction), associated second actors,
# civilian targeting, ISO numeric codes, regions, admin2/3 or tags.
ACLED_EMPTY = ("inter1", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
               "admin2", "admin3", "tags")

# ACLED's vocabulary: disorder type -> event type -> sub-event types.
ACLED_TYPES: dict[str, dict[str, tuple[str, ...]]] = {
    "Political violence": {
        "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
        "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                       "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                                       "Grenade"),
        "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
        "Riots": ("Violent demonstration", "Mob violence"),
    },
    "Demonstrations": {
        "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
        "Riots": ("Violent demonstration", "Mob violence"),
    },
    "Strategic developments": {
        "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                                   "Headquarters or base established", "Looting/property destruction",
                                   "Non-violent transfer of territory", "Other"),
    },
}
SOURCE_SCALES = ("Local", "Subnational", "National", "Regional", "International", "New media", "Other")
# our date precision -> ACLED time_precision (1 the day, 2 a week or so, 3 the month or less precise)
TIME_PRECISION = {"day": 1, "month": 3, "year": 3}
GEO_PRECISION = {"point": 1, "city": 1, "town": 1, "village": 1, "locality": 1, "district": 2, "admin2": 2,
                 "region": 3, "province": 3, "admin1": 3, "country": 3}


def load_acled_rules(path: str | Path = RULES, taxonomy: str | Path = TAXONOMY) -> dict:
    """The ACLED mapping: each event type's ACLED disorder type, event type and sub-event type from the event
    taxonomy (configs/event_types.yaml, where they are stated once), checked against ACLED's own names, and
    the outlets' source scale from ``path``."""
    path, taxonomy = Path(path), Path(taxonomy)

    def fail(where: str, reason: str, file: Path = path):
        raise PipelineError(Errors.E603.format(path=file, where=where, reason=reason))

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail("file", "not found; pass --rules with the outlets' source scales (see configs/acled.yaml)")
    except yaml.YAMLError as e:
        fail("file", f"not valid YAML ({str(e).splitlines()[0]})")
    if not isinstance(data, dict):
        fail("file", "expected a mapping with the key 'source_scale'")
    extra = set(data) - {"source_scale"}
    if extra:
        fail(", ".join(sorted(extra)), "unknown key; expected 'source_scale' (the ACLED types are in "
                                       "configs/event_types.yaml)")
    types = {name: {"disorder_type": t["acled_disorder_type"], "event_type": t["acled_type"],
                    "sub_event_type": t["acled_sub_event_type"]}
             for name, t in read_taxonomy(taxonomy)["types"].items()}
    for name, spec in types.items():
        disorder, etype, sub = spec["disorder_type"], spec["event_type"], spec["sub_event_type"]
        if disorder not in ACLED_TYPES:
            fail(f"types.{name}.acled_disorder_type", f"{disorder!r} is not ACLED's; expected one of "
                 f"{', '.join(ACLED_TYPES)}", taxonomy)
        if etype not in ACLED_TYPES[disorder]:
            fail(f"types.{name}.acled_type", f"{etype!r} is not an ACLED event type of disorder type "
                 f"{disorder!r}; expected one of {', '.join(ACLED_TYPES[disorder])}", taxonomy)
        if sub not in ACLED_TYPES[disorder][etype]:
            fail(f"types.{name}.acled_sub_event_type", f"{sub!r} is not an ACLED sub-event type of {etype!r}; "
                 f"expected one of {', '.join(ACLED_TYPES[disorder][etype])}", taxonomy)
    scales = data.get("source_scale") or {}
    if not isinstance(scales, dict):
        fail("source_scale", "expected a mapping of outlet -> scale")
    for outlet, scale in scales.items():
        parts = str(scale).split("-")
        if not all(p in SOURCE_SCALES for p in parts):
            fail(f"source_scale.{outlet}", f"{scale!r} is not an ACLED source scale; expected one of "
                 f"{', '.join(SOURCE_SCALES)} (or two joined by '-')")
    return {"types": types, "source_scale": {str(k): str(v) for k, v in scales.items()}}


def _blank(v) -> bool:
    return v is None or (not isinstance(v, (list, tuple, dict, str)) and pd.isna(v))


def _num(v):
    return None if _blank(v) else int(v)


def acled_rows(tables: dict[str, pd.DataFrame], rules: dict) -> list[dict]:
    """One ACLED-shaped row per happening."""
    haps = happenings_frame(tables)
    reports = reports_frame(tables)
    processed = dict(zip(tables["documents"]["doc_id"], tables["documents"]["processed_at"]))
    reports = reports.assign(_pub=reports["published"].fillna(pd.Timestamp.max)).sort_values(
        ["_pub", "doc_id", "start_char"], kind="stable")
    by_hap = {h: g for h, g in reports.groupby("happening_id", sort=False)}
    rows = []
    for h in haps.itertuples(index=False):
        rep = by_hap.get(h.happening_id, reports.iloc[0:0])
        spec = rules["types"].get(str(h.event_type), {})
        outlets = [s for s in dict.fromkeys(rep["source"].dropna().astype(str))] if len(rep) else []
        if not outlets and not _blank(h.sources):
            outlets = [s.strip() for s in str(h.sources).split(";") if s.strip()]
        figures = [int(k) for k in rep["killed"].dropna()] if len(rep) else []
        if not figures and not _blank(h.killed_min):
            figures = [int(h.killed_min)]
        scales = [rules["source_scale"][o] for o in outlets if o in rules["source_scale"]]
        date = None if _blank(h.date) else pd.Timestamp(h.date)
        stamps = [processed[d] for d in rep["doc_id"] if d in processed and not _blank(processed[d])]
        geo = h.geo_precision
        if not _blank(geo):       # our 1/2/3 (read as a float where the column has gaps), or a word
            geo = int(geo) if isinstance(geo, (int, float)) or str(geo).isdigit() else GEO_PRECISION.get(str(geo).lower())
        else:
            geo = None
        row = dict.fromkeys(ACLED_COLUMNS, None)
        row.update({
            "event_id_cnty": h.happening_id,
            "event_date": date.strftime("%Y-%m-%d") if date is not None else None,
            "year": date.year if date is not None else None,
            "time_precision": TIME_PRECISION.get(str(h.date_precision)) if date is not None else None,
            "disorder_type": spec.get("disorder_type"),
            "event_type": spec.get("event_type"),
            "sub_event_type": spec.get("sub_event_type"),
            "actor1": None if _blank(h.actor_name) else h.actor_name,
            "assoc_actor_1": None if _blank(getattr(h, "assoc_actor_1", None)) else h.assoc_actor_1,
            "actor2": None if _blank(h.target_name) else h.target_name,
            "country": None if _blank(h.country) else h.country,
            "admin1": None if _blank(h.admin1) else h.admin1,
            "location": None if _blank(h.location) else h.location,
            "latitude": None if _blank(h.latitude) else round(float(h.latitude), 4),
            "longitude": None if _blank(h.longitude) else round(float(h.longitude), 4),
            "geo_precision": geo,
            "source": "; ".join(outlets) or None,
            "source_scale": "-".join(dict.fromkeys(scales)) or None,
            "notes": (rep["sentence"].iloc[0] if len(rep) and not _blank(rep["sentence"].iloc[0]) else None),
            "fatalities": min(figures) if figures else 0,
            "timestamp": int(max(stamps).timestamp()) if stamps else None,
        })
        rows.append(row)
    return rows


def export_acled(out: str | Path, to: str | Path, rules_path: str | Path = RULES) -> int:
    """Write the happenings of ``out`` as an ACLED-shaped CSV at ``to``; returns the number of rows."""
    rules = load_acled_rules(rules_path)
    rows = acled_rows(desk_tables(out), rules)
    to = Path(to)
    try:
        to.parent.mkdir(parents=True, exist_ok=True)
        with open(to, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=ACLED_COLUMNS)
            writer.writeheader()
            writer.writerows([{k: "" if v is None else v for k, v in r.items()} for r in rows])
    except OSError as e:
        raise PipelineError(Errors.E604.format(path=to, reason=e.strerror or str(e))) from None
    log.debug("wrote %d happenings to %s", len(rows), to)
    return len(rows)
