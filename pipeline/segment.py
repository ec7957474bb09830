"""Sentence segmentation stage: a parsed Doc in, sentence rows out."""

from __future__ import annotations

from spacy.tokens import Doc

from .schemas import make_row
from .tokindex import doc_sents, doc_text


def sentence_rows(doc: Doc, doc_id: str) -> list[dict]:
    """One row per sentence of the model's segmentation, whitespace-only sentences skipped.

    ``sent_idx`` counts the kept sentences; :func:`token_sentences` gives later stages the same index.
    """
    rows = []
    text = doc_text(doc)
    for sent in doc_sents(doc):
        start, end = _strip(text, sent.start_char, sent.end_char)
        if start == end:
            continue
        rows.append(make_row("sentences", **{"doc_id": doc_id, "sent_idx": len(rows), "start_char": start,
                     "end_char": end, "text": text[start:end]}))
    return rows


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def token_sentences(doc: Doc) -> list[int]:
    """sent_idx of every token (a whitespace-only sentence takes the index of the next one)."""
    out, n, text = [], 0, doc_text(doc)
    for sent in doc_sents(doc):
        keep = bool(text[sent.start_char:sent.end_char].strip())
        out += [n] * len(sent)
        n += keep
    return out
