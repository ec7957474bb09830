"""SQL over the tables: DuckDB with each table a view of its Parquet dataset.

The views read ``OUT/<table>/*.parquet`` at query time, so a connection stays valid across runs.
``happening_reports`` is a view of :func:`pipeline.desk.frames.reports_frame` (made when connecting), and while the
store has no ``happenings`` table, ``happenings`` is a view of the fallback frame of
:func:`pipeline.desk.frames.happenings_frame`, with the same column names.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path

import pandas as pd

from ..errors import Errors, PipelineError
from ..schemas import ALL_TABLES
from .frames import _check, desk_tables, happenings_frame, reports_frame

log = logging.getLogger(__name__)

FORMATS = ("table", "csv", "json")


def connect(out: str | Path):
    """A DuckDB connection (in memory) with one view per table of ``out``."""
    import duckdb

    _check(out)
    con = duckdb.connect(":memory:")
    root = Path(out).absolute()
    for table in ALL_TABLES:
        glob = str(root / table / "*.parquet").replace("'", "''")
        con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM read_parquet(\'{glob}\')')
    tables = desk_tables(out)
    frames = {"happening_reports": reports_frame(tables)}
    if "happenings" not in ALL_TABLES:
        frames["happenings"] = happenings_frame(tables)
    for name, frame in frames.items():
        con.register(f"_{name}_frame", _plain(frame))
        con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM "_{name}_frame"')
    return con


def _plain(frame):
    """Categoricals and text (even all-null) as pandas strings and dates as dates, so DuckDB sees VARCHAR and
    DATE columns."""
    frame = frame.copy()
    for c in frame.columns:
        if str(frame[c].dtype).startswith("datetime64[") and "UTC" not in str(frame[c].dtype):
            frame[c] = [None if pd.isna(v) else v.date() for v in frame[c]]
        elif str(frame[c].dtype) == "category" or (
                frame[c].dtype == object and all(isinstance(v, str) for v in frame[c].dropna())):
            frame[c] = frame[c].astype("string")
    return frame


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def query(out: str | Path, sql: str, fmt: str = "table") -> str:
    """The result of one SQL query over the tables of ``out``, formatted as a text table, CSV or JSON."""
    import duckdb

    con = connect(out)
    try:
        rel = con.sql(sql)
        if rel is None:  # a statement without a result
            return "ok"
        result = rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()
    except duckdb.Error as e:
        raise PipelineError(Errors.E602.format(reason=str(e).splitlines()[0][:300])) from None
    finally:
        con.close()
    if fmt in ("csv", "json"):
        rows = result.to_pylist()
        if fmt == "json":
            return json.dumps(rows, ensure_ascii=False, indent=1, default=_iso)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(result.column_names)
        writer.writerows([["" if v is None else _iso(v) if hasattr(v, "isoformat") else v for v in r.values()]
                          for r in rows])
        return buf.getvalue().rstrip("\n")
    df = result.to_pandas()
    if df.empty:
        return "(no rows) " + ", ".join(map(str, df.columns))
    return df.to_string(index=False, max_colwidth=60)
