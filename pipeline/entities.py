"""Entities stage: groups, places, people (and nationalities), each linked to one canonical id.

Recognition: the alias table becomes SpanRuler patterns whose ``id`` is the canonical
entity id; :func:`merge_alias_spans` puts them into ``doc.ents`` over the statistical
NER where they overlap (so "Balochistan" is a place even where the model says ORG),
and unlisted names still come from the model.

Linking, in order, recorded as ``link_method``: ``alias`` (the table, after
normalising case, quotes, punctuation, a leading "the" and a possessive), ``acronym``
(defined in the text: "Baloch Liberation Army (BLA)"), ``short_form`` (a part of a
person's name already given in the document), ``fuzzy`` (rapidfuzz, same type,
threshold in configs), ``new`` (an id derived from the normalised name, so the same
unknown name links across documents).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .aliases import AliasTable, norm
from .schemas import make_row

LABEL_TYPES = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "group",
               "NORP": "nationality"}
TYPE_LABELS = {"person": "PERSON", "place": "GPE", "group": "ORG"}
ALIAS_SPANS = "claimex_aliases"
# types a name of one type may be fuzzy-matched to
COMPATIBLE = {"group": {"group"}, "place": {"place"}, "person": {"person"}, "nationality": {"group"}}


# -- recognition -------------------------------------------------------------

def alias_patterns(table: AliasTable) -> list[dict]:
    """SpanRuler phrase patterns: every surface as written, with both apostrophes, and in capitals (datelines)."""
    patterns, seen = [], set()
    for entry in table.entries.values():
        label = TYPE_LABELS[entry.type]
        for surface in entry.surfaces:
            variants = {surface, surface.replace("'", "’"), surface.replace("’", "'"), surface.upper()}
            for v in sorted(variants):
                if (v, entry.id) not in seen:
                    seen.add((v, entry.id))
                    patterns.append({"label": label, "pattern": v, "id": entry.id})
    return patterns


@Language.factory("claimex_alias_ents_v1", default_config={"org_heads": []},
                  requires=["doc.ents", "doc.spans"], assigns=["doc.ents"])
def make_alias_merger(nlp: Language, name: str, org_heads: list[str]):
    return AliasMerger(org_heads)


class AliasMerger:
    """Alias-table spans take precedence over the model's entities they overlap, except where the
    model's name is longer and ends with an institution word ("Karachi University", "Quetta Police")."""

    def __init__(self, org_heads: list[str]):
        self.heads = {h.lower() for h in org_heads}

    def __call__(self, doc: Doc) -> Doc:
        aliases = list(doc.spans.get(ALIAS_SPANS, []))
        if not aliases:
            return doc
        keep_model = []
        for ent in doc.ents:
            inside = [a for a in aliases if a.start < ent.end and ent.start < a.end]
            if not inside:
                keep_model.append(ent)
            elif all(ent.start <= a.start and a.end <= ent.end and (a.start, a.end) != (ent.start, ent.end)
                     for a in inside) and (
                    doc[ent.end - 1].lower_ in self.heads and all(a.end < ent.end for a in inside)
                    # "State Bank of Pakistan", "University of Karachi": an institution of a place
                    or all(a.start > ent.start and doc[a.start - 1].lower_ == "of"
                           and any(t.lower_ in self.heads for t in doc[ent.start:a.start]) for a in inside)):
                keep_model.append(ent)
                aliases = [a for a in aliases if a not in inside]
        doc.ents = filter_spans(filter_spans(aliases) + keep_model)
        return doc


# -- linking -----------------------------------------------------------------

@dataclass
class Mention:
    start: int            # token offsets
    end: int
    start_char: int
    end_char: int
    text: str
    label: str
    entity_type: str
    entity_id: str
    canonical_name: str
    link_method: str
    link_score: float


def new_id(name: str) -> str:
    return "x:" + norm(name).replace(" ", "_")


def display_name(text: str) -> str:
    """The name of an unlisted entity as a reader writes it: capitals of datelines undone ("KARACHI"),
    acronyms kept ("COAS")."""
    return text.title() if text.isupper() and (len(text) > 6 or " " in text) else text


class Linker:
    """Links a Doc's entities to canonical ids; holds the alias table and fuzzy index (no per-document state)."""

    def __init__(self, table: AliasTable, fuzzy_threshold: float = 90, min_fuzzy_length: int = 5,
                 titles: list[str] = (), place_suffixes: list[str] = (), *, articles: list[str] = ("the", "a", "an"),
                 place_prepositions: list[str] = ("in", "near", "at", "outside", "inside")):
        self.table = table
        self.articles = frozenset(w.lower() for w in articles)
        self.place_prepositions = frozenset(w.lower() for w in place_prepositions)
        self.place_suffixes = {w.lower() for w in place_suffixes}
        self.titles = sorted(({tuple(t.lower().split()) for t in titles}), key=len, reverse=True)
        self.title_starts = {t[0] for t in self.titles}
        self.threshold = fuzzy_threshold
        self.min_fuzzy = min_fuzzy_length
        self.keys_by_type: dict[str, list[str]] = defaultdict(list)
        for key, ids in table.index.items():
            for i in ids:
                self.keys_by_type[table.entries[i].type].append(key)

    @lru_cache(maxsize=65536)
    def fuzzy(self, key: str, etype: str) -> tuple[str, float] | None:
        if len(key) < self.min_fuzzy:
            return None
        best = None
        for t in COMPATIBLE.get(etype, ()):
            got = process.extractOne(key, self.keys_by_type[t], scorer=fuzz.ratio, score_cutoff=self.threshold)
            if got and (best is None or got[1] > best[1]):
                ids = [i for i in self.table.index[got[0]] if self.table.entries[i].type == t]
                best = (ids[0], got[1])
        return best

    def link(self, doc: Doc) -> list[Mention]:
        mentions: list[Mention] = []
        seen = _Seen()
        taken = set()
        ents = [e for e in (trim_entity(e, self.titles, self.place_suffixes, self.title_starts, self.articles)
                            for e in doc.ents
                            if e.label_ in LABEL_TYPES) if e is not None]
        for ent in ents:
            m = self._link_one(ent, seen)
            mentions.append(m)
            taken.update(range(m.start, m.end))
            seen.learn(doc, ent, m)
        mentions += self._context_mentions(doc, taken, seen, mentions)
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _link_one(self, ent: Span, seen: "_Seen") -> Mention:
        etype = LABEL_TYPES[ent.label_]
        key = norm(ent.text)

        def make(eid, name, typ, method, score):
            return Mention(ent.start, ent.end, ent.start_char, ent.end_char, ent.text, ent.label_, typ,
                           eid, name, method, score)

        if ent.ent_id_ and ent.ent_id_ in self.table.entries:
            e = self.table.entries[ent.ent_id_]
            return make(e.id, e.name, e.type, "alias", 1.0)
        entry = self.table.lookup(ent.text, etype if etype != "nationality" else None)
        if entry:
            return make(entry.id, entry.name, entry.type, "alias", 0.95)
        if ent.text in seen.acronyms:
            eid, name, typ = seen.acronyms[ent.text]
            return make(eid, name, typ, "acronym", 0.9)
        if etype in ("person", "group", "place") and len(ent) == 1 and len(seen.parts.get(key, ())) == 1:
            eid = next(iter(seen.parts[key]))
            return make(eid, seen.names[eid], "person", "short_form", 0.85)
        got = self.fuzzy(key, etype)
        if got:
            e = self.table.entries[got[0]]
            return make(e.id, e.name, e.type, "fuzzy", round(0.9 * got[1] / 100, 3))
        if etype in ("group", "person") and _in_place_phrase(ent, self.place_prepositions):
            etype = "place"     # "near Thatta": an unlisted name the model typed ORG sits where places sit
        return make(new_id(ent.text), display_name(ent.text), etype, "new", 0.5)

    def _context_mentions(self, doc: Doc, taken: set, seen: "_Seen", mentions) -> list[Mention]:
        """Acronyms and name parts the model did not tag, found again in the text."""
        found = []
        nationality = {norm(m.text) for m in mentions if m.entity_type == "nationality"}
        first_seen = {}
        for m in mentions:
            first_seen.setdefault(m.entity_id, m.start)
        for tok in doc:
            if tok.i in taken:
                continue
            if tok.text in seen.acronyms:
                eid, name, typ = seen.acronyms[tok.text]
                method, score = "acronym", 0.9
            elif not tok.is_title or not seen.parts:
                continue
            else:
                key = norm(tok.text)
                ids = seen.parts.get(key) if key not in nationality else None
                if not ids or len(ids) != 1 or key in self.table.index:
                    continue
                eid = next(iter(ids))
                nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
                if first_seen.get(eid, len(doc)) > tok.i or (nxt is not None and nxt.is_title and nxt.i not in taken):
                    continue
                name, typ, method, score = seen.names[eid], "person", "short_form", 0.8
            found.append(Mention(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok.text), tok.text, "RULE", typ, eid,
                                 name, method, score))
        return found


def _in_place_phrase(ent: Span, prepositions: frozenset) -> bool:
    """A bare proper name right after one of ``prepositions`` ('in', 'near', 'at', ...: "an attack near
    Thatta")."""
    doc = ent.doc
    if ent.start == 0 or not all(t.pos_ == "PROPN" for t in ent):
        return False
    prep = doc[ent.start - 1]
    return prep.lower_ in prepositions and ent.root.dep_ == "pobj" \
        and ent.root.head.i == prep.i


@dataclass
class _Seen:
    """What a document has taught so far: its acronyms and the parts of the people's names it gave."""
    acronyms: dict[str, tuple[str, str, str]] = field(default_factory=dict)   # "BLA" -> (id, name, type)
    parts: dict[str, set[str]] = field(default_factory=dict)                 # "sharif" -> entity ids
    names: dict[str, str] = field(default_factory=dict)                      # entity id -> canonical name

    def learn(self, doc: Doc, ent: Span, m: Mention) -> None:
        # "Long Name (ACR)" teaches ACR for this document
        if ent.end + 2 < len(doc) and doc[ent.end].text == "(" and doc[ent.end + 2].text == ")":
            acr = doc[ent.end + 1].text
            if _is_acronym(acr, ent.text):
                self.acronyms.setdefault(acr, (m.entity_id, m.canonical_name, m.entity_type))
        if m.entity_type == "person" and len(ent) > 1:
            self.names[m.entity_id] = m.canonical_name
            for tok in ent:
                if tok.is_title and len(tok.text) >= 2 and not tok.is_stop:
                    self.parts.setdefault(norm(tok.text), set()).add(m.entity_id)


def _is_acronym(acr: str, name: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", acr)
    if not (2 <= len(letters) <= 8) or sum(c.isupper() for c in letters) < 2:
        return False
    words = [w for w in re.split(r"[\s\-–]+", name) if w and w[0].isalpha()]
    initials = "".join(w[0] for w in words).upper()
    return letters[0].upper() == initials[:1] and all(c in initials for c in letters.upper()[:3] if c.isalpha())


def trim_entity(ent: Span, titles=(), place_suffixes=frozenset(), title_starts=None,
                articles=frozenset({"the", "a", "an"})) -> Span | None:
    """Without a leading article ('the'), title or adjective and a trailing possessive or punctuation;
    None if nothing name-like is left."""
    start, end, label = ent.start, ent.end, ent.label_
    doc = ent.doc
    while start < end and (doc[start].lower_ in articles or doc[start].is_punct
                           or doc[start].is_space
                           or (not ent.id_ and doc[start].tag_ in ("JJ", "DT", "RB", "PRP$")
                               and end - start > 1)):
        start += 1
    if not ent.id_ and (title_starts is None or doc[start].lower_ in title_starts):
        for title in titles:
            words = tuple(t.lower_ for t in doc[start:start + len(title)])
            if words == title and end - start > len(title):
                start += len(title)
                label = "PERSON"
                break
    while end > start and (doc[end - 1].text in ("'s", "’s", "'", "’") or doc[end - 1].is_punct
                           or doc[end - 1].is_space):
        end -= 1
    if not ent.id_ and label in ("GPE", "LOC") and end - start > 1 and doc[end - 1].lower_ in place_suffixes:
        end -= 1        # "Khost province"
    if start >= end or not any(c.isalpha() for c in doc[start:end].text):
        return None
    if not ent.id_ and all(t.is_lower for t in doc[start:end]):
        return None
    return Span(doc, start, end, label=label, span_id=ent.id_)


def mention_rows(mentions: list[Mention], doc_id: str, sent_of: list[int]) -> list[dict]:
    """Rows of the mentions table; ``sent_of[token_index]`` is the sentence index of a token."""
    return [make_row("mentions", **{
        "doc_id": doc_id, "sent_idx": sent_of[m.start], "start_char": m.start_char, "end_char": m.end_char,
        "text": m.text, "label": m.label, "entity_type": m.entity_type, "entity_id": m.entity_id,
        "canonical_name": m.canonical_name, "link_method": m.link_method, "link_score": m.link_score})
        for m in mentions]


def entity_rows(mentions: list[dict], table: AliasTable | None = None) -> list[dict]:
    """The entities table, aggregated from all mention rows of the corpus."""
    agg: dict[str, dict] = {}
    docs: dict[str, set] = defaultdict(set)
    types: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        e = agg.setdefault(m["entity_id"], {
            "entity_id": m["entity_id"], "canonical_name": m["canonical_name"],
            "in_alias_table": bool(table and m["entity_id"] in table.entries),
            "aliases_seen": set(), "n_mentions": 0})
        e["aliases_seen"].add(m["text"])
        e["n_mentions"] += 1
        docs[m["entity_id"]].add(m["doc_id"])
        types[m["entity_id"]][m["entity_type"]] += 1
        names[m["entity_id"]][m["canonical_name"]] += 1
    return [make_row("entities", **{
        **e, "canonical_name": names[eid].most_common(1)[0][0], "entity_type": types[eid].most_common(1)[0][0],
        "aliases_seen": sorted(e["aliases_seen"]), "n_documents": len(docs[eid])})
        for eid, e in sorted(agg.items())]


def suggest_aliases(mentions: list[dict], table: AliasTable, top: int = 30, threshold: float = 80) -> list[str]:
    """Ready-to-paste alias-table rows: frequent unlinked names, their fuzzy neighbours and in-text acronyms."""
    new = Counter((m["canonical_name"], m["entity_type"]) for m in mentions
                  if m["link_method"] == "new" and m["entity_type"] != "nationality")
    acr = defaultdict(set)
    for m in mentions:
        if m["link_method"] == "acronym" and m["entity_id"] not in table.entries:
            acr[m["entity_id"]].add(m["text"])
    names = [n for (n, _), _ in new.most_common()]
    lines = ["# id,name,type,aliases   (frequent unlinked names; check the type before pasting)"]
    done = set()
    for (name, typ), n in new.most_common(top):
        if name in done or new_id(name) in done:
            continue
        done.add(new_id(name))
        variants = {v for v, s, _ in process.extract(norm(name), {x: norm(x) for x in names if x != name}.values(),
                                                      scorer=fuzz.ratio, score_cutoff=threshold, limit=5)}
        same = [x for x in names if norm(x) in variants and x != name]
        done.update(same)
        aliases = sorted(set(same) | acr.get(new_id(name), set()))
        near = process.extractOne(norm(name), list(table.index), scorer=fuzz.ratio, score_cutoff=threshold)
        note = f"  # {n} mentions" + (f"; close to listed {table.lookup(near[0]).name!r}" if near else "")
        lines.append(f"{new_id(name)[2:]},{_csv(name)},{typ if typ in TYPE_LABELS else 'group'},"
                     f"{_csv('|'.join(aliases))}{note}")
    return lines


def _csv(s: str) -> str:
    return f'"{s}"' if any(c in s for c in ',"') else s
