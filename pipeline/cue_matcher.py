"""Claim cues of a document: spaCy PhraseMatcher patterns built from configs/claim_cues.yaml.

Phrases (``phrases``) match as lemma sequences (LEMMA) or word forms (LOWER) and are all kept; reporting
verbs and nouns match on the lower-case lemma and are kept by :func:`noun_cue` and :func:`verb_cue`
where no phrase covers them. ``__call__`` = match, then keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from .triggers import matches_by_sentence

if TYPE_CHECKING:
    from .claims import Cues


@dataclass
class Cue:
    token: Token          # head of the cue
    lemma: str
    kind: str             # verb | noun | according | phrase | quote


def _case_variants(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Every word lower-case, capitalised or in capitals: the lemmas a rule word matches (a proper noun's
    lemma keeps the case of its text)."""
    return set(product(*[(w, w.capitalize(), w.upper()) for w in words]))


class CueMatcher:
    """Finds the cues of every sentence of a document, by the index of its first token."""

    def __init__(self, cues: "Cues", *, vocab):
        self.cues = cues
        self.vocab = vocab
        self.phrases = list(cues.phrases.items())
        self.by_lemma = PhraseMatcher(vocab, attr="LEMMA")
        self.by_lower = PhraseMatcher(vocab, attr="LOWER")
        lemma_doc = lambda ws: Doc(vocab, words=list(ws), lemmas=list(ws))  # noqa: E731
        for k, (phrase, _) in enumerate(self.phrases):
            self.by_lemma.add(f"phrase:{k}", [lemma_doc(v) for v in _case_variants(phrase)])
            self.by_lower.add(f"phrase:{k}", [Doc(vocab, words=list(phrase))])
        words = sorted(cues.reporting_verbs | cues.reporting_nouns)
        self.by_lemma.add("word", [lemma_doc(v) for w in words for v in _case_variants((w,))])

    def __call__(self, doc: Doc) -> dict[int, list[Cue]]:
        phrases, words = matches_by_sentence(doc, self.vocab, self.by_lemma, self.by_lower)
        return {s: self._sentence(doc, sorted(phrases.get(s, ())), sorted(words.get(s, ())))
                for s in set(phrases) | set(words)}

    def _sentence(self, doc: Doc, phrases: list, words: list[int]) -> list[Cue]:
        """Every phrase (overlaps kept), then the words no phrase covers; in the order of the text."""
        out, used = [], set()
        for k, start, end in phrases:
            phrase, name = self.phrases[k]
            kind = "according" if phrase in self.cues.source_phrases else "phrase"
            out.append(Cue(doc[start], str(name), kind))
            used.update(range(start, end))
        for i in words:
            if i not in used:
                cue = noun_cue(doc[i], self.cues) or verb_cue(doc[i], self.cues)
                if cue is not None:
                    out.append(cue)
        return sorted(out, key=lambda c: c.token.i)


def noun_cue(t: Token, cues: "Cues") -> Cue | None:
    """A reporting noun ("Trump's praise", "per BLA claims"), unless it is the subject of a cue verb that
    already says it ("A statement from the embassy condemned ...")."""
    lem = t.lemma_.lower()
    if t.pos_ != "NOUN" or lem not in cues.reporting_nouns:
        return None
    if t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_.lower() in cues.reporting_verbs:
        return None
    return Cue(t, lem, "noun")


def verb_cue(t: Token, cues: "Cues") -> Cue | None:
    """A reporting verb with someone saying something: a subject, agent or a clause it reports (a verb of
    ``needs_clause`` only with a clause: "offered to help", not "offering a perspective"); not a modifier
    without a subject or clause of its own."""
    lem = t.lemma_.lower()
    if t.pos_ != "VERB" or lem not in cues.reporting_verbs:
        return None
    deps = {c.dep_ for c in t.children}
    if t.dep_ in ("amod", "acl", "relcl") and not deps & {"ccomp", "nsubj", "agent"} \
            and not of_reporting_noun(t, cues):
        return None
    if lem in cues.needs_clause and not deps & {"ccomp", "xcomp"}:
        return None
    if not deps & {"nsubj", "nsubjpass", "agent", "ccomp", "xcomp", "dobj"} and t.dep_ not in (
            "parataxis", "ccomp", "advcl") and not (t.dep_ == "conj" and deps & {"prep", "dobj"}):
        return None
    return Cue(t, lem, "verb")


def of_reporting_noun(t: Token, cues: "Cues") -> bool:
    """A participle describing a reporting noun, or coordinated with one that does ("issued a statement
    condemning the attack", "a statement calling for dialogue and urging soldiers to stand down")."""
    while t.dep_ == "conj" and t.head.pos_ == "VERB":
        t = t.head
    return t.dep_ == "acl" and t.head.lemma_.lower() in cues.reporting_nouns
