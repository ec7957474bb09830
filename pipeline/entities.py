"""Entities stage: groups, places, people (and nationalities), each linked to one canonical id.

Recognition: the alias table becomes SpanRuler patterns whose ``id`` is the canonical
entity id; :func:`merge_alias_spans` puts them into ``doc.ents`` over the statistical
NER where they overlap (so "Balochistan" is a place even where the model says ORG),
and unlisted names still come from the model.

Linking, in order, recorded as ``link_method``: ``alias`` (the table, after
normalising case, quotes, punctuation, a leading "the" and a possessive), ``acronym``
(defined in the text: "Baloch Liberation Army (BLA)"), ``short_form`` (a part of a
person's name already given in the document), ``fuzzy`` (rapidfuzz, same type,
threshold in configs), ``gazetteer`` (a place the alias table lacks but GeoNames knows,
preferring the country the document is about; id ``geonames:<id>``), ``new`` (an id
derived from the normalised name, so the same unknown name links across documents).

Geography: every place entity (listed or from the gazetteer) resolves to a gazetteer
:class:`~pipeline.gazetteer.Place` through :meth:`Linker.place_of`, which the entities
and events tables use for country, first-level division and coordinates.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from spacy.attrs import IS_ALPHA, IS_UPPER, LENGTH, LOWER
from spacy.strings import hash_string
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .aliases import AliasTable, norm
from .dateline import dateline_places
from .gazetteer import norm as folded, written_name
from .schemas import make_row
from .tokindex import token_index

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
    model's name is longer and ends with an institution word ("Karachi University", "Quetta Police"), or is
    an organisation's name with a capitalised institution word after the listed name ("Kenya Railways
    Corporation", "the UN Committee against Torture")."""

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
                    # "the UN Committee against Torture": an organisation's name with its head word after the
                    # listed name (not a person's name with a title: "Pakistan Army chief Asim Munir")
                    or ent.label_ in ("ORG", "FAC") and all(any(t.lower_ in self.heads and t.is_title
                                                                for t in doc[a.end:ent.end]) for a in inside)
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
    breadth: int = 0      # places: 2 a country, 1 a first-level division, 0 a town, a facility or unknown
    nested: bool = False  # inside a longer mention ("Mali" in "Mali's army"): a name of its own, not the phrase's


BREADTH = {"country": 2, "admin1": 1}


def new_id(name: str) -> str:
    """The id of an unlisted name, the same in every article: normalised, accents folded ("Keïta" = "Keita")."""
    return "x:" + folded(name).replace(" ", "_")


def display_name(text: str) -> str:
    """The name of an unlisted entity as a reader writes it: capitals of datelines undone ("KARACHI"),
    acronyms kept ("COAS")."""
    return text.title() if text.isupper() and (len(text) > 6 or " " in text) else text


class Linker:
    """Links a Doc's entities to canonical ids; holds the alias table and fuzzy index (no per-document state)."""

    def __init__(self, table: AliasTable, fuzzy_threshold: float = 90, min_fuzzy_length: int = 5,
                 titles: list[str] = (), place_suffixes: list[str] = (), *, gazetteer=None,
                 dateline: dict | None = None,
                 facility_heads: list[str] = (), group_heads: list[str] = (), not_acronyms: list[str] = (),
                 articles: list[str] = ("the", "a", "an"),
                 place_prepositions: list[str] = ("in", "near", "at", "outside", "inside"),
                 untagged_place_prepositions: list[str] = ("in", "near", "outside", "inside", "around"),
                 armed_forces_heads: list[str] = (), armed_forces_name: str = "{demonym} Armed Forces",
                 place_nouns: list[str] = (), demonyms: dict | None = None, region_words: list[str] = (),
                 armed_forces_names: dict | None = None, group_signs: tuple = (frozenset(), frozenset())):
        self.table = table
        self.dateline = dateline          # the dateline section of dates.yaml: untagged dateline places
        self.region_words = frozenset(w.lower() for w in region_words)
        self.armed_forces_heads = word_sequences(armed_forces_heads)
        self.armed_forces_name = armed_forces_name
        self.armed_forces_names = dict(armed_forces_names or {})
        self.group_signs = group_signs          # (member nouns, acts of armed groups): armed_group_names
        self.place_nouns = frozenset(w.lower() for w in place_nouns)
        self.demonyms = dict(demonyms or {})
        self.demonym_of = {}
        for adjective, country in self.demonyms.items():
            self.demonym_of.setdefault(country, adjective)
        self.untagged_place_prepositions = frozenset(w.lower() for w in untagged_place_prepositions)
        self.gazetteer = gazetteer
        self.facility_heads = {w.lower() for w in facility_heads}
        self.group_heads = {w.lower() for w in group_heads}
        self.name_heads = self.group_heads | self.facility_heads      # heads that end a name (name_head_extended)
        self.not_acronyms = frozenset(not_acronyms)
        self._entry_places: dict[str, object] = {}
        self.articles = frozenset(w.lower() for w in articles)
        self.place_prepositions = frozenset(w.lower() for w in place_prepositions)
        self.place_suffixes = {w.lower() for w in place_suffixes}
        self.suffix_sequences = word_sequences(place_suffixes)
        # token by token, as spaCy splits them: "Secretary-General" -> secretary, -, general
        self.titles = sorted(({tuple(re.findall(r"[^\s-]+|-", t.lower())) for t in titles}), key=len, reverse=True)
        self.title_starts = {t[0] for t in self.titles}
        self.title_words = {t[0] for t in self.titles if len(t) == 1}
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

    # -- geography -------------------------------------------------------------
    def place_of(self, entity_id: str | None):
        """The gazetteer place of an entity id (a listed place, or an id the gazetteer gave), or None."""
        if not entity_id or self.gazetteer is None:
            return None
        entry = self.table.entries.get(entity_id)
        if entry is None:
            return self.gazetteer.by_entity_id(entity_id)
        if entry.id not in self._entry_places:
            place = None
            if entry.geonames_id:
                place = self.gazetteer.by_entity_id(f"geonames:{entry.geonames_id}")
            elif entry.type == "place":
                place = self.gazetteer.lookup(entry.name)
            self._entry_places[entry.id] = place
        return self._entry_places[entry.id]

    def document_country(self, ents: list[Span]) -> str | None:
        """The country a document is about: the most frequent country of its listed places and country names."""
        if self.gazetteer is None:
            return None
        places = []
        for ent in ents:
            if LABEL_TYPES.get(ent.label_) != "place":
                continue
            entry = self.table.entries.get(ent.ent_id_) or self.table.lookup(ent.text, "place")
            place = self.place_of(entry.id) if entry else None
            if place is None and entry is None:
                found = self.gazetteer.lookup(ent.text)
                place = found if found is not None and found.feature == "country" else None
            places.append(place)
        return most_frequent_country(places)

    def mentions_country(self, mentions: list[Mention]) -> str | None:
        """The country a document is about, from its linked mentions: the most frequent country of its places."""
        return most_frequent_country(self.place_of(m.entity_id) for m in mentions if m.entity_type == "place")

    def link(self, doc: Doc) -> list[Mention]:
        mentions: list[Mention] = []
        seen = _Seen()
        taken = set()
        ents = [e for e in (trim_entity(e, self.titles, self.place_suffixes, self.title_starts, self.articles)
                            for e in doc.ents
                            if e.label_ in LABEL_TYPES) if e is not None]
        ents = [name_head_extended(e, self.name_heads) for e in ents]
        ents = [part for e in ents for part in self.split_name(e)]
        ents = particle_names(doc, ents)
        ents = [self.country_reading(self.retype(with_place_word(e, self.suffix_sequences))) for e in ents]
        ents = [self.appositive_person(e) for e in ents]
        ents = place_noun_names(doc, ents, self.place_nouns)
        ents += place_cue_names(doc, ents, self.place_suffixes)
        ents += self.located_names(doc, ents)
        if self.dateline is not None:
            ents += dateline_places(doc, ents, self.dateline)
        ents += acronym_names(doc, ents, self.not_acronyms)
        ents.sort(key=lambda e: e.start)
        country = self.document_country(ents)
        for ent in ents:
            m = self._link_one(ent, seen, country)
            mentions.append(m)
            taken.update(range(m.start, m.end))
            seen.learn(doc, ent, m)
        mentions += self._context_mentions(doc, taken, seen, mentions)
        mentions.sort(key=lambda m: m.start)
        mentions = self.places_over_names(mentions)
        mentions = self.armed_forces(doc, mentions, self.mentions_country(mentions))
        mentions = self.described_groups(doc, mentions)
        mentions = armed_group_names(doc, mentions, *self.group_signs)
        mentions = self.bare_place_names(doc, mentions)
        mentions.sort(key=lambda m: (m.start, m.nested))
        return [self.with_breadth(m) for m in mentions]

    def with_breadth(self, m: Mention) -> Mention:
        """A place mention with how broad the place is (from the gazetteer): a country, a division, or narrower."""
        place = self.place_of(m.entity_id) if m.entity_type == "place" else None
        if place is None or place.feature not in BREADTH:
            return m
        return dataclasses.replace(m, breadth=BREADTH[place.feature])

    def document_places(self, mentions: list[Mention]) -> dict[str, tuple[str, str]]:
        """The places a document names and links, by key (with and without a generic place word: "Marawi City"
        is also "Marawi")."""
        places: dict[str, tuple[str, str]] = {}
        for m in mentions:
            if m.entity_type != "place" or m.nested:
                continue
            for name in (m.text, m.canonical_name):
                words = name.split()
                keys = {folded(name)} | ({folded(" ".join(words[:-1]))}
                                         if len(words) > 1 and words[-1].lower() in self.place_suffixes else set())
                for key in keys:
                    places.setdefault(key, (m.entity_id, m.canonical_name))
        return places

    def places_over_names(self, mentions: list[Mention]) -> list[Mention]:
        """A discourse pass: an unlisted name typed person or group that the document also names as a place it
        linked ("Rakhine" beside "Rakhine state") is that place."""
        places = self.document_places(mentions)
        out = []
        for m in mentions:
            key = folded(m.text)
            if m.link_method == "new" and m.entity_type in ("person", "group") and key in places:
                eid, name = places[key]
                m = Mention(m.start, m.end, m.start_char, m.end_char, m.text, m.label, "place", eid, name,
                            "gazetteer" if ":" in eid else "alias", 0.75)
            out.append(m)
        return out

    def located_names(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Proper names the model left untagged right after a locative preposition ("in Sittwe", "near Mafa"):
        a place. Only after the prepositions of ``untagged_place_prepositions``, and only names in title case."""
        taken = {i for e in ents for i in range(e.start, e.end)}
        found = []
        for i in positions(doc, self.untagged_place_prepositions):
            tok = doc[i]
            if tok.i + 1 >= len(doc) or tok.i + 1 in taken:
                continue
            end = tok.i + 1
            while end < len(doc) and end not in taken and doc[end].pos_ == "PROPN" and doc[end].is_title \
                    and not doc[end].ent_type_:
                end += 1
            if end > tok.i + 1:
                found.append(Span(doc, tok.i + 1, end, label="GPE"))
                taken.update(range(tok.i + 1, end))
        return found

    def country_reading(self, ent: Span) -> Span:
        """A name that is exactly a country's name is the country, whatever label the model gave it
        ("Mali", "Burkina Faso" tagged PERSON)."""
        if ent.id_ or self.gazetteer is None or LABEL_TYPES.get(ent.label_) in ("place", "nationality"):
            return ent
        found = self.gazetteer.candidates(ent.text)
        if any(p.feature == "country" and not p.alternate for p in found):
            return Span(ent.doc, ent.start, ent.end, label="GPE")
        return ent

    def retype(self, ent: Span) -> Span:
        """The type a name's head word gives it: a facility ("... University", "... airport") is a place, an
        organisation ("... Police", "... Front", "... Army") a group; listed names keep their type."""
        if ent.id_ or len(ent) < 2:
            return ent
        head = ent[-1].lower_
        label = ("FAC" if head in self.facility_heads else "ORG" if head in self.group_heads
                 else "GPE" if head in self.place_suffixes and ent.label_ not in ("GPE", "LOC", "FAC") else None)
        return Span(ent.doc, ent.start, ent.end, label=label, span_id=ent.id_) if label and label != ent.label_ else ent

    def split_name(self, ent: Span) -> list[Span]:
        """A model name that holds two names, or a region word and a name: "Northern Mali" (a compass word of
        ``region_words`` before a known place: the place), "Colombia's National Liberation Army" (a known place, a
        possessive, then the name: both kept), "Lanao del Sur Governor Mamintal Adiong Jr" (a title between
        two names: the place or office before it, the person after it)."""
        doc = ent.doc
        if not ent.id_ and len(ent) >= 2 and ent[0].lower_ in self.region_words \
                and self._known_place(doc[ent.start + 1:ent.end].text):
            return [Span(doc, ent.start + 1, ent.end, label="GPE")]      # "Northern Mali" is Mali
        if ent.id_ or len(ent) < 3:
            return [ent]
        for k in range(ent.start + 1, ent.end - 1):
            if doc[k].text in ("'s", "’s") and self._known_place(doc[ent.start:k].text):
                return [Span(doc, ent.start, k, label="GPE"), Span(doc, k + 1, ent.end, label=ent.label_)]
        if ent.label_ not in ("PERSON", "ORG"):
            return [ent]
        for k in range(ent.start + 1, ent.end - 1):
            n = self._title_length(doc, k, ent.end)
            if n and (doc[k - 1].is_title or doc[k - 1].is_upper) and doc[k - 1].lower_ not in self.title_starts \
                    and all(t.is_title for t in doc[k + n:ent.end]) and doc[ent.end - 1].lower_ not in self.group_heads:
                before = doc[ent.start:k]
                label = "GPE" if self._known_place(before.text) else "ORG"
                return [Span(doc, ent.start, k, label=label), Span(doc, k + n, ent.end, label="PERSON")]
        return [ent]

    def _title_length(self, doc: Doc, k: int, end: int) -> int:
        """The length of a title starting at token ``k`` with a name after it before ``end``, else 0."""
        if _title_word(doc[k]) not in self.title_starts:
            return 0
        for title in self.titles:
            if k + len(title) < end and tuple(_title_word(t) for t in doc[k:k + len(title)]) == title:
                return len(title)
        return 0

    def _known_place(self, text: str) -> bool:
        """A name the alias table or the gazetteer knows as a place."""
        return self.table.lookup(text, "place") is not None and self.table.lookup(text, "place").type == "place" \
            or (self.gazetteer is not None and bool(self.gazetteer.candidates(text)))

    def appositive_person(self, ent: Span) -> Span:
        """A name in apposition to a title or office word is a person ("The chairman of the African Union
        Commission, Moussa Faki Mahamat, ..."), whatever the model typed."""
        if ent.id_ or ent.label_ == "PERSON" or ent.root.dep_ != "appos" or not all(t.is_title for t in ent):
            return ent
        if ent.root.head.lower_ in self.title_words and ent.root.head.i < ent.start:
            return Span(ent.doc, ent.start, ent.end, label="PERSON")
        return ent

    def armed_forces(self, doc: Doc, mentions: list[Mention], country: str | None) -> list[Mention]:
        """A country's armed forces (``armed_forces_heads``): "<country>('s) army", "<demonym> military",
        "the country's army", and a bare "the army"/"the military" in an article about one country, are one
        group, the country's armed forces (:meth:`forces_entity`). A country or demonym inside stays a
        mention of its own (nested)."""
        if not self.armed_forces_heads:
            return mentions
        ends = {m.end: m for m in mentions if not m.nested}
        covered = {i: m for m in mentions if not m.nested for i in range(m.start, m.end)}
        found = []
        for i in positions(doc, {seq[0] for seq in self.armed_forces_heads}):
            n = sequence_at(doc, i, self.armed_forces_heads)
            if not n:
                continue
            j = i - 1 if i > 0 and doc[i - 1].text in ("'s", "’s") else i
            owner = ends.get(j)
            if owner is None and i in covered and covered[i].start < i:
                owner = self._owner_of(doc, covered[i].start, i)      # "Malian army" tagged as one name
            name = self._country_of(owner) if owner is not None else None
            start = owner.start if owner is not None and name else None
            # "the army", "the military", "the junta": singular; a plural in lower case ("the armed forces") is
            # as generic as "security forces", in capitals it names the institution ("the Armed Forces")
            bare = (covered[i].start, covered[i].end) == (i, i + n) if i in covered else \
                not doc[i + n - 1].lower_.endswith("s")
            if name is None and i > 0 and doc[i - 1].lower_ == "the" and bare and country:
                name, start = self._country_name(country), i          # "the army", in an article about Mali
            elif name is None and j >= 2 and doc[j - 1].lower_ == "country" and doc[j - 2].lower_ == "the" \
                    and i != j and country:
                name, start = self._country_name(country), j - 1      # "the country's military"
            if not name or any(k in covered and covered[k].entity_type not in ("place", "nationality")
                               and not (covered[k].start >= start and covered[k].end <= i + n)
                               for k in range(start, i + n)):
                continue
            found.append(self.forces_entity(doc, start, i + n, name))
        return _with_nested(mentions, found)

    def _owner_of(self, doc: Doc, start: int, head: int) -> Mention | None:
        """A model name like "Malian army": the country or demonym before the head word, as a mention."""
        span = doc[start:head]
        if span.text in self.demonyms or self._country_name_known(span.text):
            return Mention(start, head, span.start_char, span.end_char, span.text, "NORP", "nationality", "",
                           span.text, "rule", 0.7)
        return None

    def _country_name_known(self, text: str) -> bool:
        return self.gazetteer is not None and any(p.feature == "country" and not p.alternate
                                                  for p in self.gazetteer.candidates(text))

    def _country_of(self, m: Mention) -> str | None:
        """The country a mention names (a country place) or a demonym stands for, by name."""
        if m.entity_type == "nationality" or m.text in self.demonyms:
            return self.demonyms.get(m.text)
        if m.entity_type != "place":
            return None
        place = self.place_of(m.entity_id)
        if place is not None and place.feature == "country":
            return place.name
        return m.canonical_name if self._country_name_known(m.canonical_name) else None

    def _country_name(self, code: str) -> str | None:
        place = self.gazetteer.country(code) if self.gazetteer is not None else None
        return place.name if place is not None else None

    def forces_entity(self, doc: Doc, start: int, end: int, country: str) -> Mention:
        """The mention of a country's armed forces: the alias table's row for their English name (lexicon
        ``armed_forces_names``), "<country> Army", "<demonym> Army", "<country> Armed Forces", ... when it lists
        one, else an unlisted id named by :func:`armed_forces_name`."""
        demonym = self.demonym_of.get(country, country)
        span = doc[start:end]
        for form in (self.armed_forces_names.get(country, f"{country} Army"), f"{country} Army", f"{demonym} Army",
                     f"{country} Armed Forces", f"{demonym} Armed Forces",
                     f"Armed Forces of {country}", f"Armed Forces of the {country}", f"{country} military"):
            entry = self.table.lookup(form, "group")
            if entry is not None and entry.type == "group":
                return Mention(start, end, span.start_char, span.end_char, span.text, "ORG", "group", entry.id,
                               entry.name, "alias", 0.9)
        name = armed_forces_name(country, demonym, self.armed_forces_names, self.armed_forces_name)
        return Mention(start, end, span.start_char, span.end_char, span.text, "ORG", "group", new_id(name), name,
                       "rule", 0.7)

    def described_groups(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """A name with a lower-case description ending in an organisation head word is a group of its own
        ("Borno police", "Amaq news agency", "UN humanitarian office", "Jalisco New Generation cartel");
        the name inside stays a mention (nested)."""
        covered = {i for m in mentions if not m.nested for i in range(m.start, m.end)}
        found = []
        for m in mentions:
            if m.nested or m.entity_type not in ("place", "group") or not doc[m.end - 1].is_title \
                    and not doc[m.end - 1].is_upper:
                continue
            end = m.end
            while end < len(doc) and end - m.end < 3 and end not in covered and doc[end].is_lower \
                    and doc[end].pos_ in ("NOUN", "ADJ", "PROPN"):
                end += 1
            while end > m.end and doc[end - 1].lower_ not in self.group_heads:
                end -= 1
            # "Mali military post", "Karachi police station": the organisation word is not the end of the phrase;
            # a title after it is ("the Borno police spokesperson")
            if end == m.end or (end < len(doc) and doc[end].is_lower and doc[end].pos_ == "NOUN"
                                and doc[end].lower_ not in self.title_words):
                continue
            span = doc[m.start:end]
            entry = self.table.lookup(span.text, "group")
            eid, name, method = (entry.id, entry.name, "alias") if entry is not None and entry.type == "group" \
                else (new_id(span.text), display_name(span.text), "new")
            found.append(Mention(m.start, end, span.start_char, span.end_char, span.text, "ORG", "group",
                                 eid, name, method, 0.5))
        return _with_nested(mentions, found)

    def bare_place_names(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """A place mention with a generic place word ("Zabarmari village", "La Guajira province", "Mafa Local
        Government") also names the place without it: a nested mention of the same entity."""
        out = list(mentions)
        for m in mentions:
            if m.nested or m.entity_type != "place" or m.end - m.start < 2:
                continue
            name, hint = self.name_part(Span(doc, m.start, m.end, label="GPE"))
            n = suffix_length(doc[m.start:m.end], self.suffix_sequences) if hint else 0
            if 0 < n < m.end - m.start:
                span = doc[m.start:m.end - n]
                out.append(dataclasses.replace(m, end=m.end - n, end_char=span.end_char, text=span.text,
                                               nested=True))
        return out

    def name_part(self, ent: Span) -> tuple[str, str | None]:
        """The name to link without a trailing generic place word ("Borno state" -> "Borno", hint "state").

        A capitalised place word is part of the name when the whole is a known place ("Mexico City").
        """
        n = suffix_length(ent, self.suffix_sequences)
        if len(ent) > n > 0 and LABEL_TYPES.get(ent.label_) == "place":
            whole_known = not ent[-1].is_lower and (
                self.table.lookup(ent.text, "place") is not None
                or (self.gazetteer is not None and bool(self.gazetteer.candidates(ent.text))))
            if not whole_known:
                return ent[:-n].text, ent[-n:].text.lower()
        return ent.text, None

    def _link_one(self, ent: Span, seen: "_Seen", country: str | None = None) -> Mention:
        etype = LABEL_TYPES[ent.label_]
        name, hint = self.name_part(ent)
        key = norm(ent.text)

        def make(eid, name, typ, method, score):
            return Mention(ent.start, ent.end, ent.start_char, ent.end_char, ent.text, ent.label_, typ,
                           eid, name, method, score)

        if ent.ent_id_ and ent.ent_id_ in self.table.entries:
            e = self.table.entries[ent.ent_id_]
            return make(e.id, e.name, e.type, "alias", 1.0)
        entry = self.table.lookup(ent.text, etype if etype != "nationality" else None) or (
            self.table.lookup(name, "place") if hint else None)
        if entry:
            return make(entry.id, entry.name, entry.type, "alias", 0.95)
        if ent.text in seen.acronyms:
            eid, name, typ = seen.acronyms[ent.text]
            return make(eid, name, typ, "acronym", 0.9)
        if ent.text.isupper() and len(ent) == 1 and ent.text in seen.initials:
            eid, name, typ = seen.initials[ent.text]
            return make(eid, name, typ, "acronym", 0.8)
        if etype in ("person", "group", "place") and len(ent) == 1 and len(seen.parts.get(folded(ent.text), ())) == 1:
            eid = next(iter(seen.parts[folded(ent.text)]))
            return make(eid, seen.names[eid], "person", "short_form", 0.85)
        owner = surname_owner(ent, seen) if etype == "person" and len(ent) > 1 else None
        if owner is not None:       # "Garcia Harfuch" after "Omar Garcia Harfuch": the end of a name given before
            return make(owner, seen.names[owner], "person", "short_form", 0.85)
        got = self.fuzzy(norm(name), etype)
        if got:
            e = self.table.entries[got[0]]
            return make(e.id, e.name, e.type, "fuzzy", round(0.9 * got[1] / 100, 3))
        if etype in ("group", "person") and _in_place_phrase(ent, self.place_prepositions):
            etype = "place"     # "near Thatta": an unlisted name the model typed ORG sits where places sit
            name, hint = self.name_part(Span(ent.doc, ent.start, ent.end, label="GPE"))   # "in Mafa Local Government"
        if etype == "place" and self.gazetteer is not None:
            place = (self.gazetteer.lookup(ent.text, prefer_country=country)
                     or (self.gazetteer.lookup(name, prefer_country=country, hint=hint) if hint else None))
            if place is not None:
                return make(place.entity_id, written_name(place, name, self.place_suffixes), "place", "gazetteer",
                            0.8 if not place.alternate else 0.7)
        return make(new_id(name), display_name(name), etype, "new", 0.5)

    def _context_mentions(self, doc: Doc, taken: set, seen: "_Seen", mentions) -> list[Mention]:
        """Acronyms and name parts the model did not tag, found again in the text."""
        found = []
        nationality = {norm(m.text) for m in mentions if m.entity_type == "nationality"}
        first_seen = {}
        for m in mentions:
            first_seen.setdefault(m.entity_id, m.start)
        for tok in _context_candidates(doc, seen):
            if tok.i in taken:
                continue
            if tok.text in seen.acronyms:
                eid, name, typ = seen.acronyms[tok.text]
                method, score = "acronym", 0.9
            elif not tok.is_title or not seen.parts:
                continue
            else:
                key = folded(tok.text)
                ids = seen.parts.get(key) if norm(tok.text) not in nationality else None
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


def _several(tok) -> bool:
    """A phrase of several people: a plural noun or one with a number ("four workers", "13 farmers")."""
    return tok.tag_ in ("NNS", "NNPS") or any(c.dep_ == "nummod" for c in tok.children)


def group_sign(doc: Doc, m: Mention, members: frozenset, acts: frozenset) -> bool:
    """Does this mention show an armed group: its name premodifies a noun of members ("Boko Haram
    insurgents"), or it is the agent or subject of an act of armed groups (``acts``) done to several people
    ("13 farmers were murdered by Boko Haram"; "Boko Haram killed a farm owner and kidnapped four workers")?"""
    root = doc[m.end - 1]
    head = root.head
    if root.dep_ in ("compound", "amod", "nmod") and head.i >= m.end and head.lemma_.lower() in members:
        return True
    if root.dep_ == "pobj" and head.dep_ == "agent":
        verbs = [head.head]
    elif root.dep_ == "nsubj":
        verbs = [head] + [c for c in head.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    else:
        return False
    return any(v.lemma_.lower() in acts and any(c.dep_ in ("dobj", "nsubjpass") and _several(c) for c in v.children)
               for v in verbs)


def armed_group_names(doc: Doc, mentions: list[Mention], members: frozenset, acts: frozenset) -> list[Mention]:
    """A discourse pass: an unlisted name the model typed a person is a group, in all its mentions of the
    document, when one of its mentions shows an armed group (:func:`group_sign`)."""
    if not members and not acts:
        return mentions
    ids = {m.entity_id for m in mentions if m.entity_type in ("person", "group") and m.link_method == "new"
           and group_sign(doc, m, members, acts)}
    if not ids:
        return mentions
    return [dataclasses.replace(m, entity_type="group") if m.entity_id in ids and m.link_method == "new"
            and m.entity_type == "person" else m for m in mentions]


def armed_forces_name(country: str, demonym: str, names: dict, template: str) -> str:
    """The name of a country's armed forces the alias table does not list: the English name the lexicon gives
    them (``armed_forces_names``: "Armed Forces of the Philippines", "Israel Defense Forces"), else the
    template ("{demonym} Armed Forces": "Malian Armed Forces")."""
    return names.get(country) or template.format(demonym=demonym, country=country)


def _context_candidates(doc: Doc, seen: "_Seen"):
    """The tokens :meth:`Linker._context_mentions` looks at, in order: a learned acronym, or a title-case word when
    name parts were learned (read from the Doc's columns, so the other tokens are never built)."""
    acronyms = seen.acronyms
    if not acronyms and not seen.parts:
        return
    index = token_index(doc)
    titles = index.is_title if seen.parts else None
    for i, text in enumerate(index.texts):
        if text in acronyms or (titles is not None and titles[i]):
            yield doc[i]


def _with_nested(mentions: list[Mention], found: list[Mention]) -> list[Mention]:
    """``mentions`` with the longer mentions ``found``: a mention inside one of them becomes nested, one the
    same as it or crossing it is replaced."""
    if not found:
        return mentions
    out = list(found)
    for m in mentions:
        outer = next((f for f in found if f.start < m.end and m.start < f.end), None)
        if outer is None:
            out.append(m)
        elif outer.start <= m.start and m.end <= outer.end and (m.start, m.end) != (outer.start, outer.end):
            out.append(dataclasses.replace(m, nested=True))
    return sorted(out, key=lambda m: (m.start, m.nested))


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
    initials: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # "ECOWAS" -> (id, name, type)

    def learn(self, doc: Doc, ent: Span, m: Mention) -> None:
        # "Long Name (ACR)" teaches ACR for this document; also after a lower-case description of a group
        # ("Jalisco Nueva Generacion drug cartel (CJNG)")
        j = ent.end
        while m.entity_type == "group" and j < len(doc) and j - ent.end < 2 and doc[j].is_lower and doc[j].is_alpha:
            j += 1
        if j + 2 < len(doc) and doc[j].text == "(" and doc[j + 2].text == ")":
            acr = doc[j + 1].text
            if _is_acronym(acr, ent.text) and j == ent.end or \
                    m.entity_type == "group" and defined_acronym(acr, ent.text):
                self.acronyms.setdefault(acr, (m.entity_id, m.canonical_name, m.entity_type))
        # "Economic Community of West African States" ... later "ECOWAS": initials of a group's name
        words = [w for w in re.split(r"[\s\-–]+", m.canonical_name) if w and w[0].isalpha()]
        if m.entity_type in ("group", "place") and len(words) >= 2 and not ent.text.isupper():
            self.initials.setdefault("".join(w[0] for w in words).upper(), (m.entity_id, m.canonical_name,
                                                                           m.entity_type))
            content = [w for w in words if w.lower() not in ("of", "the", "and", "for", "in", "de", "la", "del")]
            self.initials.setdefault("".join(w[0] for w in content).upper(), (m.entity_id, m.canonical_name,
                                                                             m.entity_type))
        if m.entity_type == "person" and len(ent) > 1:
            self.names[m.entity_id] = m.canonical_name
            for tok in ent:
                if tok.is_title and len(tok.text) >= 2 and not tok.is_stop:
                    self.parts.setdefault(folded(tok.text), set()).add(m.entity_id)


def surname_owner(ent: Span, seen: "_Seen") -> str | None:
    """The one person named before whose name ends with these words ("Garcia Harfuch" of "Omar Garcia
    Harfuch", "Suu Kyi" of "Aung San Suu Kyi"), else None."""
    words = [folded(t.text) for t in ent]
    ids = set.intersection(*(seen.parts.get(w, set()) for w in words)) if words else set()
    owners = [i for i in ids if [folded(w) for w in seen.names[i].split()][-len(words):] == words
              and len(seen.names[i].split()) > len(words)]
    return owners[0] if len(owners) == 1 else None


def defined_acronym(acr: str, name: str) -> bool:
    """"National Liberation Army (ELN)", "Jalisco Nueva Generacion drug cartel (CJNG)": capitals in brackets
    right after an organisation's name define its acronym also when it abbreviates the name in another
    language or word order, as long as two of its letters are initials of the name's words."""
    letters = re.sub(r"[^A-Za-z]", "", acr)
    if not (2 <= len(letters) <= 8) or not letters.isupper():
        return False
    initials = {w[0].upper() for w in re.split(r"[\s\-–]+", name) if w and w[0].isalpha()}
    return len(set(letters) & initials) >= 2


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
    # "Brigadier General Allan Nobleza", "then-president Amadou Toumani Toure", "General Gen Sadio Camara"
    while not ent.id_ and start < end and (title_starts is None or _title_word(doc[start]) in title_starts):
        ahead = tuple(_title_word(t) for t in doc[start:start + max(map(len, titles), default=0)])  # read once
        for title in titles:
            words = ahead[:len(title)]
            if words == title and end - start > len(title):
                start += len(title)
                label = "PERSON"
                break
        else:
            break
    while end > start and (doc[end - 1].text in ("'s", "’s", "'", "’") or doc[end - 1].is_punct
                           or doc[end - 1].is_space):
        end -= 1
    if start >= end or not any(c.isalpha() for c in doc[start:end].text):
        return None
    if not ent.id_ and all(t.is_lower for t in doc[start:end]):
        return None
    return Span(doc, start, end, label=label, span_id=ent.id_)


def name_head_extended(ent: Span, heads=frozenset()) -> Span:
    """A person's name the model cut short before its head ("Omar García" of "Omar García Harfuch"): while the
    span's last word is a compound of a capitalised proper noun right after it that no other entity has (not a
    stop word, nor an organisation or facility head of ``heads``: "Clinton Foundation"), the span takes that
    word."""
    doc, end = ent.doc, ent.end
    if ent.label_ != "PERSON":
        return ent
    while end < len(doc) and doc[end - 1].dep_ == "compound" and doc[end - 1].head.i >= end \
            and doc[end].pos_ == "PROPN" and doc[end].is_title and doc[end].is_alpha and not doc[end].is_stop \
            and not doc[end].ent_type_ and doc[end].lower_ not in heads:
        end += 1
    return ent if end == ent.end else Span(doc, ent.start, end, label=ent.label_, span_id=ent.id_)


def _title_word(tok) -> str:
    """A token as a title word: lower case, without a "then-"/"ex-"/"former" prefix ("then-president")."""
    low = tok.lower_
    for prefix in ("then-", "ex-", "acting-"):
        if low.startswith(prefix) and len(low) > len(prefix):
            return low[len(prefix):]
    return low


def word_sequences(words) -> tuple[tuple[str, ...], ...]:
    """Lower-case word tuples of a word list (entries of several words split as spaCy tokenises them:
    "local government area", "armed forces"), longest first."""
    seqs = {tuple(re.findall(r"[^\s-]+|-", str(w).lower())) for w in words}
    return tuple(sorted((q for q in seqs if q), key=len, reverse=True))


@lru_cache(maxsize=64)
def _by_word(sequences: tuple, last: bool) -> dict[str, tuple]:
    """The word tuples of ``sequences`` by their first (or last) word, longest first: a lookup instead of a
    scan of every sequence at every token."""
    out: dict[str, list] = defaultdict(list)
    for seq in sorted(sequences, key=len, reverse=True):
        out[seq[-1] if last else seq[0]].append(seq)
    return {w: tuple(v) for w, v in out.items()}


def sequence_at(doc, i: int, sequences) -> int:
    """The length of the longest of ``sequences`` (word tuples) that the tokens from ``i`` spell, else 0."""
    if i >= len(doc):
        return 0
    for seq in _by_word(tuple(sequences), False).get(doc[i].lower_, ()):
        if i + len(seq) <= len(doc) and all(doc[i + k].lower_ == w for k, w in enumerate(seq)):
            return len(seq)
    return 0


def suffix_length(span: Span, sequences) -> int:
    """The length of the longest of ``sequences`` that ends ``span`` ("Mafa Local Government" -> 2)."""
    if not len(span):
        return 0
    for seq in _by_word(tuple(sequences), True).get(span[-1].lower_, ()):
        if len(span) >= len(seq) and all(span[len(span) - len(seq) + k].lower_ == w for k, w in enumerate(seq)):
            return len(seq)
    return 0


def with_place_word(ent: Span, place_words) -> Span:
    """A name with the generic place word right after it ("Borno" + "state", "Indelimane" + "area", "Mafa"
    + "local government area"): the word is a place cue, so the name becomes a place, and it stays in the
    mention as written. ``place_words``: words or word tuples."""
    doc = ent.doc
    sequences = tuple(w if isinstance(w, tuple) else (w,) for w in place_words)
    n = sequence_at(doc, ent.end, sequences) if ent.end < len(doc) else 0
    if ent.id_ or not n or doc[ent.end].ent_type_:
        return ent
    if LABEL_TYPES.get(ent.label_) not in ("place", "group", "person"):
        return ent
    return Span(doc, ent.start, ent.end + n, label="GPE")


def particle_names(doc: Doc, ents: list[Span]) -> list[Span]:
    """A place name the model cut at a lower-case name particle it tags as part of the proper noun ("Maguindanao"
    + "del Sur", "Rio" + "de Janeiro"): the place runs on over the particle and the capitalised proper nouns
    after it, up to another name. The particle is told by the model's tag (PROPN) and case, not by a list."""
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = []
    for e in ents:
        end = e.end
        if LABEL_TYPES.get(e.label_) == "place" and not e.id_:
            k = end
            while k < len(doc) and doc[k].pos_ == "PROPN" and doc[k].is_lower and doc[k].is_alpha and k not in taken:
                k += 1
            j = k
            while k > end and j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].is_title and j not in taken:
                j += 1
            if j > k > end:
                e = Span(doc, e.start, j, label=e.label_)
        out.append(e)
    return out


def place_noun_names(doc: Doc, ents: list[Span], place_nouns: frozenset) -> list[Span]:
    """Names a generic place noun makes places: "the village of Koshobe", "the villages of Koshebe, Karkut,
    and Bulabulin" (every conjunct), "the capital Bamako" (the noun with "the" right before the name) and
    "Marawi, a city ..." (an appositive). A name the model tagged is relabelled, an untagged proper name in
    title case becomes one; listed names keep their type."""
    if not place_nouns:
        return ents
    by_start = {e.start: e for e in ents}
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = dict(by_start)

    def name_at(i: int) -> Span | None:
        if i in by_start:
            return by_start[i]
        end = i
        while end < len(doc) and end not in taken and doc[end].pos_ == "PROPN" and doc[end].is_title:
            end += 1
        return Span(doc, i, end, label="GPE") if end > i else None

    def make_place(e: Span) -> None:
        if not e.id_ and LABEL_TYPES.get(e.label_) in ("group", "person", "place"):
            out[e.start] = e if LABEL_TYPES.get(e.label_) == "place" else Span(doc, e.start, e.end, label="GPE")

    for i in positions(doc, place_nouns):
        tok = doc[i]
        if not tok.is_lower or i in taken or i + 1 >= len(doc):
            continue
        if doc[i + 1].lower_ == "of":
            j = i + 2
            while j < len(doc) and (e := name_at(j)) is not None:
                make_place(e)
                j = e.end
                while j < len(doc) and doc[j].lower_ in (",", "and"):
                    j += 1
        elif i > 0 and doc[i - 1].lower_ == "the" and (e := name_at(i + 1)) is not None:
            make_place(e)
    for e in ents:
        k = e.end
        if k + 2 < len(doc) and doc[k].text == "," and doc[k + 1].lower_ in ("a", "an", "the") and (
                doc[k + 2].lower_ in place_nouns or (k + 3 < len(doc) and doc[k + 2].pos_ == "ADJ"
                                                     and doc[k + 3].lower_ in place_nouns)):
            make_place(e)
    return sorted(out.values(), key=lambda e: e.start)


@lru_cache(maxsize=64)
def _hashes(words: frozenset) -> np.ndarray:
    return np.array([hash_string(w) for w in words], dtype=np.uint64)


def positions(doc: Doc, words) -> list[int]:
    """Indices of the tokens whose lower-case form is one of ``words`` (a vectorised scan, not a Python loop)."""
    if not len(doc) or not words:
        return []
    lower = doc.to_array([LOWER]).astype(np.uint64)
    return np.nonzero(np.isin(lower, _hashes(frozenset(words))))[0].tolist()


def place_cue_names(doc: Doc, ents: list[Span], place_words) -> list[Span]:
    """Unlisted names the model left untagged before a place word ("the Koshobe village", "Kati area")."""
    taken = {i for e in ents for i in range(e.start, e.end)}
    found = []
    for i in positions(doc, place_words):
        tok = doc[i]
        if tok.i in taken or not tok.is_lower:
            continue
        start = tok.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title and start - 1 not in taken \
                and not doc[start - 1].is_sent_start:
            start -= 1
        if start < tok.i:
            found.append(Span(doc, start, tok.i + 1, label="GPE"))
            taken.update(range(start, tok.i + 1))
    return found


def acronym_names(doc: Doc, ents: list[Span], not_acronyms=frozenset()) -> list[Span]:
    """Untagged acronyms ("ELN", "CJNG", "ECOWAS"): in news they name organisations. Only capitals of 2 to 8
    letters between words that are not in capitals (not a shouted headline), not stop words ("US", "IT"), and
    not abbreviations of other kinds (``not_acronyms``: units, times, weapons)."""
    taken = {i for e in ents for i in range(e.start, e.end)}
    found = []
    if not len(doc):
        return found
    arr = doc.to_array([IS_UPPER, IS_ALPHA, LENGTH])
    capitals = np.nonzero((arr[:, 0] == 1) & (arr[:, 1] == 1) & (arr[:, 2] >= 2) & (arr[:, 2] <= 8))[0].tolist()
    for tok in (doc[i] for i in capitals):
        if tok.i in taken or tok.is_stop:
            continue
        around = [doc[j] for j in (tok.i - 1, tok.i + 1) if 0 <= j < len(doc) and doc[j].is_alpha]
        if any(t.is_upper for t in around) or tok.is_sent_start and all(t.is_upper for t in around):
            continue
        if tok.text in not_acronyms:
            continue
        found.append(Span(doc, tok.i, tok.i + 1, label="ORG"))
    return found


def mention_rows(mentions: list[Mention], doc_id: str, sent_of: list[int]) -> list[dict]:
    """Rows of the mentions table; ``sent_of[token_index]`` is the sentence index of a token."""
    return [make_row("mentions", **{
        "doc_id": doc_id, "sent_idx": sent_of[m.start], "start_char": m.start_char, "end_char": m.end_char,
        "text": m.text, "label": m.label, "entity_type": m.entity_type, "entity_id": m.entity_id,
        "canonical_name": m.canonical_name, "link_method": m.link_method, "link_score": m.link_score})
        for m in mentions]


def entity_rows(mentions: list[dict], table: AliasTable | None = None, place_of=None) -> list[dict]:
    """The entities table, aggregated from all mention rows of the corpus; ``place_of(entity_id)`` gives the
    gazetteer place of a place entity (its country, division and coordinates)."""
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
    rows = []
    for eid, e in sorted(agg.items()):
        etype = types[eid].most_common(1)[0][0]
        place = place_of(eid) if place_of and etype == "place" else None
        rows.append(make_row("entities", **{
            **e, "canonical_name": names[eid].most_common(1)[0][0], "entity_type": etype,
            "aliases_seen": sorted(e["aliases_seen"]), "n_documents": len(docs[eid]), **geo_fields(place)}))
    return rows


def most_frequent_country(places) -> str | None:
    """The country code most of these places (gazetteer places or None) are in."""
    counts = Counter(p.country_code for p in places if p is not None)
    return counts.most_common(1)[0][0] if counts else None


def geo_fields(place) -> dict:
    """The geography columns of a gazetteer place (all empty for None)."""
    if place is None:
        return dict.fromkeys(("country_code", "admin1", "latitude", "longitude", "geonames_id", "feature"))
    return {"country_code": place.country_code, "admin1": place.admin1, "latitude": place.latitude,
            "longitude": place.longitude, "geonames_id": place.geonames_id, "feature": place.feature}


GEO_PRECISION = {"city": 1, "facility": 2, "other": 2, "admin1": 3, "country": 3}


def geocode_events(rows: list[dict], place_of) -> list[dict]:
    """Events with their location's country, division, coordinates and ACLED geo precision (1 the town itself,
    2 a part of a region or near a town, 3 a province or larger; ``location_feature`` says country-only)."""
    out = []
    for row in rows:
        place = place_of(row.get("location_id"))
        if place is not None:
            geo = geo_fields(place)
            row = {**row, **{k: geo[k] for k in ("country_code", "admin1", "latitude", "longitude")},
                   "geo_precision": GEO_PRECISION.get(place.feature, 2), "location_feature": place.feature}
        out.append(row)
    return out


def suggest_aliases(mentions: list[dict], table: AliasTable, top: int = 30, threshold: float = 80) -> list[str]:
    """Ready-to-paste alias-table rows: frequent unlinked names, their fuzzy neighbours and in-text acronyms."""
    new = Counter((m["canonical_name"], m["entity_type"]) for m in mentions
                  if m["link_method"] == "new" and m["entity_type"] != "nationality")
    acr = defaultdict(set)
    for m in mentions:
        if m["link_method"] == "acronym" and m["entity_id"] not in table.entries:
            acr[m["entity_id"]].add(m["text"])
    names = [n for (n, _), _ in new.most_common()]
    lines = ["# frequent unlinked names as rows of the alias table (id,name,type,aliases); check each type,",
             "# then paste the rows as they are: lines starting with '#' are comments the loader ignores"]
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
        lines.append(f"# {n} mentions" + (f"; close to listed {table.lookup(near[0]).name!r}" if near else ""))
        lines.append(f"{new_id(name)[2:]},{_csv(name)},{typ if typ in TYPE_LABELS else 'group'},"
                     f"{_csv('|'.join(aliases))}")
    return lines


def _csv(s: str) -> str:
    return f'"{s}"' if any(c in s for c in ',"') else s
