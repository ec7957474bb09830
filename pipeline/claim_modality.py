"""The modality of a claim: named rules, tried in the order configs/claim_cues.yaml lists them
(``modality_rules``); the first that decides gives (modality, negated), else ("reported", False).
Each rule takes the cue, the claim's content span, the cue's token and the cues, and is registered by
name with :func:`rule`. No spaCy import: the rules read tokens only.
"""

from __future__ import annotations

from typing import Callable

RULES: dict[str, Callable] = {}


def rule(name: str):
    """Register a claim modality rule under ``name`` (the name the rule file lists)."""
    def add(fn):
        RULES[name] = fn
        return fn
    return add


def modality(cue, content, tok, cues, rules: list[Callable]) -> tuple[str, bool]:
    """The first decision of ``rules``, else reported and not negated."""
    for fn in rules:
        got = fn(cue, content, tok, cues)
        if got is not None:
            return got
    return "reported", False


def denial(span, cues) -> str | None:
    """'no (concrete) evidence', 'no immediate official response', 'not true': the denying words."""
    toks = list(span)
    for i, t in enumerate(toks):
        if t.lower_ in cues.denial_quantifiers:
            for j in range(i + 1, min(i + 1 + cues.windows["denial_noun_tokens"], len(toks))):
                if toks[j].lower_ in cues.denial_nouns:
                    return t.lower_ + " " + toks[j].lemma_.lower()
    text = " " + " ".join(t.lower_ for t in span) + " "
    return next((" ".join(p) for p in cues.denial_phrases if f" {' '.join(p)} " in text), None)


def negated_root(content) -> bool:
    """The content's main verb, or a sentence root inside it, is negated ("... did not attack")."""
    return any(c.dep_ == "neg" for c in content.root.children) or any(
        c.dep_ == "neg" for t in content for c in t.children if t.dep_ == "ROOT")


@rule("denial_word")
def denial_word(cue, content, tok, cues):
    """A denial verb as the cue ("denied", "rejected") or denying words in the content ("no evidence",
    "baseless"): denied (negated when the content's verb is)."""
    if cue.lemma in cues.denial_verbs or denial(content, cues):
        return "denied", negated_root(content)
    return None


@rule("negated_cue")
def negated_cue(cue, content, tok, cues):
    """A negated cue ("did not confirm"): denied."""
    if any(c.dep_ == "neg" for c in tok.children):
        return "denied", True
    return None


@rule("negated_content")
def negated_content(cue, content, tok, cues):
    """A negated content, or one whose subject is "none" or has "no" ("no military installations were
    damaged", "there were none"): denied."""
    root = content.root
    if negated_root(content) or any(t.dep_ in ("nsubj", "nsubjpass", "attr") and t.head.i == root.i and (
            t.lower_ in cues.negative_pronouns
            or any(d.dep_ == "det" and d.lower_ in cues.lex.negative for d in t.children)) for t in content):
        return "denied", True
    return None


@rule("hedge")
def hedge(cue, content, tok, cues):
    """A hedging cue verb, an author hedge verb as the content's verb, a hedge word on the cue, in its
    speaker or in the content ("may", "reportedly", "suggested"): hedged."""
    words = {t.lower_ for t in content} | {t.lemma_.lower() for t in content}
    speaker_words = {t.lower_ for c in tok.children if c.dep_ in ("nsubj", "agent") for t in c.subtree}
    if cue.lemma in cues.hedge_verbs or content.root.lemma_.lower() in cues.author_hedge_verbs or any(
            c.lower_ in cues.hedges for c in tok.children) or speaker_words & cues.hedges or words & cues.hedges:
        return "hedged", False
    return None
