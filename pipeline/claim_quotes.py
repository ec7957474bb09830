"""Direct quotes, a pass over a document's claim rows (rows in, rows out; no row is changed in place).

A quote inside a claim's span is that claim's ``quote``. A quote with no cue of its own (it may span
sentences) is a claim of the nearest speaker: the one whose cue comes right after it in the same
paragraph ("“...,” he said"), else the one before it (a quote standing as a paragraph of its own
continues the speaker before it). Windows come from configs/claim_cues.yaml.
"""

from __future__ import annotations

import re
from typing import Callable

from .cue_matcher import Cue
from .schemas import make_row
from .tokindex import doc_text


def quote_pattern(min_chars: int) -> re.Pattern:
    """A direct quote: at least ``min_chars`` characters between quotation marks."""
    return re.compile(r"[“\"]([^”\"]{%d,}?)[”\"]" % min_chars, re.S)


def quote_claims(rows: list[dict], doc, sent_of: list[int], pattern: re.Pattern, windows: dict,
                 modality: Callable, triple: Callable) -> list[dict]:
    """The claim rows with their quotes attached and the uncued quotes as claims of their speaker, in text
    order. ``modality(cue, content, token)`` and ``triple(root)`` are the claims stage's rules."""
    out, text = list(rows), doc_text(doc)
    for m in pattern.finditer(text):
        quote = m.group(1).strip()
        inside = [k for k, r in enumerate(out) if r["start_char"] < m.end() and m.start() < r["end_char"]]
        if inside:
            for k in inside:
                if out[k]["quote"] is None:
                    out[k] = {**out[k], "quote": quote}
            continue
        if len(m.group(1).split()) < windows["quote_min_words"]:
            continue
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        src = _speaker_row(out, m, text, sent_of[span.start], sent_of[span.end - 1], windows)
        if src is None:
            continue
        inner = doc.char_span(m.start(1), m.end(1), alignment_mode="expand") or span
        mod, negated = modality(Cue(inner.root, src["cue"] or "say", "quote"), inner, inner.root)
        subj, subj_id, obj, obj_id = triple(inner.root)
        out.append(make_row("claims", **{
            **src, "claim_id": f"{src['doc_id']}-{sent_of[span.start]}-{m.start()}",
            "sent_idx": sent_of[span.start], "start_char": m.start(), "end_char": m.end(), "quote": quote,
            "content": quote, "modality": mod, "negated": negated, "subject": subj, "subject_id": subj_id,
            "predicate": inner.root.lemma_.lower() if inner.root.pos_ in ("VERB", "AUX") else None,
            "object": obj, "object_id": obj_id, "confidence": 0.5}))
    return sorted(out, key=lambda r: r["start_char"])


def _speaker_row(rows: list[dict], m: re.Match, text: str, first: int, last: int, windows: dict) -> dict | None:
    """The claim whose speaker an uncued quote has: a cue right after it in the same paragraph, else the
    last claim with a speaker just before it."""
    after = [r for r in rows if 0 <= r["start_char"] - m.end() < windows["quote_cue_chars"]
             and r["speaker_name"] and r["sent_idx"] <= last + windows["quote_after_sentences"]
             and "\n" not in text[m.end():r["start_char"]]]
    before = [r for r in rows if r["end_char"] <= m.start() and r["speaker_name"]
              and first - r["sent_idx"] <= windows["quote_before_sentences"]]
    return after[0] if after else (before[-1] if before else None)


def _statement_before(rows: list[dict], r: dict, first_person: set, windows: dict) -> dict | None:
    """"We remind the ELN ..." outside quotation marks: a statement reproduced as it was issued, the
    speaker's whose claim comes just before it (within ``quote_before_sentences``)."""
    before = [o for o in rows if o["end_char"] <= r["start_char"] and o["speaker_name"]
              and o["claim_id"] not in first_person
              and r["sent_idx"] - o["sent_idx"] <= windows["quote_before_sentences"]]
    return before[-1] if before else None


def first_person_speakers(rows: list[dict], first_person: set, doc, pattern: re.Pattern, sent_of: list[int],
                          windows: dict) -> list[dict]:
    """Claims whose speaker is "I" or "we" inside a direct quote take the quote's speaker: the claim that
    encloses it ("“We remind the ELN ...,” Otty Patino ... said"), else the speaker of the quote (the cue right
    after it or the claim before it, as for an uncued quote). ``first_person``: the claim ids. Rows in, rows out."""
    if not first_person:
        return rows
    text, out = doc_text(doc), []
    quotes = list(pattern.finditer(text))
    for r in rows:
        if r["claim_id"] in first_person and not r["speaker_name"]:
            src = next((o for o in rows if o["claim_id"] != r["claim_id"] and o["speaker_name"]
                        and o["start_char"] <= r["start_char"] and r["end_char"] <= o["end_char"]), None)
            m = next((q for q in quotes if q.start() <= r["start_char"] < q.end()), None)
            if src is None and m is not None:
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is not None:
                    src = _speaker_row([o for o in rows if o["claim_id"] not in first_person], m, text,
                                       sent_of[span.start], sent_of[span.end - 1], windows)
            if src is None and m is None:
                src = _statement_before(rows, r, first_person, windows)
            if src is not None and (m is not None or src["start_char"] <= r["start_char"]):
                r = {**r, "speaker_id": src["speaker_id"], "speaker_name": src["speaker_name"]}
        out.append(r)
    return out


def primary_first(rows: list[dict], cue_at: dict, doc_text: str, pattern: re.Pattern, relay_cues: frozenset) \
        -> list[dict]:
    """Rows in text order, and of the claims one statement makes in one sentence (rows whose spans
    overlap) the primary one first: the claim of the source before a medium's relay of it ("According to Geo
    News, Sharif assured ...", "The BBC reported that the police commander said ...": ``relay_cues``), and
    the quoting speaker's before a claim cued inside the quotation ("“According to initial reports, ...,” he
    said"). ``cue_at``: claim id -> character offset of its cue. Rows in, rows out (none changed)."""
    quotes = [(m.start(), m.end()) for m in pattern.finditer(doc_text)]

    def rank(r):
        at = cue_at.get(r["claim_id"])
        if at is not None and any(s < at < e for s, e in quotes):
            return 2
        return 1 if r["cue"] in relay_cues else 0

    ordered = sorted(rows, key=lambda r: r["start_char"])
    keys, cluster, end, sent = {}, 0, -1, None
    for k, r in enumerate(ordered):
        if r["start_char"] >= end or r["sent_idx"] != sent:
            cluster, end, sent = k, r["end_char"], r["sent_idx"]
        end = max(end, r["end_char"])
        keys[id(r)] = (cluster, rank(r), k)
    for s, e in quotes:
        # a quote of several sentences: the claims cued inside it go with the claim that attributes it
        # ("“The court declared the arrest legal. We are consulting ...,” he said.")
        inside = [r for r in ordered if s < cue_at.get(r["claim_id"], -1) < e]
        owner = next((r for r in ordered if r["start_char"] < e and s < r["end_char"]
                      and not s <= cue_at.get(r["claim_id"], s) < e), None)
        for r in inside if owner is not None else ():
            keys[id(r)] = (keys[id(owner)][0], 2, keys[id(r)][2])
    return sorted(ordered, key=lambda r: keys[id(r)])
