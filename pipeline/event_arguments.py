"""Arguments of an event: who did it to whom, where, when and with what toll, from the parse.

Each function takes what it reads (a trigger or the happening's triggers, the sentence or clause, the
token-to-mention map of the document context, the dates) and the :class:`~pipeline.events.Taxonomy`, and
returns a value: :func:`actor_target`, :func:`place`, :func:`np_date` / :func:`clause_date`,
:func:`casualties`; and the rules that shape a happening: :func:`claimant` (a claim of responsibility),
:func:`group` (triggers of one happening), :func:`state_action`.
"""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc, Span, Token

from .dates import NONE, DateValue
from .entities import Mention
from .resolve import Resolver, locative_prep, name_before
from .syntax import clause_bounds, clause_of, count_of, is_number, is_passive, number_value, phrase_text, related
from .tokindex import span_lemmas
from .triggers import Candidate


def claimant(tax, resolver: Resolver, sent: Span, by_token) -> Mention | None:
    """'The BLA claimed responsibility (for the attack)': the group that claims; 'the cartel was responsible
    (for the kidnapping)': the group held responsible."""
    blamed = held_responsible(tax, resolver, sent, by_token)
    if blamed is not None:
        return blamed
    if span_lemmas(sent).isdisjoint(tax.responsibility_verbs):     # no claiming verb: nothing to look at
        return None
    for t in sent:
        if t.lemma_.lower() in tax.responsibility_verbs and t.pos_ == "VERB" and any(
                c.lemma_.lower() in tax.responsibility_nouns or (c.dep_ in ("ccomp", "dobj") and any(
                    x.lower_ in tax.responsibility_blame_prepositions
                    or tax.noun_index.get(x.lemma_.lower()) in tax.violent_types
                    for x in c.subtree)) for c in t.children):
            # "claimed responsibility for multiple attacks" is a record, not one happening's claim
            fors = tax.responsibility_object_prepositions
            objects = [g for c in t.children for p in c.children if p.dep_ == "prep" and p.lower_ in fors
                       for g in p.children if g.dep_ == "pobj"] + \
                      [g for p in t.children if p.dep_ == "prep" and p.lower_ in fors
                       for g in p.children if g.dep_ == "pobj"]
            if any(g.tag_ == "NNS" and not any(d.lower_ in tax.lex.plural_definite for d in g.children)
                   for g in objects):
                continue
            subj = [c for c in t.children if c.dep_ in ("nsubj",)]
            for s in subj:
                m = resolver.named(s, by_token, ("group",), demonyms=True)
                if m:
                    return m
    return None


def held_responsible(tax, resolver: Resolver, sent: Span, by_token) -> Mention | None:
    """'X was responsible (for the attack)': the group named as subject of a copula with a responsibility
    adjective (``responsibility.adjectives``); 'the handiwork of X' (``responsibility.blame_nouns``); not negated."""
    lemmas = span_lemmas(sent)
    if lemmas.isdisjoint(tax.responsibility_adjectives) and lemmas.isdisjoint(tax.responsibility_blame_nouns):
        return None
    for t in sent:
        if t.lemma_.lower() in tax.responsibility_adjectives and t.dep_ == "acomp" and \
                not any(c.dep_ == "neg" for c in t.head.children):
            for s in (c for c in t.head.children if c.dep_ == "nsubj"):
                m = resolver.named(s, by_token, ("group", "person"), demonyms=False)
                if m:
                    return m
        if t.lemma_.lower() in tax.responsibility_blame_nouns and t.dep_ in ("attr", "nsubj", "dobj") and \
                not any(c.dep_ == "neg" for c in t.head.children):     # "it is the handiwork of Boko Haram"
            for g in (g for p in t.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children
                      if g.dep_ == "pobj"):
                m = resolver.named(g, by_token, ("group", "person"), demonyms=False)
                if m:
                    return m
    return None


def group(tax, cands: list[Candidate], by_token) -> list[tuple[str, Candidate, list[Candidate]]]:
    """One row per happening: violent triggers merge into the most specific type when one governs
    the other ("a suicide bombing ... killed five"); separate phrases ("a November 2024 bombing ...,
    an October 2024 attack ...") stay separate. State action against combatants is a
    military_operation of its own; other types give one row per type and sentence."""
    typed = []
    for c in cands:
        typ = c.type
        if typ in tax.state_action_types and state_action(tax, c, by_token):
            typ = "military_operation"
        typed.append(Candidate(c.token, typ, c.nominal))
    groups: list[list[Candidate]] = []
    for c in typed:
        for g in groups:
            violent = tax.violent_types
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
        typ = max(members, key=lambda c: tax.types[c.type].priority).type
        anchor = max(members, key=lambda c: (not c.nominal, c.type == typ, tax.types[c.type].priority))
        result.append((typ, anchor, members))
    return result


def state_action(tax, c: Candidate, by_token) -> bool:
    tok = c.token
    if c.nominal:
        # "a raid by the Counter Terrorism Department"
        subj = [g for ch in tok.children if ch.dep_ == "prep" and ch.lower_ in tax.agent_prepositions
                for g in ch.children]
    else:
        subj = [ch for ch in tok.children if ch.dep_ in ("nsubj",)] + \
               [a for ch in tok.children if ch.dep_ == "agent" for a in ch.children]
    for sj in subj:
        # words of the subject outside names of non-state groups ("Baloch Liberation Army" is no army)
        words = []
        for t in sj.subtree:
            m = by_token.get(t.i)
            if m is None or m.canonical_name.lower() in tax.state_forces:
                words.append(m.canonical_name if m and t.i == m.start else ("" if m else t.text))
        if has_words(" ".join(words), tax.state_forces):
            return True
    victims = [ch for ch in tok.children if ch.dep_ in ("dobj", "nsubjpass")]
    return c.type == "killing" and any(v.lemma_.lower() in tax.combatants for v in victims)


def has_words(text: str, words: list[str]) -> bool:
    padded = f" {text.lower()} "
    return any(f" {w} " in padded for w in words)


def actor_types(tax, typ: str) -> tuple[str, ...]:
    """Who does a happening of this type: officials meet and sign, groups attack."""
    return ("person", "group", "place") if typ in tax.official_types else ("group", "person", "place")


def actor_target(tax, c: Candidate, typ: str, by_token) -> tuple[Token | None, Token | None]:
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
            elif ch.dep_ == "prep" and ch.lower_ in tax.target_prepositions_verbal and target is None:
                target = next((g for g in ch.children if g.dep_ == "pobj"), None)
        if actor is None and passive:
            actor = combat_counterpart(tok, tax.lex.combat_nouns)
        up = tok
        while actor is None and up.dep_ in ("advcl", "conj", "xcomp") and not passive and up.head.i != up.i:
            up = up.head        # "..., marking 75 years and pledging deeper cooperation": the subject above
            actor = next((ch for ch in up.children if ch.dep_ == "nsubj"), None)
        if actor is None and not passive:
            # no subject in the parse ("..., Chairman ... Zhao Leji met in Beijing with ..."): the name
            # just before the verb
            actor = name_before(tok, by_token, window=tax.windows["actor_name_tokens"])
    else:
        for ch in tok.children:
            if ch.dep_ == "prep" and ch.lower_ in tax.agent_prepositions:
                actor = next((g for g in ch.children if g.dep_ == "pobj"), actor)
            elif ch.dep_ == "poss" or (ch.dep_ == "compound" and by_token.get(ch.i)):
                m = by_token.get(ch.i)
                if m and m.entity_type in ("group", "person"):
                    actor = ch
            elif ch.dep_ == "prep" and ch.lower_ in tax.party_prepositions and actor is None:
                # "a battle between the Islamic State and government forces": the first party, the second
                first = next((g for g in ch.children if g.dep_ == "pobj"), None)
                if first is not None:
                    actor = first
                    target = target or next((g for g in first.children if g.dep_ == "conj"), None)
            elif ch.dep_ == "prep" and ch.lower_ in tax.target_prepositions_nominal and target is None:
                target = next((g for g in ch.children if g.dep_ == "pobj"), None)
            elif ch.dep_ == "acl" and ch.lemma_.lower() in tax.responsibility_verbs:
                for a in ch.children:
                    if a.dep_ == "agent":
                        actor = next((g for g in a.children if g.dep_ == "pobj"), actor)
        head = tok.head
        if actor is None and tok.dep_ == "pobj" and head.lower_ in tax.responsibility_blame_prepositions:
            actor = next((ch for ch in head.head.children if ch.dep_ == "nsubj"), None)
        if actor is None and tok.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in tax.carry_out_verbs:
            actor = next((ch for ch in head.children if ch.dep_ == "nsubj"), None)
        if actor is None and typ not in tax.violent_types and tok.dep_ in ("dobj", "pobj", "xcomp", "attr"):
            verb = clause_of(tok)
            actor = next((ch for ch in verb.children if ch.dep_ == "nsubj"), None)
            if actor is None and verb.dep_ == "conj":      # "China condemned ... and extended an offer"
                actor = next((ch for ch in verb.head.children if ch.dep_ == "nsubj"), None)
    return actor, target


def combat_counterpart(verb: Token, combat_nouns: frozenset) -> Token | None:
    """A passive verb with no agent, killed or hurt "in clashes with X" ("11 of its members being killed in
    clashes with the Philippine army", "soldiers were wounded in a gunfight with militants"): the other side,
    X, did it."""
    for prep in verb.children:
        if prep.dep_ != "prep":
            continue
        for noun in (g for g in prep.children if g.dep_ == "pobj" and g.lemma_.lower() in combat_nouns):
            for w in noun.children:
                if w.dep_ == "prep" and w.lower_ == "with":
                    return next((g for g in w.children if g.dep_ == "pobj"), None)
    return None


def argument_text(tax, tok: Token | None) -> str | None:
    return phrase_text(tok, tax.windows["phrase_tokens"], tax.windows["phrase_tail_tokens"])


def scope(tax, doc: Doc, members: list[Candidate], sent: Span) -> Span:
    """The tokens that speak of one happening: the clause of its topmost trigger, or the phrase of a
    nominal trigger that is no subject."""
    top = min((m.token for m in members), key=lambda t: len(list(t.ancestors)))
    if top.pos_ == "VERB" or top.dep_ in ("nsubj", "nsubjpass") or len(members) > 1 and not all(
            m.nominal for m in members):
        verb = clause_of(top)
        start, end = clause_bounds(verb)
        for c in verb.children:     # "... were killed and 12 injured": the toll goes on in a coordinated verb
            if c.dep_ == "conj" and c.lemma_.lower() in tax.casualty_words_killed | \
                    tax.casualty_words_injured:
                start, end = min(start, c.left_edge.i), max(end, c.right_edge.i + 1)
    else:
        start, end = top.left_edge.i, top.right_edge.i + 1
    return doc[max(start, sent.start):min(end, sent.end)]


def casualties(tax, sent: Span, typ: str, members: tuple[int, ...] = ()) -> tuple[int | None, int | None, int | None]:
    """The dead, injured and hostages of a happening in its scope: victims of violence; of a state operation,
    the combatants it killed, else the people it killed by its own triggers ("an air strike killed 40 people":
    the kill word is a trigger of the operation or has one as its subject; ``members``: their token indices)."""
    killed = injured = hostages = None
    others_killed = others_injured = None
    military = typ in tax.violence_scene_types
    kill, injure, numbers = tax.casualty_words_killed, tax.casualty_words_injured, tax.lex.numbers
    for t in sent:
        lem = t.lemma_.lower()
        if lem in kill or lem in injure:
            n, combatant = victims(tax, t)
            if n is None:
                continue
            if combatant != military:
                verbs = [t, t.head] if t.dep_ == "conj" else [t]      # "... killed 40 people and injured 20"
                by_it = t.i in members or any(
                    c.dep_ in ("nsubj", "agent") and (c.i in members or any(g.i in members for g in c.children))
                    for v in verbs for c in v.children)
                if not (military and by_it):
                    continue
                if lem in kill:
                    others_killed = max(others_killed or 0, n)
                else:
                    others_injured = max(others_injured or 0, n)
                continue
            if lem in kill:
                killed = max(killed or 0, n)
            else:
                injured = max(injured or 0, n)
        elif lem in tax.casualty_words_hostages:
            for c in list(t.children) + [t.head]:
                v = number_value(c, numbers) if is_number(c, numbers) else None
                if v:
                    hostages = max(hostages or 0, v)
    if military and killed is None and injured is None:
        killed, injured = others_killed, others_injured
    return killed, injured, hostages


def victims(tax, t: Token) -> tuple[int | None, bool]:
    """Number of victims of a kill/injure word and whether they are combatants."""
    nouns = []
    numbers = tax.lex.numbers
    if t.pos_ == "VERB":
        passive = is_passive(t)
        for c in t.children:
            if (c.dep_ == "dobj" and not passive) or c.dep_ == "nsubjpass" or (
                    c.dep_ == "nsubj" and t.lemma_ in tax.intransitive_death_verbs):
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
        if v is not None:
            v += spelled_correction(n, numbers)
        if v is not None and not (n.tag_ in ("NN", "NNP") and v == 1
                                  and n.lemma_.lower() in tax.happening_nouns):
            head = n
            if is_number(n, numbers):     # "three of the attackers"
                head = next((g for p in n.children if p.dep_ == "prep" and p.lower_ == "of"
                             for g in p.children if g.dep_ == "pobj"), n)
            return v, head.lemma_.lower() in tax.combatants | tax.combatant_pronouns
    return None, False


def beyond_border(tax, head: Token) -> bool:
    """A place that names the other side of a boundary ("near the Burkina Faso border", "the border with
    Afghanistan") is the neighbour, not where the happening took place."""
    up = head.head
    if head.dep_ in ("compound", "poss", "amod", "nmod") and up.lemma_.lower() in tax.boundary_nouns:
        return True
    return head.dep_ == "pobj" and up.dep_ == "prep" and up.head.lemma_.lower() in tax.boundary_nouns


def victims_place(tax, sent: Span, trigger: Token, by_token) -> Mention | None:
    """With no locative phrase, the place that owns the victim or target of a violent happening or an arrest
    ("gunmen attacked Mexico City's police chief", "Mali's President was arrested") is where it happened."""
    if tax.verb_index.get(trigger.lemma_.lower(), tax.noun_index.get(trigger.lemma_.lower())) not in \
            set(tax.violent_types) | set(tax.owner_place_types):
        return None
    verb = clause_of(trigger)
    verbs = [trigger, verb] + [c for v in (trigger, verb) for c in v.children if c.dep_ == "conj"] + \
        [v.head for v in (trigger, verb) if v.dep_ == "conj"]      # "attacked and wounded X's police chief"
    heads = [c for v in verbs for c in v.children if c.dep_ in ("dobj", "nsubjpass")]
    for h in heads:
        for t in h.subtree:
            m = by_token.get(t.i)
            if m is not None and m.entity_type == "place" and t.i == m.end - 1 and t.dep_ == "poss" \
                    and sent.start <= t.i < sent.end:
                return m
    return None


def organisation_named(tax, m: Mention) -> bool:
    """A name headed by a word of the state forces ("Armed Forces", "the Frontier Police") names an organisation,
    not a place, whatever type it was given."""
    words = m.canonical_name.lower().split()
    return bool(words) and words[-1] in tax.state_forces


def place_in(tokens, by_token) -> Mention | None:
    """The first place mention among ``tokens`` (a subtree), if any."""
    return next((m for t in tokens if (m := by_token.get(t.i)) is not None and m.entity_type == "place"), None)


def destination(tax, trigger: Token, by_token) -> Mention | None:
    """Where forces are sent is where a deployment takes place ("reinforcements have been dispatched to the
    Indelimane area"): the place after a destination preposition of a deployment trigger."""
    if trigger.lemma_.lower() not in tax.deployment_triggers:
        return None
    for prep in trigger.children:
        if prep.dep_ == "prep" and prep.lower_ in tax.destination_prepositions:
            m = place_in(prep.subtree, by_token)
            if m is not None:
                return m
    return None


def site_of(tax, trigger: Token, by_token) -> Mention | None:
    """'The city of Marawi was the site of a battle': the subject of a copula whose complement is the site
    (``site_nouns``) of the nominal trigger."""
    of = trigger.head
    if trigger.dep_ != "pobj" or of.lower_ != "of" or of.head.lemma_.lower() not in tax.site_nouns:
        return None
    site = of.head
    if site.dep_ != "attr":
        return None
    for subj in (c for c in site.head.children if c.dep_ == "nsubj"):
        m = place_in(subj.subtree, by_token)
        if m is not None:
            return m
    return None


def phrase_place(tax, trigger: Token, by_token) -> Mention | None:
    """The place named in a nominal trigger's own phrase by a locative preposition ("the explosion at
    Mindanao State University", "the attack in Quetta")."""
    for prep in trigger.children:
        if prep.dep_ == "prep" and prep.lower_ in tax.lex.locative:
            for t in prep.subtree:
                m = by_token.get(t.i)
                if m is not None and m.entity_type == "place" and not beyond_border(tax, t.doc[m.end - 1]):
                    return m
    return None


def spelled_value(tok: Token, numbers: dict[str, int]) -> int | None:
    """A number written in words as the model splits it: "forty-three" (a tens word, a hyphen, a units word),
    "two dozen", "three hundred" (a count before a multiplier word), else the token's own value."""
    v = number_value(tok, numbers)
    if v is None:
        return None
    doc, i = tok.doc, tok.i
    if 0 < v < 10 and i >= 2 and doc[i - 1].text in ("-", "‐") and \
            (tens := numbers.get(doc[i - 2].lower_)) is not None and tens >= 20 and tens % 10 == 0 and tens < 100:
        return tens + v
    if v in (12, 100, 1000) and not tok.like_num and i >= 1 and (k := number_value(doc[i - 1], numbers)) and \
            doc[i - 1].i != i and k < v:
        return k * v
    return v


def spelled_correction(noun: Token, numbers: dict[str, int]) -> int:
    """What reading the numbers of a counted phrase as written in words adds to their token values
    (:func:`spelled_value`): "Forty-three were slaughtered" is 43, not 3."""
    toks = [noun] if is_number(noun, numbers) else [c for c in noun.children if c.dep_ == "nummod"][:1]
    return sum((spelled_value(t, numbers) or 0) - (number_value(t, numbers) or 0) for t in toks)


def container_of_several(tax, m: Mention, doc: Doc, by_token) -> Mention | None:
    """'In the villages of Koshebe, Karkut and Bulabulin in the Mafa local government area': a happening at
    several coordinated places took place in the place that holds them, when a locative phrase of the
    coordination (or of its head noun: "the villages ... in") names one; None when the place is one, or no
    container is named."""
    head = doc[m.end - 1]
    conjuncts = [head] + list(head.conjuncts)
    named = {id(x): x for c in conjuncts if (x := by_token.get(c.i)) is not None and x.entity_type == "place"}
    if len(named) < 2:
        return None
    holders = conjuncts + ([head.head.head] if head.head.lower_ == "of" else [])
    for c in holders:
        for prep in c.children:
            if prep.dep_ == "prep" and prep.lower_ in tax.lex.locative:
                found = place_in(prep.subtree, by_token)
                if found is not None and id(found) not in named:
                    return found
    return None


def located_places(tax, sent: Span, by_token) -> list[Mention]:
    """The places a sentence names in a locative phrase ("as they were driving in La Guajira province"), in
    text order; the other side of a border and organisations typed places left out."""
    doc = sent.doc
    found = {id(m): m for t in sent if (m := by_token.get(t.i)) is not None and m.entity_type == "place"
             and not m.nested}
    return [m for m in found.values() if not beyond_border(tax, doc[m.end - 1]) and not organisation_named(tax, m)
            and locative_prep(doc[m.start:m.end].root, tax.lex.locative) is not None]


def struck_place(tax, trigger: Token, m: Mention) -> bool:
    """'A military jet bombed Kyauk Ni Maw': the object of a verb that strikes only places
    (``place_struck_verbs``: bomb, shell, besiege ...) is a place, also when it is an unlisted name the model
    typed a person or a group."""
    return trigger.lemma_.lower() in tax.place_struck_verbs and m.link_method == "new" and \
        m.entity_type in ("person", "group")


def journey_place(tax, prep: Token, trigger: Token) -> bool:
    """A locative phrase of a journey or a stay (``journey_nouns``) that lies at another time than the happening
    (the noun is the object of one of ``away_prepositions``: "after a holiday in Thailand", "back from a trip to
    Lagos") says where someone went or stayed, not where the happening took place; "during a visit to Quetta"
    and the trigger's own phrase still place it."""
    noun = prep.head
    return noun.i != trigger.i and noun.lemma_.lower() in tax.journey_nouns and noun.dep_ == "pobj" and \
        noun.head.lower_ in tax.away_prepositions


def place(tax, clause: Span, sent: Span, trigger: Token, by_token, dateline=None) -> Mention | None:
    """The most specific named place in a locative phrase ('in', 'at', 'near' ...) of the clause, else
    of the sentence; places that are parties ("talks with Pakistan") are not locations."""
    doc = sent.doc
    verb = clause_of(trigger)
    if any(c.lower_ in tax.dateline_adverbs and c.dep_ == "advmod"
           for c in list(verb.children) + list(trigger.children)):
        return dateline        # "met ... here on Tuesday": the dateline's city
    if trigger.lemma_.lower() in tax.place_object_triggers:      # "they visited Bajaur": the place visited
        for c in trigger.children:
            m = by_token.get(c.i)
            if c.dep_ == "dobj" and m is not None and (m.entity_type == "place" or struck_place(tax, trigger, m)):
                return m
    sent_to = destination(tax, trigger, by_token)
    if sent_to is not None:
        return sent_to
    site = site_of(tax, trigger, by_token)
    if site is not None:
        return site
    for scope in (clause, sent):
        places = []
        for m in {id(m): m for t in scope if (m := by_token.get(t.i)) and m.entity_type == "place"}.values():
            if beyond_border(tax, doc[m.end - 1]) or organisation_named(tax, m):
                continue
            prep = locative_prep(doc[m.start:m.end].root, tax.lex.locative)
            if prep is not None and journey_place(tax, prep, trigger):
                continue
            head = doc[m.end - 1]
            visited = head.dep_ == "dobj" and head.head.lemma_.lower() in tax.visited_place_verbs
            if prep is not None or visited:     # "in Bolan", "while visiting Swat"
                direct = prep is not None and (prep.head.i == trigger.i or prep.head.i == verb.i)
                # the most specific: a town or an unlisted place before a province, a province before a country
                breadth = max(tax.broad_places.get(m.canonical_name.lower(), 0), getattr(m, "breadth", 0))
                places.append((breadth, not direct,
                               abs(m.start - trigger.i), m))
        if places:
            best = min(places, key=lambda x: x[:3])[3]
            return container_of_several(tax, best, doc, by_token) or best
    owner = victims_place(tax, sent, trigger, by_token)
    if owner is not None:
        return owner
    # an unlisted name the model typed otherwise, in a locative phrase of the clause ("near Thatta",
    # "outside the Karachi Press Club"), is the place
    for m in {id(m): m for t in clause if (m := by_token.get(t.i))}.values():
        if m.entity_type == "group" and m.link_method == "new" and \
                locative_prep(doc[m.start:m.end].root, tax.lex.locative) is not None:
            return m
    return None


def np_date(members: list[Candidate], dates) -> DateValue | None:
    """A date inside a nominal trigger's own phrase ("a November 2024 suicide bombing")."""
    for c in members:
        if c.nominal:
            lo = c.token.left_edge.i
            for ent, d in dates:
                if lo <= ent.start and ent.end <= c.token.i and d.method != "none":
                    return d
    return None


def statement_verb(tax, ent: Span) -> Token | None:
    """The verb of saying a date modifies ("officials said Thursday"), if it modifies one (a date of a
    nominal trigger's phrase, :func:`date_owner`, modifies none)."""
    if date_owner(tax, ent) is not None:
        return None
    tok = ent.root
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in tax.statement_verbs else None


def date_owner(tax, ent: Span) -> Token | None:
    """The happening noun whose own phrase holds a date ("the Friday attack", "Saturday's bombing", "the
    attack on Friday" when the parser puts the date under the noun): the nearest trigger noun above the date
    before any verb, or None."""
    tok = ent.root
    while tok.head.i != tok.i and tok.pos_ not in ("VERB", "AUX"):
        tok = tok.head
        if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in tax.noun_index:
            return tok
    return None


def others_date(tax, ent: Span, members) -> bool:
    """A date in the phrase of a happening noun that is none of this happening's triggers ("..., shortly after
    claiming the Friday attack": Friday dates the attack, not the blast reported before it)."""
    owner = date_owner(tax, ent)
    return owner is not None and owner.i not in {m.token.i for m in members}


def statement_date(tax, ent: Span, trigger: Token) -> bool:
    """A date that modifies a verb of saying other than the trigger ("..., officials said Thursday", "the group
    reported on Saturday") dates the statement, not the happening; so does one of a claim of, or a reference
    to, the happening in its object ("ISIS on Saturday claimed responsibility for the attack", "condemned on
    Sunday the bombing") and one between a verb of saying and its clause (:func:`reporting_adjunct`)."""
    verb = statement_verb(tax, ent)
    if verb is not None and verb.i != trigger.i:
        if clause_of(trigger).i != verb.i or verb.lemma_.lower() in tax.responsibility_verbs | tax.reference_heads:
            return True
    return reporting_adjunct(tax, ent) is not None or blame_date(tax, ent)


def blame_date(tax, ent: Span) -> bool:
    """'The government reported the ELN was responsible for the kidnapping earlier on Thursday': a date the
    parser attaches to a responsibility adjective (``responsibility.adjectives``) dates the blame, as one of a
    claim of responsibility dates the claim."""
    if date_owner(tax, ent) is not None:
        return False
    tok = ent.root
    while tok.head.i != tok.i and tok.pos_ not in ("VERB", "AUX"):
        tok = tok.head
        if tok.lemma_.lower() in tax.responsibility_adjectives:
            return True
    return False


def reporting_adjunct(tax, ent: Span) -> Token | None:
    """'The military said on Saturday they had killed 11 militants': a date right after a verb of saying (after
    its preposition) and right before the subject of that verb's complement clause, with no "that" between,
    dates the saying, whatever the parser attached it to. The verb of saying, or None."""
    doc = ent.doc
    i = ent.start - 1
    if i >= 0 and doc[i].pos_ == "ADP":
        i -= 1
    if i < 0 or doc[i].pos_ != "VERB" or doc[i].lemma_.lower() not in tax.statement_verbs or ent.end >= len(doc):
        return None
    verb = doc[i]
    clauses = [c for c in list(verb.children) + [ent.root.head] if c.dep_ == "ccomp" and c.head.i == verb.i]
    for clause in clauses:
        if any(s.dep_ in ("nsubj", "nsubjpass") and s.left_edge.i == ent.end for s in clause.children):
            return verb
    return None


def report_date(tax, sent: Span, trigger: Token, dates) -> DateValue | None:
    """A happening dated only by a dated claim of it or reference to it in its sentence ("ISIS on Saturday
    claimed responsibility for the attack", "condemned on Sunday the bombing": made after it) took place on
    that day or just before it (``windows.same_happening_days``): the month, or the year, that holds those
    days (method ``report``)."""
    from .dates import period_of

    after = tax.responsibility_verbs | tax.reference_heads
    for e, d in dates:
        if not (sent.start <= e.start and e.end <= sent.end and d.method in ("explicit", "relative")
                and d.precision == "day"):
            continue            # the cheap tests first: the tree walks below only for the sentence's day dates
        verb = statement_verb(tax, e)
        claimed = (verb is not None and verb.lemma_.lower() in after) or blame_date(tax, e)
        if claimed and statement_date(tax, e, trigger):
            start, precision = period_of(d.date - dt.timedelta(days=tax.windows["same_happening_days"]), d.date)
            return DateValue(start, precision, "report", d.text)
    return None


def duration(tax, ent: Span) -> bool:
    """A length of time, not a date: a count and units of time alone ("three years", "for five months")."""
    words = [t for t in ent if not t.is_punct]
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if after is not None and after.lower_ in tax.duration_shift_words:
        return False        # "a month after the attack", "two days later": a date counted from another
    return any(t.lower_ in tax.duration_units for t in words) and all(
        t.lower_ in tax.duration_units or t.like_num or t.lower_ in tax.lex.numbers or t.pos_ == "DET"
        for t in words)


def clause_date(tax, clause: Span, sent: Span, trigger: Token, dates, members=()) -> DateValue:
    """The date nearest the trigger in its clause, else in its sentence; dates of statements, of other
    happenings' phrases (:func:`others_date`; ``members``: this happening's candidates) and lengths of time left
    out; else the period a dated report of it gives (:func:`report_date`)."""
    members = members or [Candidate(trigger, "", False)]
    for scope in (clause, sent):
        found = [(e, d) for e, d in dates if scope.start <= e.start and e.end <= scope.end and d.method != "none"
                 and not statement_date(tax, e, trigger) and not duration(tax, e) and not others_date(tax, e, members)]
        if found:
            return min(found, key=lambda x: abs(x[0].start - trigger.i))[1]
    return report_date(tax, sent, trigger, dates) or NONE


def happening_actor_target(tax, resolver: Resolver, cand: Candidate, members: list[Candidate], typ: str, by_token,
                           country=None):
    """The actor (a mention, and the token it was found at) and the target of a happening: from the anchor
    trigger, else from its other triggers, the first that names an entity. A trigger is never its own
    actor or target ("a suicide bombing killed five": the bombing is the happening); a pronoun actor
    stands for a group only in a claim of blame ("they were behind the attack")."""
    actor_tok = target_tok = actor = None
    member_tokens = {m.token.i for m in members}
    for member in [cand] + [m for m in members if m is not cand]:
        a_tok, t_tok = actor_target(tax, member, typ, by_token)
        if a_tok is not None and a_tok.i in member_tokens:
            a_tok = None
        if t_tok is not None and (t_tok.ent_type_ in ("DATE", "TIME") or t_tok.i in member_tokens):
            t_tok = None
        target_tok = target_tok or t_tok
        found = None
        if a_tok is not None:
            blame = a_tok.head.lower_ in tax.lex.copulas and any(
                c.lower_ in tax.responsibility_blame_prepositions for c in a_tok.head.children)
            found = resolver.actor(a_tok, by_token, actor_types(tax, typ), blame=blame, country=country)
        actor_tok = actor_tok or a_tok
        if found is not None:
            actor, actor_tok = found, a_tok
            break
    target = resolver.named(target_tok, by_token, demonyms=True) if target_tok is not None else None
    return actor, actor_tok, target, target_tok
