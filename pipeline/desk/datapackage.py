"""A Frictionless Data Package (``datapackage.json``) describing the tables, generated from the schemas.

Every commit of the store writes one into the generation it publishes, listing that generation's Parquet part
files (paths relative to the folder, so they resolve the same from ``OUT/`` and from the generation itself);
``OUT/datapackage.json`` links to it. Field names, types and descriptions come from
:mod:`pipeline.schemas`, and so do the primary and foreign keys.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from ..config import PIPELINE_VERSION
from ..schemas import ALL_TABLES, FOREIGN_KEYS, PRIMARY_KEYS

FILENAME = "datapackage.json"


def field_type(typ: pa.DataType) -> dict:
    """The Table Schema type of an Arrow type."""
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return {"type": "string"}
    if pa.types.is_integer(typ):
        return {"type": "integer"}
    if pa.types.is_floating(typ):
        return {"type": "number"}
    if pa.types.is_boolean(typ):
        return {"type": "boolean"}
    if pa.types.is_date(typ):
        return {"type": "date"}
    if pa.types.is_timestamp(typ):
        return {"type": "datetime"}
    if pa.types.is_list(typ) or pa.types.is_large_list(typ):
        return {"type": "array"}
    return {"type": "any"}


def table_schema(name: str) -> dict:
    schema = ALL_TABLES[name]
    out: dict = {"fields": [{"name": f.name, **field_type(f.type),
                             "description": f.metadata[b"description"].decode()} for f in schema]}
    if name in PRIMARY_KEYS:
        out["primaryKey"] = list(PRIMARY_KEYS[name])
    fks = [{"fields": cols, "reference": {"resource": ref, "fields": ref_cols}}
           for cols, ref, ref_cols in FOREIGN_KEYS.get(name, [])]
    if fks:
        out["foreignKeys"] = fks
    return out


def package_descriptor(parts: dict[str, list[str]]) -> dict:
    """The descriptor for tables whose part files (relative paths) are ``parts``."""
    resources = []
    for name, schema in ALL_TABLES.items():
        resources.append({
            "name": name,
            # one part file: a path; several: the spec's multipart array (read as one table)
            "path": paths[0] if len(paths := parts.get(name, [])) == 1 else paths,
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "description": schema.metadata[b"description"].decode(),
            "schema": table_schema(name),
        })
    return {
        "name": "newsclaims",
        "title": "Entities, events and attributed claims extracted from news articles",
        "version": PIPELINE_VERSION,
        "resources": resources,
    }


def write_datapackage(folder: str | Path) -> Path:
    """Write ``datapackage.json`` for the tables under ``folder`` (a generation, or an output folder)."""
    folder = Path(folder)
    parts = {name: sorted(p.relative_to(folder).as_posix() for p in (folder / name).glob("part-*.parquet"))
             for name in ALL_TABLES}
    path = folder / FILENAME
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(package_descriptor(parts), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
