"""Who is this phrase: one resolver for event actors and claim speakers.

A phrase names an entity when a mention is at its head or in it (:meth:`Resolver.named`, with a demonym
standing for its country: "Pakistani forces"); a pronoun stands for the person or group named before
(:meth:`Resolver.pronoun`). A speaker phrase (:meth:`Resolver.speaker`) also resolves a capital, a
government office or "the Chinese side" to its country, a generic speaker ("the military") by the rule
file, "a spokesman for the group" and a role noun ("the minister") or pronoun to its antecedent
(:func:`antecedent`, one policy for all of them, from configs/lexicon.yaml). Words and windows come from configs/lexicon.yaml
and configs/claim_cues.yaml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .entities import Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .claims import Cues
    from .rules import Lexicon

PEOPLE = ("person", "group", "place")


def phrase_entity(tok: "Token", by_token, prefer=("group", "person", "place"), demonyms=None,
                  locative: bool = False, *, locatives: frozenset) -> Mention | None:
    """The entity a phrase names: the one at its head, else a group or person in it (not inside a
    locative phrase unless ``locative``, nor a mere possessor when there is another), or a place that is
    the phrase itself ("Pakistan signed"), or a demonym standing for its country."""
    head = by_token.get(tok.i)
    if head is not None and head.entity_type in prefer[:1]:
        return head
    found = []
    # what a relative clause says about the phrase is not the phrase ("the US, which designates the BLA")
    skip = {t.i for c in tok.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
    for t in tok.subtree:
        m = by_token.get(t.i)
        if not m or t.i in skip or m.entity_type not in prefer + ("nationality",) or m in found:
            continue
        prep = None if locative else locative_prep(t, locatives)
        if prep is not None and prep.lower_ != "from" and tok.i not in range(m.start, m.end):
            continue
        if m.entity_type == "place" and not (m.start <= tok.i < m.end or (
                t.head.i == tok.i and t.dep_ in ("poss", "compound"))):
            continue
        found.append(m)
    if head is not None and head in found:       # "ISIS-linked Amaq news agency": the phrase's own name first
        found.sort(key=lambda m: m is not head)
    possessors = {id(m) for m in found if tok.doc[m.end - 1].dep_ == "poss"
                  or (m.end < len(tok.doc) and tok.doc[m.end].dep_ == "case")}
    if len(found) > len(possessors):
        found = [m for m in found if id(m) not in possessors]
    for typ in prefer:
        for m in found:
            if m.entity_type == typ:
                return m
    for m in found:
        if m.entity_type == "nationality" and demonyms and m.text in demonyms:
            name = demonyms[m.text]
            return Mention(m.start, m.end, m.start_char, m.end_char, m.text, m.label, "place",
                           "", name, "demonym", 0.7)
    return None


def locative_prep(tok: "Token", locatives: frozenset) -> "Token | None":
    """The locative preposition (one of ``locatives``, lexicon.yaml) whose object contains this token, if any
    ("in Pakistan's Bolan district")."""
    t = tok
    for _ in range(4):
        if t.dep_ == "pobj" and t.head.lower_ in locatives:
            return t.head
        if t.head.i == t.i or t.dep_ not in ("compound", "poss", "amod", "appos", "pobj", "conj", "nmod", "case") \
                and not (t.dep_ == "prep" and t.lower_ == "of"):
            return None
        t = t.head
    return None


def resolve_pronoun(pron: "Token", by_token, lex, plural: bool = False, sent_of=None) -> Mention | None:
    """'he'/'she' -> a person; 'it'/'its' (and 'they' when ``plural``) -> a group (the pronouns of ``lex``,
    lexicon.yaml), found by :func:`antecedent` (the lexicon's policy; no speakers for event actors)."""
    low = pron.lower_
    groups = lex.group_pronouns | (lex.plural_pronouns if plural else frozenset())
    want = "person" if low in lex.person_pronouns else "group" if low in groups else None
    if want is None:
        return None
    return antecedent(pron, by_token, want, sent_of or _sentence_index(pron.doc), (), lex)


def _sentence_index(doc) -> list[int]:
    """Token index -> sentence number (when the caller has no sentence map)."""
    out = [0] * len(doc)
    for k, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            out[i] = k
    return out


ANTECEDENT_STEPS: dict = {}


def antecedent_step(name: str):
    """Register a step of the antecedent policy under ``name`` (the name lexicon.yaml lists)."""
    def add(fn):
        ANTECEDENT_STEPS[name] = fn
        return fn
    return add


@antecedent_step("same_title")
def _same_title(tok, window, earlier, rows, lex):
    """A role noun ("the minister said"): the last person named with that title word just before the name
    ("Interior Minister Mohsin Naqvi"), within ``lex.antecedent_title_tokens``; nothing for a pronoun."""
    doc, title = tok.doc, tok.lemma_.lower()
    if not title or tok.pos_ == "PRON" or tok.lower_ in lex.person_pronouns | lex.group_pronouns | lex.plural_pronouns:
        return None
    for m in reversed(earlier):
        if title in {t.lemma_.lower() for t in doc[max(0, m.start - lex.antecedent_title_tokens):m.start]}:
            return m
    return None


@antecedent_step("own_sentence")
def _own_sentence(tok, window, earlier, rows, lex):
    """One candidate in the pronoun's own sentence ("Mindanao State University is ..., it said"): it."""
    own = [m for m in window if m.start >= tok.sent.start]
    return own[-1] if own and len({m.entity_id for m in own}) == 1 else None


@antecedent_step("unique_in_window")
def _unique(tok, window, earlier, rows, lex):
    """The candidates of the window are one entity: its last mention."""
    return window[-1] if window and len({m.entity_id for m in window}) == 1 else None


@antecedent_step("last_speaker_in_window")
def _last_speaker_in_window(tok, window, earlier, rows, lex):
    """Of several candidates of the window, the one that spoke last."""
    ids = {m.entity_id for m in window}
    last = next((r["speaker_id"] for r in reversed(rows) if r["speaker_id"] in ids), None)
    return next((m for m in reversed(window) if m.entity_id == last), None) if last else None


@antecedent_step("nearest_in_window")
def _nearest_in_window(tok, window, earlier, rows, lex):
    """Of several candidates of the window, the one named last."""
    return window[-1] if window else None


@antecedent_step("last_speaker")
def _last_speaker(tok, window, earlier, rows, lex):
    """Nobody in the window: the last speaker of the wanted type named before."""
    if window:
        return None
    typed = {m.entity_id: m for m in earlier}
    last = next((r["speaker_id"] for r in reversed(rows) if r["speaker_id"] in typed), None)
    return typed.get(last)


@antecedent_step("nearest")
def _nearest(tok, window, earlier, rows, lex):
    """Nobody in the window: the last one of the wanted type named before."""
    return earlier[-1] if earlier and not window else None


def antecedent(tok: "Token", by_token, typ: str, sent_of, rows, lex) -> Mention | None:
    """The entity of type ``typ`` a pronoun, role noun or group reference at ``tok`` stands for: the steps of
    the lexicon's antecedent policy (``lex.antecedent_steps``) over the candidates named before it in its
    sentence and the ``lex.antecedent_window`` sentences before, in order; the first that finds one wins.
    ``rows``: the claims so far (whose speakers break ties), empty for event actors."""
    first = sent_of[tok.i] - lex.antecedent_window
    seen, earlier = set(), []
    for i, m in sorted(by_token.items()):
        if i < tok.i and (m.entity_type == typ or typ == "group" and m.label == "FAC") and id(m) not in seen \
                and i == m.start:
            seen.add(id(m))
            earlier.append(m)
    window = [m for m in earlier if sent_of[m.start] >= first]
    for name in lex.antecedent_steps:
        found = ANTECEDENT_STEPS[name](tok, window, earlier, rows, lex)
        if found is not None:
            return found
    return None


def person_titles(m: Mention, doc, title_tokens: int) -> set[str]:
    """The title words a person mention is given: the words just before the name ("Interior Minister Mohsin
    Naqvi", within ``title_tokens``, not past a verb or punctuation) and the words of the noun phrase the name
    is in apposition with ("The chief negotiator in peace talks, Otty Patiño"; "Otty Patiño, the peace
    negotiator")."""
    titles = set()
    for t in reversed(doc[max(0, m.start - title_tokens):m.start]):     # the words right before it, no verb
        if t.pos_ in ("VERB", "AUX") or t.pos_ == "PUNCT" and t.tag_ != "HYPH":    # "Secretary-General" goes on
            break
        titles.add(t.lemma_.lower())
    nouns = [t.head for t in doc[m.start:m.end] if t.dep_ == "appos" and not (m.start <= t.head.i < m.end)]
    nouns += [c for t in doc[m.start:m.end] for c in t.children if c.dep_ == "appos" and not (m.start <= c.i < m.end)]
    for noun in (n for n in nouns if n.pos_ == "NOUN"):
        titles.update(t.lemma_.lower() for t in noun.subtree if not (m.start <= t.i < m.end))
    return titles


def titled_person(tok: "Token", by_token, title_tokens: int, status_words: frozenset = frozenset()) \
        -> Mention | None:
    """A role noun ("the chief said", "the peace negotiator said"): the last person named before it with
    that title word and the role's modifiers ("interior minister" is not "prime minister"; :func:`person_titles`;
    words of an office-holder's status, ``status_words``, need no match: "the caretaker minister"),
    else the first person named after it with that title (a story may name the chief only later: "the police
    chief, Security Secretary Omar García Harfuch")."""
    title = {tok.lemma_.lower()} | {c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod")
                                    and c.lower_ not in status_words}
    people = sorted({id(m): m for m in by_token.values() if m.entity_type == "person"}.values(),
                    key=lambda m: m.start)
    titled = [m for m in people if not (m.start <= tok.i < m.end) and title <= person_titles(m, tok.doc, title_tokens)]
    before = [m for m in titled if m.end <= tok.i]
    if before:
        return before[-1]
    return next((m for m in titled if m.start > tok.i), None)


def described_role(tok: "Token") -> bool:
    """A role noun with words of its own ("the police commander in the region", "the peace negotiator"):
    it describes the person, and only a person given that title is it (no fallback to whoever was named
    last)."""
    return any(c.dep_ in ("compound", "amod", "prep", "nmod") for c in tok.children)


def name_before(tok: "Token", by_token, window: int, lower: int = 0, stop_at_punct: bool = True,
                nouns: frozenset | set = frozenset()) -> "Token | None":
    """The last token of a person or group named just before ``tok`` (or of a noun in ``nouns``), looking
    back at most ``window`` tokens and not past a verb (nor past punctuation when ``stop_at_punct``).
    For speakers and actors the parse hangs elsewhere ("..., Furrukh Khan, said")."""
    doc = tok.doc
    for t in reversed(doc[max(lower, tok.i - window):tok.i]):
        m = by_token.get(t.i)
        if m is not None and m.entity_type in ("person", "group"):
            return doc[m.end - 1]
        if t.pos_ == "NOUN" and t.lemma_.lower() in nouns:
            return t
        if t.pos_ == "VERB" or (stop_at_punct and t.is_punct):
            return None
    return None


def issuer(noun: "Token") -> "Token | None":
    """The subject of the verb whose "in" phrase a reporting noun is: who issued it ("the BLA claimed
    responsibility in an emailed statement that said ...")."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "in":
        return None
    verb = prep.head.head if prep.head.dep_ == "dobj" else prep.head     # "claimed responsibility in ..."
    if verb.pos_ != "VERB":
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)


def by_token_free(tok: "Token") -> bool:
    """A token without a capitalised word before it in its phrase (no name: "the extremist group")."""
    return not any(t.is_title and t.i < tok.i and t.dep_ != "det" for t in tok.subtree)


def doc_dep(m: Mention, head: "Token") -> str | None:
    """The relation of a mention to a head token it modifies, if it does."""
    doc = head.doc
    for i in range(m.start, m.end):
        if doc[i].head.i == head.i:
            return doc[i].dep_
    return None


class Resolver:
    """Who a phrase names, for event actors (:meth:`actor`) and claim speakers (:meth:`speaker`)."""

    def __init__(self, lexicon: "Lexicon", *, cues: "Cues | None" = None, aliases=None):
        self.lex = lexicon
        self.cues = cues
        self.aliases = aliases

    def named(self, tok: "Token", by_token, prefer=("group", "person", "place"), *, locative: bool = False,
              demonyms: bool = False) -> Mention | None:
        """The mention a phrase names (a demonym too when ``demonyms``: "Pakistani forces" -> Pakistan)."""
        return phrase_entity(tok, by_token, prefer, self.lex.demonyms if demonyms else None, locative,
                             locatives=self.lex.locative)

    def pronoun(self, tok: "Token", by_token, *, plural: bool = False) -> Mention | None:
        """The person or group a pronoun stands for ('they' only when ``plural``)."""
        return resolve_pronoun(tok, by_token, self.lex, plural)

    def actor(self, tok: "Token", by_token, prefer, *, blame: bool = False, country: Mention | None = None) \
            -> Mention | None:
        """An event actor: a subject "the government" (``country``: the article's country; "the government and
        the ELN began a ceasefire"), the mention the phrase names (demonyms too), else for a pronoun the one
        who reports the clause it is the subject of ("the military said they had killed 11 militants") or its
        antecedent ('they' only in a claim of blame: "they were behind the attack")."""
        found = self._country_speaker(tok, country) if self.cues is not None and tok.dep_ == "nsubj" else None
        if found is None:
            found = self.named(tok, by_token, prefer, demonyms=True)
        if found is None and tok.pos_ == "PRON":
            found = self._reporter(tok, by_token, prefer, country) or self.pronoun(tok, by_token, plural=blame)
        return found

    def _reporter(self, tok: "Token", by_token, prefer, country) -> Mention | None:
        """A pronoun subject of a clause reported by a verb of saying stands for that verb's subject, when it
        names someone ("the Philippine military said they had killed 11 militants", "the group said it
        carried out the attack")."""
        clause = tok.head
        verb = clause.head
        if tok.dep_ != "nsubj" or clause.dep_ != "ccomp" or verb.i == clause.i \
                or verb.lemma_.lower() not in self.cues.reporting_verbs:
            return None
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ == "PRON":
            return None
        return self.actor(subject, by_token, prefer, country=country)

    # speakers ---------------------------------------------------------------------------------------
    def speaker(self, tok: "Token | None", by_token, rows, sent_of, *, country: Mention | None = None) \
            -> Mention | None:
        """A claim's speaker: a person named at the phrase's head ("Mohammed Haruna, secretary of the
        association"), the owner of a statement or report ("a statement from the university"), a named mention (not of the people of a place: "a
        U.S. official"), a role noun's titled person or antecedent, a capital, office or "side" standing for
        its country, "the government" for the country the article is about (``country``), a generic
        speaker, or a group reference, a definite head noun or a pronoun resolved to its antecedent."""
        if tok is None:
            return None
        cues = self.cues
        person = self.named_person(tok, by_token)
        if person is not None:
            return person
        owner = self._document_owner(tok)
        if owner is not None:
            return self.speaker(owner, by_token, rows, sent_of, country=country)
        earlier = self._earlier_document(tok, rows)
        if earlier is not None:
            return earlier
        if any(c.dep_ == "poss" and c.lower_ in cues.country_speakers for c in tok.children):
            owned = self._country_speaker(tok, country)       # "the government's peace delegation called for"
            if owned is not None:
                return owned
        head = by_token.get(tok.i)
        if head is not None and any(c.dep_ == "conj" for c in tok.children):
            m = head        # "The United States, France and ECOWAS": the first named; the others are claims of their own
        else:
            m = self._speaker_mention(tok, by_token)
        if self._is_role(tok) and (m is None or m.entity_type == "place" and not (m.start <= tok.i < m.end)):
            # "the minister said": the person given that title, else (a bare role noun) the one just named
            person = titled_person(tok, by_token, self.lex.antecedent_title_tokens, cues.role_status_words)
            if person is None and not described_role(tok):
                person = self.antecedent(tok, by_token, rows, "person", sent_of)
            if person is not None:
                return person
        if m is not None and m.entity_type == "place" and not (m.start <= tok.i < m.end) \
                and tok.lemma_.lower() in cues.source_nouns and tok.lower_ not in cues.government_heads:
            return None     # "a U.S. official", "Pakistani police": the people, not the country
        if m is not None:
            return self._office_country(m, tok, by_token) or self._capital(m) or m
        return self._country_side(tok) or self._country_speaker(tok, country) or self._generic(tok) \
            or self._referent(tok, by_token, rows, sent_of) or self._head_noun_antecedent(tok, by_token)

    @staticmethod
    def named_person(tok: "Token", by_token) -> Mention | None:
        """The person a speaker phrase names by name, over the group or office of their title: the person at
        its head, a person in apposition or compound with its head ("The chairman of the African Union
        Commission, Moussa Faki Mahamat"; "AA spokesperson Khaing Thu Kha"), or the person a title of the
        phrase's organisation stands beside ("Mohammed Haruna, secretary of the Zabarmari Rice Farmers
        Association": the association's name is not the speaker)."""
        def person(t):
            m = by_token.get(t.i) if t is not None else None
            return m if m is not None and m.entity_type == "person" else None

        found = person(tok) or next((person(c) for c in tok.children if c.dep_ in ("appos", "compound")
                                     and person(c)), None)
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" and found is None):
            # "the Vice-president of the European Commission, Josep Barrel,": the name hung on the office
            found = next((person(a) for g in prep.children if g.dep_ == "pobj" for a in g.children
                          if a.dep_ == "appos" and person(a)), None)
        if found is None and tok.dep_ == "compound":
            found = person(tok.head)
        t = tok
        for _ in range(3):                     # tok -> "of" -> the title noun -> the person it is in apposition to
            if found is not None or t.head.i == t.i:
                break
            if t.dep_ == "appos":
                found = person(t.head)
            t = t.head
        return found

    def conjunct_speakers(self, tok: "Token", by_token, rows, sent_of, country=None) -> list[Mention]:
        """"The United States, France and ECOWAS condemned": each other coordinated speaker, resolved ("X and Y
        condemned" are several claims)."""
        out = []
        for t in tok.subtree:
            if t.dep_ == "conj" and t.i != tok.i and t.pos_ in ("PROPN", "NOUN"):
                m = self.speaker(t, by_token, rows, sent_of, country=country)
                if m is not None and m.entity_type != "nationality" and all(m.entity_id != o.entity_id or
                                                                             not m.entity_id for o in out):
                    out.append(m)
        return out

    def _document_owner(self, tok: "Token") -> "Token | None":
        """"A statement from the university", "the report by the UN", "Amaq's report", "a statement released by
        Amaq": a reporting noun speaks for its possessor, its "by"/"from"/"of" phrase or the agent of a participle
        on it, else for its issuer (:func:`issuer`)."""
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in self.cues.reporting_nouns:
            return None
        for c in tok.children:
            if c.dep_ == "poss" and c.pos_ != "PRON":
                return c
            if c.dep_ == "prep" and c.lower_ in self.cues.source_prepositions | {"of"}:
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None:
                    return obj
            if c.dep_ == "acl":         # "a statement released by Amaq"
                agent = next((g for g in c.children if g.dep_ == "agent"), None)
                obj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
                if obj is not None:
                    return obj
        return issuer(tok)

    def _earlier_document(self, tok: "Token", rows) -> Mention | None:
        """"The report claimed ...": a definite reporting noun with no owner is the document of the last claim
        reported with that word ("..., reported ISIS-linked Amaq news agency. The report claimed"): its speaker."""
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in self.cues.reporting_nouns or not any(
                c.dep_ == "det" and c.lower_ in self.lex.definite for c in tok.children):
            return None
        last = next((r for r in reversed(rows) if r["cue"] == tok.lemma_.lower() and r["speaker_name"]), None)
        if last is None or not last["speaker_id"]:
            return None
        return Mention(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok.text), tok.text, "RULE", "group",
                       last["speaker_id"], last["speaker_name"], "antecedent", 0.6)

    def _country_speaker(self, tok: "Token", country: Mention | None) -> Mention | None:
        """A bare "the government" (no country named with it) speaks for the country the article is about, and
        so does what it owns ("the government's peace delegation", "the government's spokesman")."""
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is not None and owner.lower_ in self.cues.country_speakers:
            tok = owner
        if country is None or tok.lower_ not in self.cues.country_speakers or any(
                c.dep_ in ("poss", "compound", "amod", "nmod") or c.dep_ == "prep" and c.lower_ == "of"
                for c in tok.children):
            return None     # "the government of Sudan", "the Malian government": the country named
        return Mention(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok.text), tok.text, "RULE", "place",
                       country.entity_id, country.canonical_name, "metonym", 0.7)

    def _head_noun_antecedent(self, tok: "Token", by_token) -> Mention | None:
        """"The university said": a definite noun that is the head word of a name given before ("Mindanao
        State University") stands for that name's entity (the last one named)."""
        if tok.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in self.lex.definite for c in tok.children):
            return None
        doc = tok.doc
        best = None
        for i, m in by_token.items():
            if i == m.end - 1 and m.end <= tok.i and m.entity_type in ("group", "place") and m.end - m.start > 1 \
                    and doc[i].lower_ == tok.lower_ and (best is None or m.start > best.start):
                best = m
        return best

    def _speaker_mention(self, tok: "Token", by_token) -> Mention | None:
        """The mention a speaker phrase names; none for people named by a group or place ("Baloch
        separatists", "critics of the Belt and Road")."""
        m = self.named(tok, by_token, PEOPLE, locative=True)
        if m is None:
            return None
        plural = tok.tag_ in ("NNS", "NNPS") or "Plur" in tok.morph.get("Number")
        via = locative_prep(tok.doc[m.start], self.lex.locative)
        group_of = m.entity_type == "group" and doc_dep(m, tok) in ("compound", "amod", "poss")
        if plural and not group_of and not (m.start <= tok.i < m.end) and by_token.get(tok.i) is None \
                and (via is None or via.lower_ not in self.cues.source_prepositions):
            return None
        return m

    def _is_role(self, tok: "Token") -> bool:
        """A definite singular role noun ("the minister"), not someone new ("an official")."""
        return tok.lemma_.lower() in self.cues.role_nouns and tok.tag_ in ("NN", "NNP") and not any(
            c.dep_ in ("poss", "appos") or c.lower_ in self.cues.new_person_determiners
            or (c.dep_ in ("amod", "compound") and c.text in self.lex.demonyms)       # "the Philippine president"
            for c in tok.children)

    def _office_country(self, m: Mention, tok: "Token", by_token) -> Mention | None:
        """"Pakistan's Foreign Office said": an unlisted government office stands for its country."""
        if m.entity_type != "group" or m.link_method != "new" or \
                tok.doc[m.end - 1].lower_ not in self.cues.government_offices:
            return None
        start = max(0, m.start - self.cues.windows["office_country_tokens"])
        return next((by_token[t.i] for t in tok.doc[start:m.start]
                     if t.i in by_token and by_token[t.i].entity_type == "place"), None)

    def _capital(self, m: Mention) -> Mention | None:
        """"Beijing reiterated": a capital speaks for its country."""
        if m.entity_type == "place" and m.canonical_name in self.lex.capitals:
            return self.stands_for(m, self.lex.capitals[m.canonical_name])
        return None

    def _country_side(self, tok: "Token") -> Mention | None:
        """"The Chinese side emphasized": a government head word with a demonym speaks for its country."""
        if tok.lower_ in self.cues.government_heads:
            demonym = next((c.text for c in tok.children if c.text in self.lex.demonyms), None)
            if demonym:
                return self.stands_for(None, self.lex.demonyms[demonym], tok)
        return None

    def _generic(self, tok: "Token") -> Mention | None:
        """"The military said": a generic speaker of the rule file, unmodified."""
        if tok.lower_ in self.cues.generic_speakers and not any(c.dep_ in ("poss", "compound", "amod")
                                                                for c in tok.children):
            return self.stands_for(None, self.cues.generic_speakers[tok.lower_], tok)
        return None

    def _referent(self, tok: "Token", by_token, rows, sent_of) -> Mention | None:
        """"A spokesman for the group", "he", "it", "the group": the antecedent named before."""
        groups = self.cues.group_pronouns
        for t in tok.subtree:
            if t.dep_ == "pobj" and " ".join(x.lower_ for x in t.subtree) in groups:
                group = self.antecedent(t, by_token, rows, "group", sent_of)
                if group is not None:
                    return group
        if tok.lower_ in self.lex.person_pronouns:
            return self.antecedent(tok, by_token, rows, "person", sent_of)
        if " ".join(t.lower_ for t in tok.subtree) in groups or tok.lower_ in groups or self._group_noun(tok):
            return self.antecedent(tok, by_token, rows, "group", sent_of)
        return None

    def _group_noun(self, tok: "Token") -> bool:
        """"The extremist group", "the armed outfit": a definite head noun of ``group_references`` with only
        adjectives before it refers back to a group, as "the group" does."""
        heads = {r.split()[-1] for r in self.lex.group_references}
        return tok.lower_ in heads and any(c.dep_ == "det" and c.lower_ in self.lex.definite for c in tok.children) \
            and all(c.dep_ in ("det", "amod", "compound") and c.is_lower for c in tok.children if c.i < tok.i) \
            and by_token_free(tok)

    def stands_for(self, m: Mention | None, name: str, tok: "Token | None" = None) -> Mention:
        """A mention standing for the entity called ``name`` (its alias-table id when listed)."""
        entry = self.aliases.lookup(name) if self.aliases else None
        eid = entry.id if entry else ""
        if m is not None:
            return Mention(m.start, m.end, m.start_char, m.end_char, m.text, m.label, "place", eid, name,
                           "metonym", 0.8)
        return Mention(tok.i, tok.i + 1, tok.idx, tok.idx + len(tok.text), tok.text, "RULE", "group", eid, name,
                       "metonym", 0.7)

    def antecedent(self, tok: "Token", by_token, rows, typ: str, sent_of) -> Mention | None:
        """The entity a pronoun, role noun or group reference speaker stands for (:func:`antecedent`, the
        one policy of lexicon.yaml; the claims so far break ties)."""
        return antecedent(tok, by_token, typ, sent_of, rows, self.lex)
