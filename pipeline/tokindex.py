"""Per-document lookups built once and kept with the Doc: its text, its sentences, and the lower-cased
forms and lemmas of its tokens as plain lists and per-span sets.

spaCy builds a new Token object every time a token is read (``doc[i]``, ``for t in span``), and ``Doc.text``
and ``Span.text`` read every token of the document or span; rules that ask "does any word of this sentence
belong to word class X" pay that for every sentence and every rule. These helpers answer from columns read
once per Doc (``Doc.to_array``; no Token objects), cached in ``doc.user_data`` under one private key, so every
stage shares them without changing what it is passed. A Doc's words never change after the parse, so the
cache cannot go stale; the entities set on the Doc (``doc.ents``) are not part of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:      # spaCy is imported where a Doc is first read, so the rule modules load without it
    from spacy.tokens import Doc, Span

_KEY = "_claimex_token_index"


class TokenIndex:
    """The lookups of one Doc: ``text``, ``texts[i]`` (``Token.text``), ``lower[i]`` (``Token.lower_``),
    ``lemma[i]`` (``Token.lemma_.lower()``), ``is_title[i]``; the sentences and every token's sentence bounds;
    and the sets of lower forms or lemmas of a token range (memoised)."""

    __slots__ = ("text", "texts", "lower", "lemma", "is_title", "_sents", "_bounds", "_lowers", "_lemmas")

    def __init__(self, doc: Doc):
        if len(doc):
            from spacy.attrs import IS_TITLE, LEMMA, LOWER, ORTH, SPACY

            cols = doc.to_array([ORTH, LOWER, LEMMA, IS_TITLE, SPACY])
            same, lowered = _string_tables(doc.vocab.strings)
            self.texts = _column(cols[:, 0].tolist(), same)
            self.lower = _column(cols[:, 1].tolist(), same)
            self.lemma = _column(cols[:, 2].tolist(), lowered)
            self.is_title = [bool(v) for v in cols[:, 3].tolist()]
            # Doc.text is every token's text and its trailing space (Token.whitespace_ is " " or "")
            self.text = "".join([t + " " if space else t for t, space in zip(self.texts, cols[:, 4].tolist())])
        else:
            self.texts, self.lower, self.lemma, self.is_title, self.text = [], [], [], [], doc.text
        self._sents: list[Span] | None = None
        self._bounds: tuple[list[int], list[int]] | None = None
        self._lowers: dict[tuple[int, int], frozenset] = {}
        self._lemmas: dict[tuple[int, int], frozenset] = {}

    def sents(self, doc: Doc) -> list[Span]:
        """``list(doc.sents)``, built once."""
        if self._sents is None:
            self._sents = list(doc.sents)
        return self._sents

    def sent_bounds(self, doc: Doc) -> tuple[list[int], list[int]]:
        """The first and the end token index of the sentence of every token (``doc[i].sent.start``/``.end``)."""
        if self._bounds is None:
            starts, ends = [], []
            for s in self.sents(doc):
                starts += [s.start] * len(s)
                ends += [s.end] * len(s)
            self._bounds = (starts, ends)
        return self._bounds

    def lowers(self, start: int, end: int) -> frozenset:
        """The lower-cased forms of tokens ``start``..``end`` (``{t.lower_ for t in doc[start:end]}``)."""
        return _words(self._lowers, self.lower, start, end)

    def lemmas(self, start: int, end: int) -> frozenset:
        """The lower-cased lemmas of tokens ``start``..``end`` (``{t.lemma_.lower() for t in doc[start:end]}``)."""
        return _words(self._lemmas, self.lemma, start, end)


def _words(cache: dict, column: list, start: int, end: int) -> frozenset:
    """The set of a column's values over ``start``..``end``, kept in ``cache`` by range."""
    got = cache.get((start, end))
    if got is None:
        got = cache[(start, end)] = frozenset(column[start:end])
    return got


class _Strings(dict):
    """hash -> string of a StringStore (``lower``: lower-cased), filled on first use; a dict read is many times
    cheaper than a StringStore read, and a corpus uses the same words again and again."""

    def __init__(self, strings, lower: bool):
        super().__init__()
        self.strings, self.lower = strings, lower

    def __missing__(self, h: int) -> str:
        s = self.strings[h]
        got = self[h] = s.lower() if self.lower else s
        return got


_TABLES: dict[int, tuple] = {}      # id(StringStore) -> (the store, kept so the id stays its own, tables)


def _string_tables(strings) -> tuple[_Strings, _Strings]:
    """The (as written, lower-cased) hash -> string tables of a StringStore, one pair per store."""
    got = _TABLES.get(id(strings))
    if got is None or got[0] is not strings:
        if len(_TABLES) > 4:           # one vocab per process in a run; tests make a few
            _TABLES.clear()
        got = _TABLES[id(strings)] = (strings, _Strings(strings, False), _Strings(strings, True))
    return got[1], got[2]


def _column(hashes: list[int], table: _Strings) -> list[str]:
    return [table[h] for h in hashes]


def token_index(doc: Doc) -> TokenIndex:
    """The Doc's :class:`TokenIndex`, built on first use and kept in ``doc.user_data``."""
    got = doc.user_data.get(_KEY)
    if got is None:
        got = doc.user_data[_KEY] = TokenIndex(doc)
    return got


def doc_text(doc: Doc) -> str:
    """``doc.text``, read once per Doc."""
    return token_index(doc).text


def span_text(span: Span) -> str:
    """``span.text`` (the characters from its first token to the end of its last, trailing space left out)."""
    return token_index(span.doc).text[span.start_char:span.end_char]


def span_lowers(span: Span) -> frozenset:
    """``{t.lower_ for t in span}``, memoised per Doc."""
    return token_index(span.doc).lowers(span.start, span.end)


def span_lemmas(span: Span) -> frozenset:
    """``{t.lemma_.lower() for t in span}``, memoised per Doc."""
    return token_index(span.doc).lemmas(span.start, span.end)


def span_columns(span) -> tuple[list[str], list[str]]:
    """``[t.lower_ for t in span]`` and ``[t.lemma_.lower() for t in span]`` (a Span or a whole Doc)."""
    if not hasattr(span, "start"):     # a whole Doc (a Span has its start)
        index = token_index(span)
        return index.lower, index.lemma
    index = token_index(span.doc)
    return index.lower[span.start:span.end], index.lemma[span.start:span.end]


def sent_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """``([doc[i].sent.start ...], [doc[i].sent.end ...])`` for every token, built once per Doc."""
    return token_index(doc).sent_bounds(doc)


def doc_sents(doc: Doc) -> list[Span]:
    """The Doc's sentences (``list(doc.sents)``), built once per Doc."""
    return token_index(doc).sents(doc)
