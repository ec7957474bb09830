"""Helpers on the dependency parse shared by the events and claims stages.

Tokens are compared by index (``t.i``): spaCy makes a new Token object at each access.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .entities import Mention

def number_value(tok: Token, numbers: dict[str, int]) -> int | None:
    """The value of a number token: digits, or a number word of ``numbers`` (lexicon.yaml)."""
    text = tok.text.lower().replace(",", "")
    if text.isdigit():
        return int(text)
    return numbers.get(text)


def is_number(tok: Token, numbers: dict[str, int]) -> bool:
    return tok.like_num or tok.lower_ in numbers


def count_of(noun: Token, numbers: dict[str, int]) -> int | None:
    """How many people a noun phrase denotes: '20 miners' = 20; 'five engineers and their driver' = 6."""
    def one(n: Token) -> int | None:
        if is_number(n, numbers):
            return number_value(n, numbers)
        for c in n.children:
            if c.dep_ == "nummod":
                v = number_value(c, numbers)
                if v is not None:
                    return v
        if n.tag_ in ("NN", "NNP") and n.lemma_.lower() not in ("people", "person"):
            return 1 if n.pos_ in ("NOUN", "PROPN") else None
        return None

    total = one(noun)
    if total is None:
        return None
    for c in noun.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "NUM"):
            v = one(c)
            if v is None:
                return total
            total += v
    return total


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def subtree_span(tok: Token) -> Span:
    return tok.doc[tok.left_edge.i: tok.right_edge.i + 1]


def clause_of(tok: Token) -> Token:
    """The verb heading the clause a token is in."""
    t = tok
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT" or t.head.i == t.i:
            return t
        t = t.head
    return t


def clause_bounds(verb: Token) -> tuple[int, int]:
    """Token range of a clause: the verb's subtree without coordinated clauses."""
    skip = set()
    for c in verb.children:
        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
            skip.update(t.i for t in c.subtree)
            skip.update(x.i for x in verb.children if x.dep_ == "cc" and x.i < c.i)
    idx = [t.i for t in verb.subtree if t.i not in skip]
    start, end = min(idx), max(idx) + 1
    doc = verb.doc
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space or doc[start].dep_ == "cc"):
        start += 1
    return start, end


# -- the stage -----------------------------------------------------------------


def phrase_entity(tok: Token, by_token, prefer=("group", "person", "place"), demonyms=None,
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


def locative_prep(tok: Token, locatives: frozenset) -> Token | None:
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


def governs(top: Token, t: Token) -> bool:
    """``top`` is an ancestor of ``t`` by a path without coordination or apposition."""
    while t.head.i != t.i:
        if t.dep_ == "appos" or (t.dep_ == "conj" and t.pos_ in ("NOUN", "PROPN")):
            return False    # list items are separate happenings; coordinated verbs ("killed and injured") are not
        t = t.head
        if t.i == top.i:
            return True
    return False


def related(a: Token, b: Token) -> bool:
    """One token governs the other, or both are arguments of the same clause verb."""
    return governs(a, b) or governs(b, a) or clause_of(a).i == clause_of(b).i and (
        a.dep_ in ("nsubj", "nsubjpass", "dobj") or b.dep_ in ("nsubj", "nsubjpass", "dobj"))


def resolve_pronoun(pron: Token, by_token, lex, plural: bool = False) -> Mention | None:
    """'he'/'she' -> the last person named before; 'it'/'its' (and 'they' when ``plural``) -> the last group
    (the pronouns of ``lex``, lexicon.yaml)."""
    low = pron.lower_
    groups = lex.group_pronouns | (lex.plural_pronouns if plural else frozenset())
    want = "person" if low in lex.person_pronouns else "group" if low in groups else None
    if want is None:
        return None
    best = None
    for i, m in by_token.items():
        if i < pron.i and m.entity_type == want and (best is None or m.start > best.start):
            best = m
    return best


def phrase_text(tok: Token | None, max_tokens: int, tail_tokens: int) -> str | None:
    """The text of a token's phrase; one longer than ``max_tokens`` is cut to ``tail_tokens`` before its head."""
    if tok is None:
        return None
    span = subtree_span(tok)
    text = span.text if len(span) <= max_tokens else tok.doc[max(span.start, tok.i - tail_tokens): tok.i + 1].text
    return text.strip() or None


def token_mentions(mentions: list[Mention]) -> dict[int, Mention]:
    """Token index -> the mention covering it."""
    return {i: m for m in mentions for i in range(m.start, m.end)}


def name_before(tok: Token, by_token, window: int, lower: int = 0, stop_at_punct: bool = True,
                nouns: frozenset | set = frozenset()) -> Token | None:
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
