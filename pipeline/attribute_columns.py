"""The model's attribute ruler, matched by columns: the same annotations, a fraction of the cost.

A trained English pipeline maps its fine-grained tags to coarse parts of speech and morphology with an
``attribute_ruler`` of a few hundred token patterns (en_core_web_sm: 179, 171 of them one token long, all of them plain tests of token attributes). spaCy's
Matcher tries every pattern at every token, which made it 12 % of the small model's parse. A pattern whose
tokens test plain token attributes against values (``{"TAG": "NN"}``, ``{"LOWER": {"IN": [...]}, "TAG": "IN"}``,
``{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}``, ``[{"LOWER": "gon"}, {"LOWER": "na"}]``) is a test on the Doc's
columns, so it is decided here for all tokens at once with numpy over ``Doc.to_array`` (a regular expression
once per distinct string). Every other pattern (operators, MORPH, extension attributes) goes to a Matcher as
before. The matches, sorted the ruler's way (a later rule wins), are
then set by the ruler's own ``set_annotations``, so what a token ends up with is what the stock ruler gives it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

#: string attributes compared by their hash, and boolean flags compared as 0/1: what Doc.to_array gives the
#: Matcher's own comparison for these keys
STRING_KEYS = frozenset({"ORTH", "LOWER", "NORM", "TAG", "DEP", "LEMMA", "SHAPE", "PREFIX", "SUFFIX", "ENT_TYPE"})
FLAG_KEYS = frozenset({"IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_PUNCT", "IS_SPACE", "IS_TITLE",
                       "IS_UPPER", "LIKE_URL", "LIKE_NUM", "LIKE_EMAIL", "IS_STOP", "IS_BRACKET", "IS_QUOTE",
                       "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY"})


class ColumnTest(NamedTuple):
    """One key of a pattern token: the column it reads and what a value must be: among ``values`` (a value, or
    ``IN``), not among them (``NOT_IN``), or a string that ``regex`` finds something in (``REGEX``)."""

    key: str
    values: numpy.ndarray | None
    among: bool = True
    regex: re.Pattern | None = None

    @property
    def value_set(self) -> frozenset:
        return frozenset(self.values.tolist()) if self.values is not None else frozenset()


class ColumnPattern(NamedTuple):
    """A pattern of fixed length decided on columns (its tests per token), with the ruler's rule number."""

    attr_id: int
    tokens: tuple[tuple[ColumnTest, ...], ...]


def column_tests(token_pattern: dict, strings) -> tuple[ColumnTest, ...] | None:
    """The column tests of one pattern token, or None when a key or predicate is not a plain comparison (it
    then stays with the Matcher): a string or flag attribute equal to a value, ``{"IN": [...]}``,
    ``{"NOT_IN": [...]}``, or a string attribute with ``{"REGEX": "..."}``."""
    tests = []
    for key, value in token_pattern.items():
        key = key.upper() if isinstance(key, str) else key
        if key not in STRING_KEYS and key not in FLAG_KEYS:
            return None
        op, values = "IN", [value]
        if isinstance(value, dict):
            if len(value) != 1:
                return None
            op, values = next(iter(value.items()))
            if op == "REGEX" and key in STRING_KEYS and isinstance(values, str):
                tests.append(ColumnTest(key, None, True, re.compile(values)))
                continue
            if op not in ("IN", "NOT_IN") or not isinstance(values, (list, tuple)):
                return None
        if key in STRING_KEYS:
            if not all(isinstance(v, str) for v in values):
                return None
            values = [strings.add(v) for v in values]
        else:
            if not all(isinstance(v, bool) for v in values):
                return None
            values = [int(v) for v in values]
        tests.append(ColumnTest(key, numpy.array(values, dtype=numpy.uint64), op == "IN"))
    return tuple(tests) if tests else None


def split_patterns(ruler: AttributeRuler) -> tuple[list[ColumnPattern], list[tuple[str, list]]]:
    """The ruler's patterns as column patterns and, for the rest, (match key, patterns) for a Matcher."""
    by_columns: list[ColumnPattern] = []
    rest: list[tuple[str, list]] = []
    for attr_id, entry in enumerate(ruler.patterns):
        others = []
        for pattern in entry["patterns"]:
            tokens = [column_tests(tok, ruler.vocab.strings) if isinstance(tok, dict) else None for tok in pattern]
            if tokens and all(t is not None for t in tokens):
                by_columns.append(ColumnPattern(attr_id, tuple(tokens)))
            else:
                others.append(pattern)
        if others:
            rest.append((str(attr_id), others))        # the ruler names rule n's matches "n"
    return by_columns, rest


def token_mask(tests: tuple[ColumnTest, ...], cols: dict, strings) -> numpy.ndarray:
    """Which tokens pass every test of one pattern token; a regular expression is searched, as the Matcher's
    REGEX does, in the string of each distinct value of its column (``strings``: the vocab's StringStore)."""
    hit = None
    for t in tests:
        col = cols[t.key]
        if t.regex is not None:
            distinct, where = numpy.unique(col, return_inverse=True)
            one = numpy.array([bool(t.regex.search(strings[h])) for h in distinct.tolist()],
                              dtype=bool)[where.reshape(-1)]
        else:
            one = col == t.values[0] if len(t.values) == 1 else numpy.isin(col, t.values)
            if not t.among:
                one = ~one
        hit = one if hit is None else hit & one
    return hit


class ColumnAttributeRuler:
    """The stock attribute ruler's ``set_annotations`` over matches found by columns (see the module)."""

    def __init__(self, ruler: AttributeRuler):
        self.ruler = ruler
        self.patterns, rest = split_patterns(ruler)
        self.matcher = Matcher(ruler.vocab, validate=False)
        for key, patterns in rest:
            self.matcher.add(key, patterns)
        self.keys = sorted({t.key for p in self.patterns for tok in p.tokens for t in tok})
        self.columns = [IDS[k] for k in self.keys]
        self.match_ids = [ruler.vocab.strings.add(str(i)) for i in range(len(ruler.attrs))]
        # per pattern, the value sets of its IN tests: a pattern none of whose values of one of them is in the
        # Doc cannot match it, so it is skipped without a column operation
        self.needs = [[(t.key, t.value_set) for tok in p.tokens for t in tok if t.among and t.regex is None]
                      for p in self.patterns]

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """(rule number, match id, start, end) of every match, sorted as the stock ruler sorts them (by rule,
        then start and end; a rule's match id is its number as a string), each once."""
        n = len(doc)
        if not n:
            return []
        width = n + 1                       # a match is one number: rule, start and end in base n + 1
        codes = []
        strings = self.ruler.vocab.strings
        if self.patterns:
            table = doc.to_array(self.columns).reshape(n, -1)
            cols = {k: table[:, i] for i, k in enumerate(self.keys)}
            present = {k: set(numpy.unique(c).tolist()) for k, c in cols.items()}
            for p, needs in zip(self.patterns, self.needs):
                k = len(p.tokens)
                if k > n or any(present[key].isdisjoint(values) for key, values in needs):
                    continue
                hit = token_mask(p.tokens[0], cols, strings)[:n - k + 1].copy()
                for j in range(1, k):
                    hit &= token_mask(p.tokens[j], cols, strings)[j:n - k + 1 + j]
                starts = numpy.flatnonzero(hit).astype(numpy.int64)
                if len(starts):
                    codes.append((p.attr_id * width + starts) * width + starts + k)
        if len(self.matcher):
            found = [(int(strings[m_id]) * width + s) * width + e
                     for m_id, s, e in self.matcher(doc, allow_missing=True, as_spans=False)]
            if found:
                codes.append(numpy.array(found, dtype=numpy.int64))
        if not codes:
            return []
        code = numpy.unique(numpy.concatenate(codes))
        end = code % width
        start = (code // width) % width
        rule = (code // width // width).tolist()
        ids = self.match_ids
        return [(r, ids[r], s, e) for r, s, e in zip(rule, start.tolist(), end.tolist())]

    def __call__(self, doc: Doc) -> Doc:
        self.ruler.set_annotations(doc, self.match(doc))
        return doc


@Language.factory("claimex_attribute_columns_v1", assigns=["token.pos", "token.morph", "token.lemma"])
def make_attribute_columns(nlp: Language, name: str, patterns: list):
    """The ``patterns`` of a model's attribute ruler (as ``AttributeRuler.patterns`` lists them), matched by
    columns."""
    ruler = AttributeRuler(nlp.vocab, name)
    ruler.add_patterns(patterns)
    return ColumnAttributeRuler(ruler)


def use_attribute_columns(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Put a column-matched copy of the model's attribute ruler in its place (same name, same position);
    False when the pipeline has none."""
    if name not in nlp.pipe_names or not isinstance(nlp.get_pipe(name), AttributeRuler):
        return False
    nlp.replace_pipe(name, "claimex_attribute_columns_v1", config={"patterns": nlp.get_pipe(name).patterns})
    return True


class ColumnLemmatizer:
    """The model's rule lemmatizer over the Doc's columns: one lemma per distinct (word, part of speech,
    morphology), from the lemmatizer's own ``rule_lemmatize``.

    spaCy's ``Lemmatizer`` builds a Token for each token and calls ``rule_lemmatize``, which caches its result
    by (orth, pos, morph) but returns base forms (a singular noun, an infinitive: most tokens) before it caches
    them, so those are worked out again on every occurrence. ``rule_lemmatize`` is a function of the token's
    text, part of speech and morphology and of the lemmatizer's fixed tables, so its answer for one such triple is
    its answer for every token that has it; this calls it once per triple and writes the lemmas with
    ``Doc.from_array``. As the stock component, it fills only tokens without a lemma (unless ``overwrite``)."""

    def __init__(self, lemmatizer):
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        lem = self.lemmatizer
        if not len(doc):
            return doc
        if not lem._validated:                     # the first Doc goes the stock way: it checks the tables
            return lem(doc)
        table = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = table[:, 3].copy()
        strings, memo = doc.vocab.strings, self.memo
        for i in (range(len(doc)) if lem.overwrite else numpy.flatnonzero(lemmas == 0).tolist()):
            key = (int(table[i, 0]), int(table[i, 1]), int(table[i, 2]))
            got = memo.get(key)
            if got is None:
                got = memo[key] = strings.add(lem.lemmatize(doc[i])[0])
            lemmas[i] = got
        doc.from_array([LEMMA], lemmas)
        return doc


@Language.factory("claimex_lemma_columns_v1", assigns=["token.lemma"])
def make_lemma_columns(nlp: Language, name: str, source: str):
    """The pipeline's rule lemmatizer ``source`` (which stays in the pipeline, disabled), called once per distinct
    word, part of speech and morphology."""
    return ColumnLemmatizer(nlp.get_pipe(source))


#: lemmatizers whose rule_lemmatize reads only the token's text, part of speech and morphology (spaCy's own
#: and the English one, which overrides only is_base_form with a test of those); another language's may read
#: more of the context, so it is left as it is
COLUMN_LEMMATIZERS = ("Lemmatizer", "EnglishLemmatizer")


def use_lemma_columns(nlp: Language, name: str = "lemmatizer") -> bool:
    """Run the model's rule lemmatizer by columns (:class:`ColumnLemmatizer`) in its place; False when the
    pipeline has no rule-mode lemmatizer of that name (a lookup lemmatizer, or none, is left as it is)."""
    lem = nlp.get_pipe(name) if name in nlp.pipe_names else None
    if type(lem).__name__ not in COLUMN_LEMMATIZERS or not isinstance(lem, Lemmatizer) or lem.mode != "rule":
        return False
    nlp.add_pipe("claimex_lemma_columns_v1", name=f"{name}_columns", after=name, config={"source": name})
    nlp.disable_pipe(name)
    return True
