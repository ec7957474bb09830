"""The document context: what every stage reads about one parsed document, built once.

The Doc, its id and publication date, the linked mentions and the token-to-mention map, the sentence
index of every token and the kept sentences, the document's dates with their values, and the dateline
place. Stages read it; none re-derives any of it, and none changes it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc, Span

from .dateline import dateline_place
from .dates import DateRules, DateValue, doc_dates
from .entities import Mention
from .segment import token_sentences
from .syntax import token_mentions
from .tokindex import doc_sents, doc_text


class Sentence(NamedTuple):
    idx: int          # sent_idx of the sentences table
    span: Span


@dataclass(frozen=True)
class DocContext:
    doc: Doc
    doc_id: str
    published: dt.date | None
    mentions: tuple[Mention, ...]
    by_token: dict[int, Mention]                 # token index -> the innermost mention covering it ("Mali" in
                                                 # "Mali's army"; "army" is the army)
    sent_of: list[int]                           # token index -> sent_idx
    sentences: tuple[Sentence, ...]              # the non-blank sentences, in order
    dates: tuple[tuple[Span, DateValue], ...]    # the DATE/TIME spans with their values (filing date left out)
    dateline: Mention | None                     # the place the story is filed from
    country: Mention | None = None               # the country the article names most (a "the government" speaks for it)


def build_context(doc: Doc, doc_id: str, mentions: list[Mention], published: dt.date | None,
                  sent_of: list[int] | None = None, *, dates: DateRules) -> DocContext:
    """The context of one document (``sent_of`` is computed when not given; ``dates``: configs/dates.yaml)."""
    sent_of = sent_of if sent_of is not None else token_sentences(doc)
    text = doc_text(doc)
    sentences = tuple(Sentence(sent_of[s.start], s) for s in doc_sents(doc)
                      if text[s.start_char:s.end_char].strip())
    return DocContext(doc, doc_id, published, tuple(mentions), token_mentions(mentions), sent_of, sentences,
                      tuple(doc_dates(doc, published, dates)), dateline_place(doc, mentions, dates.dateline),
                      document_country(mentions))


def document_country(mentions) -> Mention | None:
    """The country an article is about, as a mention: the country (a place of breadth 2) it names most, the
    first named of those tied."""
    counts = Counter(m.entity_id for m in mentions if m.entity_type == "place" and m.breadth == 2 and m.entity_id)
    if not counts:
        return None
    top = max(counts.values())
    return next(m for m in mentions if m.entity_type == "place" and m.breadth == 2 and counts.get(m.entity_id) == top)
