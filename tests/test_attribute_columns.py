"""The attribute ruler matched by columns gives exactly the stock ruler's annotations."""

from __future__ import annotations

import numpy
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from pipeline.attribute_columns import ColumnAttributeRuler, column_tests, use_attribute_columns

from .conftest import CORPUS, WORLD

WORDS = ["the", "The", "a", "that", "but", "run", "runs", " ", "Mali", "it"]
TAGS = ["DT", "NN", "VBZ", "CC", "IN", "_SP", "NNP", "PRP"]
DEPS = ["det", "nsubj", "advmod", "ROOT", "dep"]
BLANK = spacy.blank("en")


def annotated(ruler, words, tags, deps, starts=None) -> numpy.ndarray:
    # sentence starts as a parser or a senter leaves them: 1, -1 or 0
    doc = Doc(BLANK.vocab, words=words, spaces=[True] * len(words), tags=tags, deps=deps, sent_starts=starts)
    ruler(doc)
    return doc.to_array([POS, MORPH, LEMMA, TAG])


def test_column_tests_take_plain_comparisons_only():
    strings = BLANK.vocab.strings
    assert column_tests({"TAG": "NN", "LOWER": {"IN": ["a", "b"]}}, strings) is not None
    assert column_tests({"IS_SPACE": True, "DEP": {"NOT_IN": ["", "det"]}}, strings) is not None
    # operators, regular expressions, MORPH, extension attributes and mixed predicates stay with the Matcher
    assert column_tests({"LOWER": {"REGEX": "^a"}}, strings) is not None
    assert column_tests({"IS_SENT_START": True}, strings) is None     # the Matcher tests sent_start == 1
    for pattern in ({"TAG": "NN", "OP": "?"}, {"IS_SPACE": {"REGEX": "^a"}}, {"MORPH": "Number=Sing"},
                    {"LOWER": {"IN": ["a"], "NOT_IN": ["b"]}}, {"_": {"x": 1}}, {"IS_SPACE": "yes"}, {}):
        assert column_tests(pattern, strings) is None, pattern


token_pattern = st.fixed_dictionaries({}, optional={
    "TAG": st.one_of(st.sampled_from(TAGS), st.fixed_dictionaries({"NOT_IN": st.lists(st.sampled_from(TAGS + [""]),
                                                                                     min_size=1, max_size=3)})),
    "DEP": st.one_of(st.sampled_from(DEPS), st.fixed_dictionaries({"IN": st.lists(st.sampled_from(DEPS + [""]),
                                                                                 min_size=1, max_size=3)})),
    "NORM": st.fixed_dictionaries({"REGEX": st.sampled_from(["^t", "s$", "^.$"])}),
    "LOWER": st.one_of(st.sampled_from([w.lower() for w in WORDS]),
                       st.fixed_dictionaries({"IN": st.lists(st.sampled_from(["the", "a", "that", "it"]),
                                                             min_size=1, max_size=3)})),
    "IS_SPACE": st.booleans(), "IS_PUNCT": st.booleans(), "IS_SENT_START": st.booleans(),
    "OP": st.sampled_from(["?", "+"])}).filter(bool)    # operators: for the Matcher
rule = st.fixed_dictionaries({
    "patterns": st.lists(st.lists(token_pattern, min_size=1, max_size=3)
                         .filter(lambda p: not all(t.get("OP") in ("?", "*") for t in p)), min_size=1, max_size=2),
    "attrs": st.sampled_from([{"POS": "NOUN"}, {"POS": "DET", "MORPH": "Definite=Def"}, {"LEMMA": "be"},
                              {"MORPH": "Number=Plur"}, {"POS": "ADV"}]),
    "index": st.just(0)}).map(lambda r: r if any("OP" in t for p in r["patterns"] for t in p)
                              else {**r, "index": min(len(p) for p in r["patterns"]) - 1})


@settings(max_examples=150, deadline=None)
@given(rules=st.lists(rule, min_size=1, max_size=8),
       tokens=st.lists(st.tuples(st.sampled_from(WORDS + [",", "."]), st.sampled_from(TAGS),
                                 st.sampled_from(DEPS + [""]), st.sampled_from([True, False, None])),
                       min_size=1, max_size=12))
def test_same_annotations_as_the_stock_ruler(rules, tokens):
    """Any mix of one-token and longer patterns, with IN, NOT_IN, regular expressions and operators (these
    through the Matcher), overlapping rules included (a later rule wins)."""
    stock = AttributeRuler(BLANK.vocab)
    stock.add_patterns(rules)
    by_columns = ColumnAttributeRuler(stock)
    words, tags, deps, starts = map(list, zip(*tokens))
    assert numpy.array_equal(annotated(stock, words, tags, deps, starts),
                             annotated(by_columns, words, tags, deps, starts))


def test_the_model_parses_the_same_with_its_ruler_by_columns(nlp, config):
    """The trained model's own patterns on real articles from several conflicts: every token's part of speech,
    morphology and lemma are the stock pipeline's."""
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "ColumnAttributeRuler"
    stock = spacy.load(config.model)
    texts = [f.read_text(encoding="utf-8") for d in (CORPUS, WORLD / "corpus")
             for f in sorted(d.rglob("*")) if f.suffix in (".md", ".txt")][:10]
    fast = spacy.load(config.model)
    assert use_attribute_columns(fast)
    ruler = fast.get_pipe("attribute_ruler")
    assert len(ruler.patterns) > 10 * len(ruler.matcher)        # most patterns are decided on columns
    cols = [POS, MORPH, LEMMA, TAG]
    for a, b in zip(stock.pipe(texts), fast.pipe(texts)):
        assert numpy.array_equal(a.to_array(cols), b.to_array(cols))
    assert not use_attribute_columns(spacy.blank("en"))    # a pipeline without one is left as it is


def test_the_lemmatizer_by_columns_gives_the_stock_lemmas(config):
    """Every token's lemma, with the model's rule lemmatizer called once per distinct word, part of speech and
    morphology, is the stock lemmatizer's, on real articles; a pipeline without a rule lemmatizer is left alone."""
    from pipeline.attribute_columns import use_lemma_columns

    texts = [f.read_text(encoding="utf-8") for d in (CORPUS, WORLD / "corpus")
             for f in sorted(d.rglob("*")) if f.suffix in (".md", ".txt")][-8:]
    stock, fast = spacy.load(config.model), spacy.load(config.model)
    assert use_lemma_columns(fast)
    assert "lemmatizer" not in fast.pipe_names and "lemmatizer_columns" in fast.pipe_names
    for a, b in zip(stock.pipe(texts), fast.pipe(texts)):
        assert [t.lemma_ for t in a] == [t.lemma_ for t in b]
    assert len(fast.get_pipe("lemmatizer_columns").memo) < sum(len(d) for d in fast.pipe(texts))
    assert not use_lemma_columns(spacy.blank("en"))
