"""Events stage: who did what to whom, where and when, from the dependency parse.

A parsed Doc and its linked mentions in, event rows out. Triggers, types and the word lists
that steer them are data in configs/event_types.yaml (:class:`Taxonomy`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.tokens import Doc

from . import event_arguments as args
from .context import DocContext
from .event_discourse import (Aside, Happening, Marks, Story, add_row, carried_marks, consolidate, document_country,
                              elaborated, narrowed, on_story_day, responsibility, restated, several_victims, shift_dates)
from .event_modality import RULES as MODALITY_RULES, modality
from .resolve import Resolver
from .rules import Lexicon, default_lexicon_path, load_lexicon, low, read_taxonomy
from .schemas import make_row
from .syntax import clause_bounds, clause_of
from .tokindex import span_text
from .triggers import Candidate, TriggerMatcher

@dataclass
class TypeSpec:
    name: str
    cameo_root: str
    acled_type: str
    priority: int
    verbs: set
    nouns: set
    phrases: list


@dataclass
class Taxonomy:
    """configs/event_types.yaml, lower-cased, with the shared :class:`Lexicon`. Word lists are sets of
    lemmas or words, ``windows`` the window sizes by name."""
    types: dict[str, TypeSpec]
    words: dict[str, frozenset]       # every word list of the file by its key ("combatants", ...)
    state_forces: list[str]
    broad_places: dict                # lower-case name -> 2 (country, region) or 1 (province)
    windows: dict[str, int]
    lex: Lexicon
    modality_rules: tuple[str, ...] = ()          # names of the modality rules, in order
    modality_chain_rules: tuple[str, ...] = ()    # names of the rules head_chain tries, in order
    verb_index: dict = field(default_factory=dict)
    noun_index: dict = field(default_factory=dict)

    def __getattr__(self, key: str) -> frozenset:
        """A word list by its key in the rule file (``tax.combatants``)."""
        words = self.__dict__.get("words")
        if words is not None and key in words:
            return words[key]
        raise AttributeError(key)

    def scene(self, typ: str) -> str:
        """Happenings of one scene share a place: the violence and the response to it."""
        return "violence" if typ in self.violent_types or typ in self.violence_scene_types else typ


def _broad(spec: dict) -> dict[str, int]:
    return {**{p.lower(): 1 for p in spec["provinces"]}, **{p.lower(): 2 for p in spec["countries"]}}


def _words(data: dict, prefix: str = "") -> dict[str, frozenset]:
    """Every list of words in the file, nested ones by a joined key ("casualty_words.killed" ->
    "casualty_words_killed")."""
    out = {}
    for key, value in data.items():
        if isinstance(value, list):
            out[prefix + key] = low(value)
        elif isinstance(value, dict) and key not in ("types", "windows", "broad_places", "modality"):
            out.update(_words(value, f"{key}_"))
    return out


def load_taxonomy(path: str | Path, lexicon: Lexicon | None = None) -> Taxonomy:
    """configs/event_types.yaml, validated strictly; ``lexicon`` defaults to configs/lexicon.yaml beside it."""
    path = Path(path)
    data = read_taxonomy(path)
    lexicon = lexicon or load_lexicon(default_lexicon_path(path))
    types = data["types"]
    specs = {name: TypeSpec(name, t["cameo_root"], t["acled_type"], t["priority"], set(low(t["verbs"])),
                            set(low(t["nouns"])), [tuple(p.lower().split()) for p in t["phrases"]])
             for name, t in types.items()}
    tax = Taxonomy(specs, _words(data), [w.lower() for w in data["state_forces"]], _broad(data["broad_places"]),
                   dict(data["windows"]), lexicon, tuple(data["modality"]["rules"]),
                   tuple(data["modality"]["chain_rules"]))
    for spec in sorted(specs.values(), key=lambda s: s.priority):
        for v in spec.verbs:
            tax.verb_index[v] = spec.name
        for n in spec.nouns:
            tax.noun_index[n] = spec.name
    return tax


def most_named(mentions: list) -> object | None:
    """The mention (its first) of the entity named most often, when one is named more often than any other."""
    counts: dict[str, int] = {}
    first: dict = {}
    for m in mentions:
        counts[m.entity_id] = counts.get(m.entity_id, 0) + 1
        first.setdefault(m.entity_id, m)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return first[ranked[0][0]]


class EventExtractor:
    """Event rows of a document: trigger candidates (:class:`TriggerMatcher`) -> generic ones dropped ->
    happenings (grouped triggers) -> a row of arguments (pipeline/event_arguments.py) with its modality
    (pipeline/event_modality.py) -> the discourse passes (pipeline/event_discourse.py)."""

    def __init__(self, taxonomy: Taxonomy, *, vocab=None, resolver: Resolver | None = None, place_of=None):
        self.tax = taxonomy
        self.place_of = place_of        # entity id -> gazetteer place (pipeline/entities.Linker.place_of), or None
        self.resolver = resolver or Resolver(taxonomy.lex)
        self.modality_rules = [MODALITY_RULES[name] for name in taxonomy.modality_rules]
        self._triggers = TriggerMatcher(taxonomy, vocab=vocab) if vocab is not None else None
        self._modalities: dict | None = None      # (token index, type, nominal) -> modality, while a Doc is read

    def triggers(self, doc: Doc) -> dict[int, list[Candidate]]:
        """The candidate triggers of a document by sentence start (the matcher is built on the first Doc's
        vocab when none was given)."""
        if self._triggers is None or self._triggers.vocab is not doc.vocab:
            self._triggers = TriggerMatcher(self.tax, vocab=doc.vocab)
        return self._triggers(doc)

    def modality(self, c: Candidate) -> str:
        """asserted | negated | hypothetical | hedged: the rules the rule file lists, in its order (decided once
        per candidate while :meth:`extract` reads a Doc: a happening asks for its members' and its anchor's)."""
        if self._modalities is None:
            return modality(c, self.tax, self.modality_rules)
        key = (c.token.i, c.type, c.nominal)
        got = self._modalities.get(key)
        if got is None:
            got = self._modalities[key] = modality(c, self.tax, self.modality_rules)
        return got

    def generic(self, c: Candidate) -> bool:
        """A nominal trigger that names a kind of happening, or refers back to one, rather than reporting it."""
        tok = c.token
        if not c.nominal:
            return any(ch.dep_ == "advmod" and ch.lower_ in self.tax.habitual_adverbs for ch in tok.children)
        head = tok.head
        if tok.dep_ == "compound" and head.pos_ in ("NOUN", "PROPN") and \
                head.lemma_.lower() not in self.tax.noun_index:
            return True     # a modifier of a noun that is no trigger: "the rescue worker", "the coup leaders"
        if head.lower_ == "of" and head.head.lemma_.lower() in self.tax.generic_heads:
            return True
        if tok.dep_ == "pobj" and head.lower_ in self.tax.reference_preps and not any(
                ch.lower_ in self.tax.lex.indefinite for ch in tok.children):
            return True     # "after the attack" refers back; "after a raid by the CTD" reports one
        verb = head.head if tok.dep_ == "pobj" else head
        if tok.dep_ in ("dobj", "pobj") and verb.lemma_.lower() in self.tax.reference_heads:
            return True
        counted = tok.dep_ == "pobj" and head.lower_ == "of" and (
            head.head.like_num or head.head.lower_ in self.tax.counting_words)     # "hundreds of protesters"
        if tok.tag_ in ("NNS", "NNPS") and not counted and not any(
                ch.dep_ in ("det", "poss", "nummod") for ch in tok.children):
            reported = (tok.dep_ in ("nsubj", "nsubjpass") and head.tag_ in ("VBD", "VBN")
                        and head.lemma_.lower() in self.tax.happening_verbs)
            if not reported:
                return True
        if any(ch.lower_ in self.tax.generic_modifiers for ch in tok.children):
            return True
        return False

    # the rows ---------------------------------------------------------------
    def extract(self, ctx: DocContext) -> list[dict]:
        """The event rows of a document: per sentence, candidates -> happenings -> arguments (a row), then
        the discourse passes (pipeline/event_discourse.py) add it to the story told so far."""
        self._modalities = {}
        try:
            return self._extract(ctx)
        finally:
            self._modalities = None

    def _extract(self, ctx: DocContext) -> list[dict]:
        story, dates, marks, texts, claimants = Story(), ctx.dates, {}, {}, set()
        breadth = self.breadths(ctx.by_token)
        candidates = self.triggers(ctx.doc)
        for sidx, sent in ctx.sentences:
            texts[sidx] = span_text(sent)
            claimant = args.claimant(self.tax, self.resolver, sent, ctx.by_token)
            if claimant:
                claimants.add(claimant.entity_id)
                story = replace(story, rows=responsibility(story.rows, claimant, sidx, self.tax))
            dates = shift_dates(dates, sent, story.last_date)
            for c in candidates.get(sent.start, ()):
                if self.reference(c):
                    story = replace(story, rows=self.referred(story.rows, c, ctx.by_token, breadth))
            happenings = self.happenings(candidates.get(sent.start, ()), ctx.by_token)
            recent = bool(story.rows) and sidx - story.rows[-1]["sent_idx"] <= self.tax.windows["recent_sentences"]
            for h in happenings:
                row = self.row(ctx, sent, sidx, h, dates, recent)
                if row is not None:
                    marks[row["event_id"]] = self.marks(row, h, dates)
                    before, story = story.rows, add_row(story, row, h, claimant, ctx.published, self.tax, breadth)
                    marks = carried_marks(marks, before, story.rows, row)
        rows = on_story_day(consolidate(story.rows, marks, texts, frozenset(claimants), breadth, self.tax),
                            ctx.published, self.tax)
        if self.place_of is not None:       # without a gazetteer no row is elaborated: no asides to build
            near = {r["sent_idx"] + d for r in rows for d in (-1, 1)}
            rows = elaborated(rows, self.asides(ctx, {r["sent_idx"] for r in story.rows}, dates, near),
                              self.place_of, ctx.published, self.tax)
        return list(document_country(several_victims(rows, self.tax), self.country(ctx), self.tax, ctx.published))

    def country(self, ctx: DocContext) -> object | None:
        """The country the document is about: the country named most often (breadth 2), when one is named more
        often than any other; a country named as the other side of a border does not count. A document that
        names no country is about the place it names most often, when one is named more often than any other."""
        places = [m for m in ctx.mentions if m.entity_type == "place" and m.entity_id
                  and not args.beyond_border(self.tax, ctx.doc[m.end - 1])]
        countries = [m for m in places if getattr(m, "breadth", 0) == 2
                     or self.tax.broad_places.get(m.canonical_name.lower()) == 2]
        # no country named: the place named most often ("Mexico City" in a report from it)
        return most_named(countries or [m for m in places if not m.nested])

    def asides(self, ctx: DocContext, told: set, dates, near: set) -> dict[int, Aside]:
        """The sentences next to a row (``near``) that report no happening of their own (not in ``told``), with
        the places they name in locative phrases and their dates, by sentence index (only those that name a
        place)."""
        out = {}
        for sidx, sent in ctx.sentences:
            if sidx in told or sidx not in near:
                continue
            places = tuple(args.located_places(self.tax, sent, ctx.by_token))
            if places:
                out[sidx] = Aside(places, tuple(d for e, d in dates if sent.start <= e.start < sent.end))
        return out

    def breadths(self, by_token) -> dict[str, int]:
        """How broad each place of the document is, by entity id: 2 a country or region, 1 a province, 0 a town
        or a place of unknown breadth, -1 a named facility (a university, an airport: inside a town)."""
        out: dict[str, int] = {}
        for m in by_token.values():
            if m.entity_type == "place" and m.entity_id:
                b = max(self.tax.broad_places.get(m.canonical_name.lower(), 0), getattr(m, "breadth", 0) or 0)
                if b == 0 and m.label == "FAC":
                    b = -1
                prev = out.get(m.entity_id, b)
                # a facility named once as such ("Mindanao State University", then "MSU") stays a facility
                out[m.entity_id] = max(prev, b) if max(prev, b) > 0 else min(prev, b)
        return out

    def marks(self, row: dict, h: Happening, dates=()) -> Marks:
        """What the consolidation pass needs to know of a new row beyond its columns: whether it gave a date of
        its own, whether it is marked as another happening ("another attack") and whether its date is a day
        word (``dates``: the document's dates and their values)."""
        new = any(ch.lower_ in self.tax.lex.new for c in h.members for ch in c.token.children)
        own = row["date_method"] in ("explicit", "relative")
        deictic = own and any(d.deictic and d.text == row["date_text"] and d.date == row["date"] for _, d in dates)
        definite = h.anchor.nominal and any(ch.lower_ in self.tax.lex.definite for ch in h.anchor.token.children)
        return Marks(own, row["location_id"] is not None, new, deictic, definite)

    def reference(self, c: Candidate) -> bool:
        """A definite nominal trigger that refers back to a happening rather than reporting one ("investigating
        the explosion at the university", "after the attack in Quetta")."""
        tok = c.token
        if not c.nominal or not any(ch.lower_ in self.tax.lex.definite for ch in tok.children):
            return False
        head = tok.head
        verb = head.head if tok.dep_ == "pobj" else head
        return (tok.dep_ == "pobj" and head.lower_ in self.tax.reference_preps) or (
            tok.dep_ in ("dobj", "pobj") and verb.lemma_.lower() in self.tax.reference_heads)

    def referred(self, rows: tuple, c: Candidate, by_token, breadth: dict) -> tuple:
        """What a reference adds to the happening it refers to: the place named in its own phrase ("the
        explosion at Mindanao State University"), and its span."""
        place = args.phrase_place(self.tax, c.token, by_token)
        if place is None:
            return rows
        probe = {"date_method": "none", "date": None, "location_id": place.entity_id}
        k = restated(rows, probe, Happening(c.type, c, [c]), self.tax)
        if k is None:
            return rows
        span = [c.token.left_edge.idx, c.token.right_edge.idx + len(c.token.right_edge)]
        return rows[:k] + (narrowed(rows[k], place, span, breadth),) + rows[k + 1:]

    def happenings(self, candidates, by_token) -> list[Happening]:
        """The happenings of a sentence: its candidates that are not generic, grouped, each told by what it
        asserts (:meth:`asserted_part`)."""
        cands = [c for c in candidates if not self.generic(c)]
        return [self.asserted_part(Happening(*g)) for g in args.group(self.tax, cands, by_token)] if cands else []

    def asserted_part(self, h: Happening) -> Happening:
        """A happening told partly as a fear or a plan ("15 farmers were killed and several others feared
        abducted") is what it asserts: its type the most specific among its asserted triggers, one of them its
        anchor (so its modality); all its triggers still give its arguments."""
        told = [m for m in h.members if self.modality(m) in ("asserted", "hedged")]
        if not told or len(told) == len(h.members) or self.modality(h.anchor) in ("asserted", "hedged"):
            return h
        typ = max(told, key=lambda c: self.tax.types[c.type].priority).type
        anchor = max(told, key=lambda c: (not c.nominal, c.type == typ, self.tax.types[c.type].priority))
        return Happening(typ, anchor, h.members)     # the others still name its actor, place and toll

    def row(self, ctx: DocContext, sent, sidx: int, h: Happening, dates, recent: bool) -> dict | None:
        """The row of one happening: its arguments from the clause of its anchor trigger (else the
        sentence); None for a nominal trigger with nothing to anchor it (a reference, not a report), or a
        verb that is neither past nor anchored."""
        doc, doc_id, by_token, typ, cand, members = ctx.doc, ctx.doc_id, ctx.by_token, h.type, h.anchor, h.members
        tok = cand.token
        modality = self.modality(cand)
        spec = self.tax.types[typ]
        actor, actor_tok, target, target_tok = args.happening_actor_target(self.tax, self.resolver, cand, members,
                                                                           typ, by_token, ctx.country)
        verb = clause_of(tok)
        start, end = clause_bounds(verb)
        if end - start < self.tax.windows["min_clause_tokens"]:
            start, end = sent.start, sent.end
        clause = doc[start:end]
        killed = injured = hostages = None
        if self.tax.scene(typ) == "violence" or typ in self.tax.casualty_types:
            killed, injured, hostages = args.casualties(self.tax, args.scope(self.tax, doc, members, sent), typ,
                                                        tuple(m.token.i for m in members))
        location = args.place(self.tax, clause, sent, tok, by_token, ctx.dateline)
        if location is not None and args.organisation_named(self.tax, location):
            location = None     # "Mali's Armed Forces" typed a place is an organisation
        date = args.np_date(members, dates) or args.clause_date(self.tax, clause, sent, tok, dates, members)
        # a nominal trigger with nothing to anchor it is a reference, not a report
        anchored = (any(x is not None for x in (actor, location, killed, injured, hostages))
                    or date.method != "none" or recent)
        if cand.nominal and not anchored:
            return None
        if not cand.nominal and not anchored and tok.tag_ not in ("VBD", "VBN"):
            return None
        confidence = 0.4 + 0.15 * (actor is not None) + 0.15 * (date.method != "none") + \
            0.15 * (location is not None) + 0.15 * (not cand.nominal)
        return make_row("events", **{
            "event_id": f"{doc_id}-{sidx}-{tok.idx}", "doc_id": doc_id, "sent_idx": sidx,
            "start_char": clause.start_char, "end_char": clause.end_char, "trigger": tok.text,
            "event_type": typ, "cameo_root": spec.cameo_root, "acled_type": spec.acled_type,
            "actor_id": (actor.entity_id or None) if actor else None,
            "actor_name": actor.canonical_name if actor else None,
            "actor_text": args.argument_text(self.tax, actor_tok),
            "target_id": (target.entity_id or None) if target else None,
            "target_text": args.argument_text(self.tax, target_tok),
            "location_id": location.entity_id if location else None,
            "location_name": location.canonical_name if location else None,
            "date": date.date, "date_precision": date.precision, "date_text": date.text, "date_method": date.method,
            "killed": killed, "injured": injured, "hostages": hostages, "modality": modality,
            "confidence": round(min(confidence, 1.0), 2),
            # filled by later stages: the location's geography (geocode_events) and the happening (run's end)
            "country_code": None, "admin1": None, "latitude": None, "longitude": None, "geo_precision": None,
            "location_feature": None, "happening_id": None,
            "also_spans": [], "killed_text": sent.text if killed is not None else None,
        })
