"""Events stage: who did what to whom, where and when, from the dependency parse.

A parsed Doc and its linked mentions in, event rows out. Triggers, types and the word lists
that steer them are data in configs/event_types.yaml (:class:`Taxonomy`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from .context import DocContext
from .dates import NONE, DateValue
from .entities import Mention
from .event_discourse import Happening, Story, add_row, responsibility, shift_dates
from .event_modality import RULES as MODALITY_RULES, modality
from .rules import Lexicon, default_lexicon_path, load_lexicon, low, read_taxonomy
from .schemas import make_row
from .syntax import (clause_bounds, clause_of, count_of, is_number, is_passive, locative_prep, number_value,
                     name_before, phrase_entity, phrase_text, related, resolve_pronoun)
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


class EventExtractor:
    def __init__(self, taxonomy: Taxonomy, *, vocab=None):
        self.tax = taxonomy
        self.modality_rules = [MODALITY_RULES[name] for name in taxonomy.modality_rules]
        self._triggers = TriggerMatcher(taxonomy, vocab=vocab) if vocab is not None else None

    def triggers(self, doc: Doc) -> dict[int, list[Candidate]]:
        """The candidate triggers of a document by sentence start (the matcher is built on the first Doc's
        vocab when none was given)."""
        if self._triggers is None or self._triggers.vocab is not doc.vocab:
            self._triggers = TriggerMatcher(self.tax, vocab=doc.vocab)
        return self._triggers(doc)

    def modality(self, c: Candidate) -> str:
        """asserted | negated | hypothetical | hedged: the rules the rule file lists, in its order."""
        return modality(c, self.tax, self.modality_rules)

    def generic(self, c: Candidate) -> bool:
        """A nominal trigger that names a kind of happening, or refers back to one, rather than reporting it."""
        tok = c.token
        if not c.nominal:
            return any(ch.dep_ == "advmod" and ch.lower_ in self.tax.habitual_adverbs for ch in tok.children)
        head = tok.head
        if head.lower_ == "of" and head.head.lemma_.lower() in self.tax.generic_heads:
            return True
        if tok.dep_ == "pobj" and head.lower_ in self.tax.reference_preps and not any(
                ch.lower_ in self.tax.lex.indefinite for ch in tok.children):
            return True     # "after the attack" refers back; "after a raid by the CTD" reports one
        verb = head.head if tok.dep_ == "pobj" else head
        if tok.dep_ in ("dobj", "pobj") and verb.lemma_.lower() in self.tax.reference_heads:
            return True
        counted = tok.dep_ == "pobj" and head.lower_ == "of" and (head.head.like_num or head.head.lower_ in self.tax.counting_words)     # "hundreds of protesters"
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
        story, dates = Story(), ctx.dates
        candidates = self.triggers(ctx.doc)
        for sidx, sent in ctx.sentences:
            claimant = self._claimant(sent, ctx.by_token)
            if claimant:
                story = replace(story, rows=responsibility(story.rows, claimant, sidx, self.tax))
            dates = shift_dates(dates, sent, story.last_date)
            happenings = self.happenings(candidates.get(sent.start, ()), ctx.by_token)
            recent = bool(story.rows) and sidx - story.rows[-1]["sent_idx"] <= self.tax.windows["recent_sentences"]
            for h in happenings:
                row = self._row(ctx.doc, ctx.doc_id, sent, sidx, h.type, h.anchor, h.members, ctx.by_token, dates,
                                ctx.published, recent, ctx.dateline)
                if row is not None:
                    story = add_row(story, row, h, claimant, ctx.published, self.tax)
        return list(story.rows)

    def happenings(self, candidates, by_token) -> list[Happening]:
        """The happenings of a sentence: its candidates that are not generic, grouped."""
        cands = [c for c in candidates if not self.generic(c)]
        return [Happening(*g) for g in self._group(cands, by_token)] if cands else []

    def _claimant(self, sent: Span, by_token) -> Mention | None:
        """'The BLA claimed responsibility (for the attack)': the group that claims."""
        for t in sent:
            if t.lemma_.lower() in self.tax.responsibility_verbs and t.pos_ == "VERB" and any(
                    c.lemma_.lower() in self.tax.responsibility_nouns or (c.dep_ in ("ccomp", "dobj") and any(
                        x.lower_ in self.tax.responsibility_blame_prepositions
                        or self.tax.noun_index.get(x.lemma_.lower()) in self.tax.violent_types
                        for x in c.subtree)) for c in t.children):
                # "claimed responsibility for multiple attacks" is a record, not one happening's claim
                fors = self.tax.responsibility_object_prepositions
                objects = [g for c in t.children for p in c.children if p.dep_ == "prep" and p.lower_ in fors
                           for g in p.children if g.dep_ == "pobj"] + \
                          [g for p in t.children if p.dep_ == "prep" and p.lower_ in fors
                           for g in p.children if g.dep_ == "pobj"]
                if any(g.tag_ == "NNS" and not any(d.lower_ in self.tax.lex.plural_definite for d in g.children)
                       for g in objects):
                    continue
                subj = [c for c in t.children if c.dep_ in ("nsubj",)]
                for s in subj:
                    m = self._entity_in(s, by_token, prefer=("group",))
                    if m:
                        return m
        return None

    def _group(self, cands: list[Candidate], by_token) -> list[tuple[str, Candidate, list[Candidate]]]:
        """One row per happening: violent triggers merge into the most specific type when one governs
        the other ("a suicide bombing ... killed five"); separate phrases ("a November 2024 bombing ...,
        an October 2024 attack ...") stay separate. State action against combatants is a
        military_operation of its own; other types give one row per type and sentence."""
        typed = []
        for c in cands:
            typ = c.type
            if typ in self.tax.state_action_types and self._state_action(c, by_token):
                typ = "military_operation"
            typed.append(Candidate(c.token, typ, c.nominal))
        groups: list[list[Candidate]] = []
        for c in typed:
            for g in groups:
                violent = self.tax.violent_types
                if (c.type in violent) == (g[0].type in violent) and (c.type in violent or c.type == g[0].type) \
                        and any(related(c.token, m.token) for m in g):
                    g.append(c)
                    break
            else:
                groups.append([c])
        # "X was killed in a drone strike": a killing that is part of a state operation is its casualty
        ops = [g for g in groups if g[0].type == "military_operation"]
        for g in [g for g in groups if all(c.type == "killing" for c in g)]:
            op = next((o for o in ops if any(related(c.token, m.token) for c in g for m in o)), None)
            if op is not None:
                op.extend(Candidate(c.token, "military_operation", c.nominal) for c in g)
                groups.remove(g)
        result = []
        for members in groups:
            # the most specific type; the anchor is a verb where there is one ("a suicide bomber killed ...")
            typ = max(members, key=lambda c: self.tax.types[c.type].priority).type
            anchor = max(members, key=lambda c: (not c.nominal, c.type == typ, self.tax.types[c.type].priority))
            result.append((typ, anchor, members))
        return result

    def _state_action(self, c: Candidate, by_token) -> bool:
        tok = c.token
        if c.nominal:
            # "a raid by the Counter Terrorism Department"
            subj = [g for ch in tok.children if ch.dep_ == "prep" and ch.lower_ in self.tax.agent_prepositions
                    for g in ch.children]
        else:
            subj = [ch for ch in tok.children if ch.dep_ in ("nsubj",)] + \
                   [a for ch in tok.children if ch.dep_ == "agent" for a in ch.children]
        for sj in subj:
            # words of the subject outside names of non-state groups ("Baloch Liberation Army" is no army)
            words = []
            for t in sj.subtree:
                m = by_token.get(t.i)
                if m is None or m.canonical_name.lower() in self.tax.state_forces:
                    words.append(m.canonical_name if m and t.i == m.start else ("" if m else t.text))
            if self._has_words(" ".join(words), self.tax.state_forces):
                return True
        victims = [ch for ch in tok.children if ch.dep_ in ("dobj", "nsubjpass")]
        return c.type == "killing" and any(v.lemma_.lower() in self.tax.combatants for v in victims)

    @staticmethod
    def _has_words(text: str, words: list[str]) -> bool:
        padded = f" {text.lower()} "
        return any(f" {w} " in padded for w in words)

    def _entity_in(self, tok: Token, by_token, prefer=("group", "person", "place")) -> Mention | None:
        return phrase_entity(tok, by_token, prefer, self.tax.lex.demonyms, locatives=self.tax.lex.locative)

    def _actor_types(self, typ: str) -> tuple[str, ...]:
        """Who does a happening of this type: officials meet and sign, groups attack."""
        return ("person", "group", "place") if typ in self.tax.official_types else ("group", "person", "place")

    def _actor_target(self, c: Candidate, typ: str, by_token) -> tuple[Token | None, Token | None]:
        tok = c.token
        actor = target = None
        if not c.nominal:
            passive = is_passive(tok)
            for ch in tok.children:
                if ch.dep_ == "nsubj" and not passive:
                    actor = ch
                elif ch.dep_ == "agent":
                    actor = next((g for g in ch.children if g.dep_ == "pobj"), None)
                elif ch.dep_ == "nsubjpass" or (ch.dep_ == "dobj" and not passive):
                    target = target or ch
                elif ch.dep_ == "prep" and ch.lower_ in self.tax.target_prepositions_verbal and target is None:
                    target = next((g for g in ch.children if g.dep_ == "pobj"), None)
            up = tok
            while actor is None and up.dep_ in ("advcl", "conj", "xcomp") and not passive and up.head.i != up.i:
                up = up.head        # "..., marking 75 years and pledging deeper cooperation": the subject above
                actor = next((ch for ch in up.children if ch.dep_ == "nsubj"), None)
            if actor is None and not passive:
                # no subject in the parse ("..., Chairman ... Zhao Leji met in Beijing with ..."): the name
                # just before the verb
                actor = name_before(tok, by_token, window=self.tax.windows["actor_name_tokens"])
        else:
            for ch in tok.children:
                if ch.dep_ == "prep" and ch.lower_ in self.tax.agent_prepositions:
                    actor = next((g for g in ch.children if g.dep_ == "pobj"), actor)
                elif ch.dep_ == "poss" or (ch.dep_ == "compound" and by_token.get(ch.i)):
                    m = by_token.get(ch.i)
                    if m and m.entity_type in ("group", "person"):
                        actor = ch
                elif ch.dep_ == "prep" and ch.lower_ in self.tax.target_prepositions_nominal and target is None:
                    target = next((g for g in ch.children if g.dep_ == "pobj"), None)
                elif ch.dep_ == "acl" and ch.lemma_.lower() in self.tax.responsibility_verbs:
                    for a in ch.children:
                        if a.dep_ == "agent":
                            actor = next((g for g in a.children if g.dep_ == "pobj"), actor)
            head = tok.head
            if actor is None and tok.dep_ == "pobj" and head.lower_ in self.tax.responsibility_blame_prepositions:
                actor = next((ch for ch in head.head.children if ch.dep_ == "nsubj"), None)
            if actor is None and tok.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in self.tax.carry_out_verbs:
                actor = next((ch for ch in head.children if ch.dep_ == "nsubj"), None)
            if actor is None and typ not in self.tax.violent_types and tok.dep_ in ("dobj", "pobj", "xcomp", "attr"):
                verb = clause_of(tok)
                actor = next((ch for ch in verb.children if ch.dep_ == "nsubj"), None)
                if actor is None and verb.dep_ == "conj":      # "China condemned ... and extended an offer"
                    actor = next((ch for ch in verb.head.children if ch.dep_ == "nsubj"), None)
        return actor, target

    def _row(self, doc, doc_id, sent, sidx, typ, cand, members, by_token, dates, published,
             recent: bool, dateline: Mention | None) -> dict | None:
        tok = cand.token
        modality = self.modality(cand)
        spec = self.tax.types[typ]
        actor_tok = target_tok = actor = None
        member_tokens = {m.token.i for m in members}
        for member in [cand] + [m for m in members if m is not cand]:
            a_tok, t_tok = self._actor_target(member, typ, by_token)
            if a_tok is not None and a_tok.i in member_tokens:
                a_tok = None        # "a suicide bombing killed five": the bombing is the happening, not its actor
            if t_tok is not None and (t_tok.ent_type_ in ("DATE", "TIME") or t_tok.i in member_tokens):
                t_tok = None
            target_tok = target_tok or t_tok
            found = self._entity_in(a_tok, by_token, self._actor_types(typ)) if a_tok is not None else None
            if found is None and a_tok is not None and a_tok.pos_ == "PRON":
                # "they were behind the attack": a plural pronoun stands for a group only in a claim of blame
                found = resolve_pronoun(a_tok, by_token, self.tax.lex, plural=a_tok.head.lower_ in (
                    "be", "was", "were") and any(c.lower_ in self.tax.responsibility_blame_prepositions
                                                 for c in a_tok.head.children))
            actor_tok = actor_tok or a_tok
            if found is not None:
                actor, actor_tok = found, a_tok
                break
        target = self._entity_in(target_tok, by_token) if target_tok is not None else None
        verb = clause_of(tok)
        start, end = clause_bounds(verb)
        if end - start < 4:
            start, end = sent.start, sent.end
        clause = doc[start:end]
        killed = injured = hostages = None
        if self.tax.scene(typ) == "violence" or typ in self.tax.casualty_types:
            killed, injured, hostages = self._casualties(self._scope(doc, members, sent), typ)
        location = self._location(clause, sent, tok, by_token, dateline)
        date = self._np_date(members, dates) or self._date(clause, sent, tok, dates)
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
            "actor_text": self._phrase_text(actor_tok),
            "target_id": (target.entity_id or None) if target else None,
            "target_text": self._phrase_text(target_tok),
            "location_id": location.entity_id if location else None,
            "location_name": location.canonical_name if location else None,
            "date": date.date, "date_precision": date.precision, "date_text": date.text, "date_method": date.method,
            "killed": killed, "injured": injured, "hostages": hostages, "modality": modality,
            "confidence": round(min(confidence, 1.0), 2),
        })

    def _phrase_text(self, tok: Token | None) -> str | None:
        return phrase_text(tok, self.tax.windows["phrase_tokens"], self.tax.windows["phrase_tail_tokens"])

    def _scope(self, doc: Doc, members: list[Candidate], sent: Span) -> Span:
        """The tokens that speak of one happening: the clause of its topmost trigger, or the phrase of a
        nominal trigger that is no subject."""
        top = min((m.token for m in members), key=lambda t: len(list(t.ancestors)))
        if top.pos_ == "VERB" or top.dep_ in ("nsubj", "nsubjpass") or len(members) > 1 and not all(
                m.nominal for m in members):
            verb = clause_of(top)
            start, end = clause_bounds(verb)
            for c in verb.children:     # "... were killed and 12 injured": the toll goes on in a coordinated verb
                if c.dep_ == "conj" and c.lemma_.lower() in self.tax.casualty_words_killed | \
                        self.tax.casualty_words_injured:
                    start, end = min(start, c.left_edge.i), max(end, c.right_edge.i + 1)
        else:
            start, end = top.left_edge.i, top.right_edge.i + 1
        return doc[max(start, sent.start):min(end, sent.end)]

    def _casualties(self, sent: Span, typ: str) -> tuple[int | None, int | None, int | None]:
        killed = injured = hostages = None
        military = typ in self.tax.violence_scene_types
        kill, injure, numbers = self.tax.casualty_words_killed, self.tax.casualty_words_injured, self.tax.lex.numbers
        for t in sent:
            lem = t.lemma_.lower()
            if lem in kill or lem in injure:
                n, combatant = self._victims(t)
                if n is None or combatant != military:
                    continue
                if lem in kill:
                    killed = max(killed or 0, n)
                else:
                    injured = max(injured or 0, n)
            elif lem in self.tax.casualty_words_hostages:
                for c in list(t.children) + [t.head]:
                    v = number_value(c, numbers) if is_number(c, numbers) else None
                    if v:
                        hostages = max(hostages or 0, v)
        return killed, injured, hostages

    def _victims(self, t: Token) -> tuple[int | None, bool]:
        """Number of victims of a kill/injure word and whether they are combatants."""
        nouns = []
        numbers = self.tax.lex.numbers
        if t.pos_ == "VERB":
            passive = is_passive(t)
            for c in t.children:
                if (c.dep_ == "dobj" and not passive) or c.dep_ == "nsubjpass" or (c.dep_ == "nsubj" and t.lemma_ in self.tax.intransitive_death_verbs):
                    nouns.append(c)
            if not nouns and t.dep_ in ("amod", "acl") and t.head.pos_ in ("NOUN", "NUM"):
                nouns.append(t.head)
            if not nouns and not any(c.dep_ == "dobj" for c in t.children) and any(
                    c.dep_ == "nsubj" and is_number(c, numbers) for c in t.children):
                nouns += [c for c in t.children if c.dep_ == "nsubj"]      # "... and 12 injured"
            if not nouns and (passive or t.tag_ == "VBN"):
                subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
                nouns += subj
        else:   # "11 dead", "killed 13" parsed as a modifier, "deaths of five", "left 11 dead"
            if t.dep_ in ("oprd", "acomp", "xcomp", "ccomp") and t.head.pos_ == "VERB":
                nouns += [c for c in t.head.children if c.dep_ == "dobj"]
            for c in t.children:
                if is_number(c, numbers):
                    nouns.append(c)
            if is_number(t.head, numbers) or t.head.pos_ == "NOUN":
                nouns.append(t.head)
        for n in nouns:
            v = count_of(n, numbers)
            if v is not None and not (n.tag_ in ("NN", "NNP") and v == 1
                                      and n.lemma_.lower() in self.tax.happening_nouns):
                head = n
                if is_number(n, numbers):     # "three of the attackers"
                    head = next((g for p in n.children if p.dep_ == "prep" and p.lower_ == "of"
                                 for g in p.children if g.dep_ == "pobj"), n)
                return v, head.lemma_.lower() in self.tax.combatants | self.tax.combatant_pronouns
        return None, False

    def _location(self, clause: Span, sent: Span, trigger: Token, by_token, dateline=None) -> Mention | None:
        """The most specific named place in a locative phrase ('in', 'at', 'near' ...) of the clause, else
        of the sentence; places that are parties ("talks with Pakistan") are not locations."""
        doc = sent.doc
        verb = clause_of(trigger)
        if any(c.lower_ in self.tax.dateline_adverbs and c.dep_ == "advmod"
               for c in list(verb.children) + list(trigger.children)):
            return dateline        # "met ... here on Tuesday": the dateline's city
        if trigger.lemma_.lower() in self.tax.place_object_triggers:      # "they visited Bajaur": the place visited
            for c in trigger.children:
                m = by_token.get(c.i)
                if c.dep_ == "dobj" and m is not None and m.entity_type == "place":
                    return m
        for scope in (clause, sent):
            places = []
            for m in {id(m): m for t in scope if (m := by_token.get(t.i)) and m.entity_type == "place"}.values():
                prep = locative_prep(doc[m.start], self.tax.lex.locative)
                head = doc[m.end - 1]
                visited = head.dep_ == "dobj" and head.head.lemma_.lower() in self.tax.visited_place_verbs
                if prep is not None or visited:     # "in Bolan", "while visiting Swat"
                    direct = prep is not None and (prep.head.i == trigger.i or prep.head.i == verb.i)
                    places.append((self.tax.broad_places.get(m.canonical_name.lower(), 0), not direct,
                                   abs(m.start - trigger.i), m))
            if places:
                return min(places, key=lambda x: x[:3])[3]
        # an unlisted name the model typed otherwise, in a locative phrase of the clause ("near Thatta",
        # "outside the Karachi Press Club"), is the place
        for m in {id(m): m for t in clause if (m := by_token.get(t.i))}.values():
            if m.entity_type == "group" and m.link_method == "new" and \
                    locative_prep(doc[m.start], self.tax.lex.locative) is not None:
                return m
        return None

    @staticmethod
    def _np_date(members: list[Candidate], dates) -> DateValue | None:
        """A date inside a nominal trigger's own phrase ("a November 2024 suicide bombing")."""
        for c in members:
            if c.nominal:
                lo = c.token.left_edge.i
                for ent, d in dates:
                    if lo <= ent.start and ent.end <= c.token.i and d.method != "none":
                        return d
        return None

    def _date(self, clause: Span, sent: Span, trigger: Token, dates) -> DateValue:
        for scope in (clause, sent):
            found = [(e, d) for e, d in dates if scope.start <= e.start and e.end <= scope.end and d.method != "none"]
            if found:
                return min(found, key=lambda x: abs(x[0].start - trigger.i))[1]
        return NONE
