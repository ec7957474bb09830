"""Entities stage: recognition through the alias rule layer, and linking to canonical ids."""

from __future__ import annotations

from collections import defaultdict


def entity_rows(mentions: list[dict], config=None) -> list[dict]:
    """The entities table, aggregated from all mention rows of the corpus."""
    agg: dict[str, dict] = {}
    docs: dict[str, set] = defaultdict(set)
    for m in mentions:
        e = agg.setdefault(m["entity_id"], {
            "entity_id": m["entity_id"], "canonical_name": m["canonical_name"],
            "entity_type": m["entity_type"], "in_alias_table": m["link_method"] != "new",
            "aliases_seen": set(), "n_mentions": 0})
        e["aliases_seen"].add(m["text"])
        e["n_mentions"] += 1
        docs[m["entity_id"]].add(m["doc_id"])
    rows = []
    for eid, e in sorted(agg.items()):
        rows.append({**e, "aliases_seen": sorted(e["aliases_seen"]), "n_documents": len(docs[eid])})
    return rows
