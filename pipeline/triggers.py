"""Candidate event triggers: spaCy PhraseMatcher patterns built from configs/event_types.yaml.

Phrases (``types.*.phrases``) match as lemma sequences (on LEMMA) or as word forms (on LOWER), the
highest-priority type first and never overlapping; single words (``verbs``, ``nouns``) match on the
lower-case lemma and are kept by :func:`word_candidate`; a two-word phrase also matches a verb and its
object apart (:func:`split_phrase_type`: "held 12 passengers hostage").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from itertools import product

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from .tokindex import sent_bounds

if TYPE_CHECKING:
    from .events import Taxonomy

NOMINAL = ("NOUN", "PROPN")
# the dependencies by which the second word of a split two-word phrase hangs on its verb
SPLIT_OBJECT_DEPS = ("dobj", "oprd", "npadvmod", "attr", "xcomp")
# entity labels of a token that is part of a name, not a trigger ("the China-Pakistan Free Trade Agreement")
NAME_LABELS = ("DATE", "TIME", "PERSON", "GPE")


@dataclass
class Candidate:
    token: Token
    type: str
    nominal: bool


class TriggerMatcher:
    """Finds the candidate triggers of a document, sentence by sentence (``__call__`` = match, then keep)."""

    def __init__(self, taxonomy: "Taxonomy", *, vocab):
        self.tax = taxonomy
        self.phrases = [(p, s.name) for s in sorted(taxonomy.types.values(), key=lambda s: -s.priority)
                        for p in s.phrases]
        self.phrase_verbs = {p[0] for p, _ in self.phrases if len(p) == 2}
        self.words = set(taxonomy.verb_index) | set(taxonomy.noun_index) | self.phrase_verbs
        self.vocab = vocab
        # lemmas are compared lower-cased; a proper noun's lemma keeps the case of its text
        self.by_lemma = PhraseMatcher(vocab, attr="LEMMA")
        self.by_lower = PhraseMatcher(vocab, attr="LOWER")
        for k, (phrase, _) in enumerate(self.phrases):
            self.by_lemma.add(f"phrase:{k}", [self._lemma_doc(v) for v in _case_variants(phrase)])
            self.by_lower.add(f"phrase:{k}", [Doc(vocab, words=list(phrase))])
        self.by_lemma.add("word", [self._lemma_doc(v) for w in sorted(self.words) for v in _case_variants((w,))])

    def _lemma_doc(self, lemmas: tuple[str, ...]) -> Doc:
        return Doc(self.vocab, words=list(lemmas), lemmas=list(lemmas))

    def __call__(self, doc: Doc) -> dict[int, list[Candidate]]:
        """The candidates of every sentence, by the index of its first token."""
        phrases, words = matches_by_sentence(doc, self.vocab, self.by_lemma, self.by_lower)
        out = {}
        for s in set(phrases) | set(words):
            out[s] = self._sentence(doc, s, sorted(phrases.get(s, ())), sorted(words.get(s, ())))
        return out

    def _sentence(self, doc: Doc, sent_start: int, phrases: list, words: list[int]) -> list[Candidate]:
        """Phrases by priority, then position, never overlapping; then single words in order."""
        used, found = set(), []
        for k, start, end in phrases:
            if used & set(range(start, end)):
                continue
            root = doc[start:end].root
            used.update(range(start, end))
            found.append(Candidate(root, self.phrases[k][1], root.pos_ in NOMINAL))
        for i in words:
            if i not in used:
                c = split_phrase_type(doc[i], self.phrases, self.phrase_verbs) or word_candidate(
                    doc[i], self.tax, first=i == sent_start)
                if c is not None:
                    found.append(c)
        return found


def _case_variants(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Every word lower-case, capitalised or in capitals: the lemmas a rule word matches."""
    return set(product(*[(w, w.capitalize(), w.upper()) for w in words]))


def split_phrase_type(t: Token, phrases, phrase_verbs) -> Candidate | None:
    """A verb and its object that make a two-word phrase apart ("held 12 passengers hostage")."""
    lem = t.lemma_.lower()
    if t.pos_ != "VERB" or lem not in phrase_verbs:
        return None
    typ = next((typ for phrase, typ in phrases if len(phrase) == 2 and phrase[0] == lem and any(
        c.lemma_.lower() == phrase[1] and c.dep_ in SPLIT_OBJECT_DEPS for c in t.children)), None)
    return Candidate(t, typ, False) if typ is not None else None


def word_candidate(t: Token, tax: "Taxonomy", first: bool = False) -> Candidate | None:
    """A trigger verb (not an adjectival participle) or trigger noun that is not part of a name."""
    lem, pos = t.lemma_.lower(), t.pos_
    if lem not in tax.verb_index and lem not in tax.noun_index:
        return None
    if t.ent_type_ in NAME_LABELS or (t.is_title and t.ent_type_ and not first):
        return None
    if pos == "VERB" and lem in tax.verb_index and t.dep_ != "amod":
        return Candidate(t, tax.verb_index[lem], False)
    if pos in NOMINAL and lem in tax.noun_index:
        return Candidate(t, tax.noun_index[lem], True)
    return None


def matches_by_sentence(doc: Doc, vocab, *matchers) -> tuple[dict[int, set], dict[int, set]]:
    """The matches of phrase matchers whose patterns are keyed "word" or "phrase:<index>", by the first token of
    their sentence: (phrases as (index, start, end), single words as token indices); matches across a sentence
    end are dropped. Shared by the trigger and the cue matcher."""
    phrases: dict[int, set] = {}
    words: dict[int, set] = {}
    sent_start, sent_end = sent_bounds(doc)
    for matcher in matchers:
        for match_id, start, end in matcher(doc):
            if end > sent_end[start]:
                continue
            key = vocab.strings[match_id]
            if key == "word":
                words.setdefault(sent_start[start], set()).add(start)
            else:
                phrases.setdefault(sent_start[start], set()).add((int(key.split(":")[1]), start, end))
    return phrases, words
