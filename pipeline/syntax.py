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
    if skip:
        idx = [t.i for t in verb.subtree if t.i not in skip]
        start, end = min(idx), max(idx) + 1
    else:               # the whole subtree: its first and last token are the verb's edges (no token read)
        start, end = verb.left_edge.i, verb.right_edge.i + 1
    return trimmed(verb.doc, start, end)


def trimmed(doc, start: int, end: int) -> tuple[int, int]:
    """A clause's token range without punctuation or space at either end, or a conjunction opening it."""
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space or doc[start].dep_ == "cc"):
        start += 1
    return start, end


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
