"""The corpus-level entities table, built in Arrow from the mention columns it needs.

The same rows as :func:`pipeline.entities.entity_rows` (a test checks it), without a Python dict per mention:
counts, distinct documents and distinct surface forms come from Arrow group-bys over the mentions table, and
Python only sees one row per (entity, name) and (entity, type) pair. The most frequent canonical name and type
win, a tie going to the one seen first in mention order (as ``Counter.most_common`` decides).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute  # noqa: F401 - pa.compute

from .schemas import ENTITIES

ENTITY_COLUMNS = ["doc_id", "text", "entity_type", "entity_id", "canonical_name"]
GEO_COLUMNS = ("country_code", "admin1", "latitude", "longitude", "geonames_id", "feature")


def _most_frequent(t: pa.Table, column: str) -> dict:
    """entity_id -> the value of ``column`` most mentions give (ties: the first seen)."""
    g = t.group_by(["entity_id", column], use_threads=False).aggregate([("_i", "count"), ("_i", "min")])
    best: dict = {}
    for eid, value, n, first in zip(*(g[c].to_pylist() for c in ("entity_id", column, "_i_count", "_i_min"))):
        cur = best.get(eid)
        if cur is None or n > cur[1] or (n == cur[1] and first < cur[2]):
            best[eid] = (value, n, first)
    return {eid: v[0] for eid, v in best.items()}


def entity_table(mentions: pa.Table, table=None, place_of=None, geo=None) -> pa.Table:
    """The entities table from the mentions table (at least :data:`ENTITY_COLUMNS`). The geography of a place
    entity comes from ``geo(entity_id)`` (a dict of :data:`GEO_COLUMNS`), or from the gazetteer place
    ``place_of(entity_id)`` (its country, division and coordinates)."""
    if geo is None and place_of is not None:
        from .entities import geo_fields

        def geo(eid):
            return geo_fields(place_of(eid))
    t = mentions.select(ENTITY_COLUMNS).append_column("_i", pa.array(range(mentions.num_rows), pa.int64()))
    if t.num_rows == 0:
        return ENTITIES.empty_table()
    g = t.group_by("entity_id", use_threads=False).aggregate(
        [("_i", "count"), ("doc_id", "count_distinct"), ("text", "distinct")])
    g = g.sort_by("entity_id")
    names, types = _most_frequent(t, "canonical_name"), _most_frequent(t, "entity_type")
    ids = g["entity_id"].to_pylist()
    cols: dict[str, list] = {c: [] for c in ENTITIES.names}
    for eid, n, n_docs, seen in zip(ids, g["_i_count"].to_pylist(), g["doc_id_count_distinct"].to_pylist(),
                                    g["text_distinct"].to_pylist()):
        etype = types[eid]
        place = (geo(eid) if geo else None) if etype == "place" else None
        row = {"entity_id": eid, "canonical_name": names[eid], "entity_type": etype,
               "in_alias_table": bool(table and eid in table.entries), "aliases_seen": sorted(seen),
               "n_mentions": n, "n_documents": n_docs, **(place or dict.fromkeys(GEO_COLUMNS))}
        for c in ENTITIES.names:
            cols[c].append(row[c])
    return pa.Table.from_pydict(cols, schema=ENTITIES)


class Geography:
    """The geography of the entities, for the entities table, without loading the gazetteer in the writer when
    it can be helped: what the workers computed for the entities of this run's documents, else the previous
    entities table's row (built under the same settings), else the gazetteer itself (``fallback()`` gives a
    ``place_of``; loaded once, only when an entity has neither, e.g. one that became a place when documents
    were removed)."""

    def __init__(self, fresh: dict[str, dict | None], prior: dict[str, dict], fallback):
        self.fresh, self.prior, self._fallback, self._place_of = fresh, prior, fallback, None

    def __call__(self, eid: str) -> dict | None:
        if eid in self.fresh:
            return self.fresh[eid]
        if eid in self.prior:
            return self.prior[eid]
        if self._place_of is None:
            self._place_of = self._fallback()
        from .entities import geo_fields

        return geo_fields(self._place_of(eid))


def prior_geography(entities: pa.Table) -> dict[str, dict]:
    """entity_id -> geography columns of the place entities of an entities table."""
    places = entities.filter(pa.compute.equal(entities["entity_type"], "place"))
    cols = {c: places[c].to_pylist() for c in ("entity_id", *GEO_COLUMNS)}
    return {eid: {c: cols[c][i] for c in GEO_COLUMNS} for i, eid in enumerate(cols["entity_id"])}
