"""The modality of a claim: named rules, tried in the order configs/claim_cues.yaml lists them
(``modality_rules``); the first that decides gives (modality, negated), else ("reported", False).
Each rule takes the cue, the claim's content span, the cue's token and the cues, and is registered by
name with :func:`rule`. No spaCy import: the rules read tokens only (and their per-Doc columns, pipeline/tokindex.py).
"""

from __future__ import annotations

from typing import Callable

from .tokindex import span_columns

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
    lows, lemmas = span_columns(span)       # the tokens' lower_ and lemma_.lower(), read once per Doc
    for i, low in enumerate(lows):
        if low in cues.denial_quantifiers:
            for j in range(i + 1, min(i + 1 + cues.windows["denial_noun_tokens"], len(lows))):
                if lows[j] in cues.denial_nouns:
                    return low + " " + lemmas[j]
    text = " " + " ".join(lows) + " "
    words = set(text.split())
    for p in cues.denial_phrases:
        if p[0] not in words:
            continue
        if len(p) > 1 and f" {' '.join(p)} " in text:
            return " ".join(p)
        # one word denies as what is said of something ("the claims are baseless", "dismissed as
        # propaganda"), not as a word inside a phrase ("the outfit's propaganda machine")
        if len(p) == 1 and any(t.lower_ == p[0] and (t.dep_ in ("acomp", "attr", "oprd", "ROOT", "conj")
                                                    or t.dep_ == "pobj" and t.head.lower_ == "as"
                                                    or t.head.lemma_ == "be") for t in span):
            return p[0]
    return None


def negated_root(content) -> bool:
    """The content's main verb, or a sentence root inside it, is negated ("... did not attack")."""
    return any(c.dep_ == "neg" for c in content.root.children) or any(
        c.dep_ == "neg" for t in content for c in t.children if t.dep_ == "ROOT")


def denies_an_act(cue, tok, cues) -> bool:
    """A denial verb of ``proposition_denial_verbs`` whose object is an act, not a proposition ("rejected the
    coup", "dismissed the mutiny"): it condemns. A clause or a proposition noun ("rejected the claims") denies."""
    if cue.lemma not in cues.proposition_denial_verbs or any(c.dep_ in ("ccomp", "xcomp") for c in tok.children):
        return False
    objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    return bool(objects) and all(o.lemma_.lower() not in cues.proposition_nouns
                                 and o.lemma_.lower() not in cues.reporting_nouns for o in objects)


@rule("unverified")
def unverified(cue, content, tok, cues):
    """A negated verb of verification, as the cue or the content's verb ("could not be independently
    confirmed"): unverified, hedged, not denied."""
    for t in (tok, content.root):
        if t.lemma_.lower() in cues.verification_verbs and any(c.dep_ == "neg" for c in t.children):
            return "hedged", False
    return None


@rule("impersonal_passive")
def impersonal_passive(cue, content, tok, cues):
    """An agentless passive of a reporting verb ("X is said to have ...", "it is believed that ...",
    "killings have been reported"): the author's hedge, no one named says it."""
    if cue.kind == "verb" and tok.lemma_.lower() in cues.impersonal_passive_verbs \
            and any(c.dep_ == "auxpass" for c in tok.children) and not any(c.dep_ == "agent" for c in tok.children) \
            and not reported_by_another(tok, cues):
        return "hedged", False
    return None


def reported_by_another(tok, cues) -> bool:
    """A cue inside what another cue reports ("the minister said that no casualties were reported"): a
    reporting verb above it."""
    t = tok
    while t.head.i != t.i:
        t = t.head
        if t.lemma_.lower() in cues.reporting_verbs and t.pos_ == "VERB":
            return True
    return False


@rule("denial_word")
def denial_word(cue, content, tok, cues):
    """A denial verb as the cue ("denied", "rejected") or denying words in the content ("no evidence",
    "baseless"): denied (negated when the content's verb is); a denial verb whose object is an act
    condemns it (:func:`denies_an_act`)."""
    if (cue.lemma in cues.denial_verbs and not denies_an_act(cue, tok, cues)) or denial(content, cues):
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
    # "This can in no way be a response": "no" on the object of a preposition of the main verb
    if any(t.dep_ == "det" and t.lower_ in cues.lex.negative and t.head.dep_ == "pobj"
           and t.head.head.head.i == root.i for t in content):
        return "denied", True
    return None


@rule("hedge")
def hedge(cue, content, tok, cues):
    """A hedging cue verb, an author hedge verb as the content's verb, a hedge word on the cue, in its
    speaker or in the content ("may", "reportedly", "suggested"): hedged."""
    # a word of uncertainty describing a thing ("monitoring possible violations") does not hedge the claim;
    # an unverified one does ("the alleged coup leaders")
    words = {w for t in content if not (t.dep_ == "amod" and t.lower_ in cues.lex.uncertain)
             for w in (t.lower_, t.lemma_.lower())}
    speaker_words = {t.lower_ for c in tok.children if c.dep_ in ("nsubj", "agent") for t in c.subtree}
    hedging_participle = any(t.tag_ == "VBN" and t.lemma_.lower() in cues.author_hedge_verbs
                             and (t.dep_ in ("acl", "advcl", "xcomp", "ccomp") or t.dep_ == "conj" and not any(
                                 c.dep_ in ("nsubj", "nsubjpass") for c in t.children))
                             and content.root.i in (t.head.i, t.head.head.i)
                             for t in content)      # "Eight others were missing, presumed to have been kidnapped"
    if cue.lemma in cues.hedge_verbs or content.root.lemma_.lower() in cues.author_hedge_verbs or any(
            c.lower_ in cues.hedges for c in tok.children) or speaker_words & cues.hedges or words & cues.hedges \
            or hedging_participle:
        return "hedged", False
    return None
