"""The author's own hedged, denied or asserted assessments: claims with no speaker ("X likely ...", "there is
no evidence that ...", "this remains speculative", "separatists exaggerate their successes": asserted), one
per main clause no attributed claim covers.
Words and windows come from configs/claim_cues.yaml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from .claim_modality import denial
from .schemas import make_row
from .syntax import clause_bounds
from .tokindex import span_lemmas, span_lowers, span_text

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .claims import Cues


def could_assess(sent: "Span", cues: "Cues") -> bool:
    """A sentence the author may hedge or deny in: a statement (no question, no condition) long enough,
    with a hedge, a denying word or an author hedge verb."""
    text = span_text(sent)
    if text.strip().endswith("?") or len(sent) < cues.windows["author_min_tokens"]:
        return False
    words, lemmas = span_lowers(sent), span_lemmas(sent)
    if not (words & cues.author_hedges or words & cues.denial_quantifiers
            or any(mark in text.lower() for mark in cues.assertion_markers)
            or lemmas & {v.split()[0] for v in cues.assertion_verbs}
            or lemmas & cues.author_hedge_verbs
            or any(p[0] in words for p in cues.denial_phrases)):
        return False
    return not (words & cues.conditional_marks and any(t.dep_ == "mark" and t.lower_ in cues.conditional_marks
                                                       for t in sent))


def author_hedge(head: "Token", cues: "Cues") -> str | None:
    """The hedge of a main verb not negated: a hedging auxiliary or adverb ("could", "likely"), or an
    author hedge verb that hedges by itself ("seems") or in the passive ("is feared to rise")."""
    if any(c.dep_ == "neg" for c in head.children):
        return None
    hedge = next((c.lower_ for c in head.children if c.lower_ in cues.author_hedges
                  and c.dep_ in ("aux", "advmod", "acomp")), None)
    lemma = head.lemma_.lower()
    if hedge is None and lemma in cues.author_hedge_verbs and (
            lemma in cues.copular_hedge_verbs or any(c.dep_ == "auxpass" for c in head.children)):
        hedge = lemma
    return hedge


def author_assertion(head: "Token", clause: "Span", cues: "Cues") -> str | None:
    """The author asserting a contested proposition as fact: a main verb of misrepresentation or
    concealment ("Baloch separatists frequently exaggerate their battlefield successes", "the military plays
    down attacks") or a distancing marker ("the so-called ironclad friendship") in the clause."""
    if any(c.dep_ == "neg" for c in head.children):
        return None
    verb = " ".join([head.lemma_.lower()] + [c.lower_ for c in head.children if c.dep_ == "prt"])
    if verb in cues.assertion_verbs or head.lemma_.lower() in cues.assertion_verbs:
        return verb if verb in cues.assertion_verbs else head.lemma_.lower()
    text = clause.text.lower()
    mark = next((mark for mark in cues.assertion_markers if mark in text), None)
    return mark.replace("-", " ") if mark else None     # the cue in words of the span ("so called")


def author_claims(sent: "Span", sidx: int, doc_id: str, published, covered: list[tuple[int, int]], cues: "Cues",
                  triple: Callable) -> list[dict]:
    """The author's assessments of a sentence: its main verb and the verbs coordinated with it, each with
    its clause, when a denial or hedge is there and no attributed claim covers it."""
    if not could_assess(sent, cues):
        return []
    doc, root = sent.doc, sent.root
    heads = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    out = []
    for head in heads:
        if any(s <= head.idx < e for s, e in covered):
            continue
        start, end = clause_bounds(head) if head is not root or len(heads) > 1 else (sent.start, sent.end)
        clause = doc[max(start, sent.start):min(end, sent.end)]
        denied, hedge = denial(clause, cues), author_hedge(head, cues)
        asserted = None if denied or hedge else author_assertion(head, clause, cues)
        if not denied and not hedge and not asserted:
            continue
        subj, subj_id, obj, obj_id = triple(head)
        out.append(make_row("claims", **{
            "claim_id": f"{doc_id}-{sidx}-{head.idx}", "doc_id": doc_id, "sent_idx": sidx,
            "start_char": clause.start_char, "end_char": clause.end_char, "speaker_id": None,
            "speaker_name": None, "cue": denied or hedge or asserted,
            "modality": "denied" if denied else "hedged" if hedge else "asserted",
            "negated": bool(denied), "subject": subj, "subject_id": subj_id,
            "predicate": head.lemma_.lower(), "object": obj, "object_id": obj_id, "quote": None,
            "content": clause.text.strip(), "date": published, "date_precision": "day" if published else None,
            "date_method": "publication" if published else "none", "confidence": 0.4,
        }))
    return out


def no_response(tok: "Token", cues: "Cues") -> bool:
    """A verb of answering that did not happen: negated ("did not respond", "could not be reached") or the
    complement of a refusal ("declined to comment")."""
    if tok.lemma_.lower() not in cues.no_response_verbs or tok.pos_ not in ("VERB", "AUX"):
        return False
    negated = any(c.dep_ == "neg" for c in tok.children)
    refused = tok.dep_ == "xcomp" and tok.head.lemma_.lower() in cues.no_response_refusals
    return negated or refused


def no_response_claims(sent: "Span", sidx: int, doc_id: str, published, covered: list[tuple[int, int]],
                       cues: "Cues", triple: Callable) -> list[dict]:
    """The author noting that someone did not answer ("A spokesman for Keita could not be reached for
    comment", "the police did not respond to a request for comment", "declined to comment"): a denied claim
    with no speaker (the gold convention for an absence), one per such verb no attributed claim covers."""
    doc, out = sent.doc, []
    if span_lemmas(sent).isdisjoint(cues.no_response_verbs):       # no verb of answering: nothing to look at
        return out
    for tok in sent:
        if not no_response(tok, cues) or any(s <= tok.idx < e for s, e in covered):
            continue
        head = tok.head if tok.dep_ == "xcomp" else tok
        start, end = clause_bounds(head)
        clause = doc[max(start, sent.start):min(end, sent.end)]
        while len(clause) > 1 and clause[-1].is_punct:
            clause = clause[:-1]
        subj, subj_id, obj, obj_id = triple(head)
        out.append(make_row("claims", **{
            "claim_id": f"{doc_id}-{sidx}-{tok.idx}", "doc_id": doc_id, "sent_idx": sidx,
            "start_char": clause.start_char, "end_char": clause.end_char, "speaker_id": None,
            "speaker_name": None, "cue": "no " + tok.lemma_.lower(), "modality": "denied", "negated": True,
            "subject": subj, "subject_id": subj_id, "predicate": tok.lemma_.lower(), "object": obj,
            "object_id": obj_id, "quote": None, "content": clause.text.strip(), "date": published,
            "date_precision": "day" if published else None,
            "date_method": "publication" if published else "none", "confidence": 0.4,
        }))
    return out
