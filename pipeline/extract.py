"""The stage boundary: one parsed Doc in, the rows of every per-document table out.

Each stage is a pure function of the Doc (and of what earlier stages produced for it);
the :class:`Extractor` holds what they share, loaded once: the nlp pipeline and the
rule knowledge from configs/.
"""

from __future__ import annotations

import datetime as dt
import json

from spacy.tokens import Doc

from .config import PIPELINE_VERSION, Config
from .ingest import Article
from .nlp import build_nlp
from .aliases import load_aliases
from .claims import ClaimExtractor, load_cues
from .context import build_context
from .dates import load_date_rules
from .entities import Linker, geocode_events, mention_rows
from .events import EventExtractor, load_taxonomy
from .resolve import Resolver
from .rules import load_lexicon
from .schemas import make_row
from .segment import sentence_rows, token_sentences


class Extractor:
    """What the stages share, loaded once: the nlp pipeline and the rule knowledge from configs/."""

    def __init__(self, config: Config, nlp=None):
        self.config = config
        ent = config.section("entities")
        self.aliases = load_aliases(config.rule_path("entities", "aliases"))
        self.lexicon = load_lexicon(config.rule_path("rules", "lexicon"))
        self.dates = load_date_rules(config.rule_path("rules", "dates"), self.lexicon.numbers)
        self.linker = Linker(self.aliases, ent["fuzzy_threshold"], ent["min_fuzzy_length"], ent["titles"],
                             ent["place_suffixes"], gazetteer=make_gazetteer(config),
                             facility_heads=ent["facility_heads"], group_heads=ent["group_heads"],
                             not_acronyms=ent["not_acronyms"], articles=ent["articles"],
                             place_prepositions=ent["place_prepositions"],
                             untagged_place_prepositions=ent["untagged_place_prepositions"],
                             dateline=self.dates.dateline,
                             armed_forces_heads=ent["armed_forces_heads"],
                             armed_forces_name=ent["armed_forces_name"], place_nouns=ent["place_nouns"],
                             demonyms=self.lexicon.demonyms, region_words=ent["region_words"],
                             armed_forces_names=self.lexicon.armed_forces_names,
                             group_signs=(self.lexicon.group_members, self.lexicon.group_acts))
        self.nlp = nlp if nlp is not None else build_nlp(config, self.aliases)
        cues = load_cues(config.rule_path("claims", "cues"), self.lexicon)
        # one resolver of "who is this phrase" for event actors and claim speakers
        self.resolver = Resolver(self.lexicon, cues=cues, aliases=self.aliases)
        self.events = EventExtractor(load_taxonomy(config.rule_path("events", "taxonomy"), self.lexicon),
                                     vocab=self.nlp.vocab, resolver=self.resolver, place_of=self.linker.place_of)
        self.claims = ClaimExtractor(cues, self.aliases, vocab=self.nlp.vocab, resolver=self.resolver)
        warm_up(self.linker.gazetteer)

    def extract(self, doc: Doc, art: Article, fingerprint: str) -> dict[str, list[dict]]:
        """The rows of every per-document table: the document context is built once (mentions, sentence
        map, dates, dateline) and every stage reads it."""
        doc_id = art.doc_id
        ctx = build_context(doc, doc_id, self.linker.link(doc), art.published, token_sentences(doc),
                            dates=self.dates)
        sentences = sentence_rows(doc, doc_id)
        document = make_row("documents", **{
            "doc_id": doc_id, "path": art.path, "title": art.title, "published": art.published,
            "published_source": art.published_source, "source": art.source, "url": art.url,
            "author": art.author, "extra": json.dumps(art.extra, default=str, sort_keys=True),
            "text": art.text, "n_sentences": len(sentences), "n_tokens": len(doc),
            "content_sha256": art.content_sha256,
            "ingest_warning": "; ".join(art.warnings) or None, "config_fingerprint": fingerprint,
            "country_code": self.linker.mentions_country(list(ctx.mentions)),
            "processed_at": dt.datetime.now(dt.timezone.utc), "pipeline_version": PIPELINE_VERSION,
            "file_size": art.size, "file_mtime_ns": art.mtime_ns,
        })
        return {"documents": [document], "sentences": sentences,
                "mentions": mention_rows(list(ctx.mentions), doc_id, ctx.sent_of),
                "events": geocode_events(self.events.extract(ctx), self.linker.place_of),
                "claims": self.claims.extract(ctx)}


def warm_up(gazetteer=None) -> None:
    """Pay at start-up (once per process, before workers fork) the one-time costs the first document would
    otherwise pay in every worker: dateparser's time-zone patterns (built on its first date), pyarrow's import of
    pandas (on its first table) and the gazetteer's id index (on the first place looked up by id). None of
    them changes what any later call returns."""
    from .dates import _parser
    from .schemas import DOC_TABLES, to_table

    _parser(None).get_date_data("3 March 2020")
    for table in DOC_TABLES:
        to_table(table, [])
    if gazetteer is not None:
        gazetteer.by_entity_id("geonames:0")


def make_gazetteer(config: Config):
    """The configured gazetteer (loaded once per process), or None when it is switched off."""
    from .gazetteer import GazetteerSettings, load_gazetteer

    g = config.section("gazetteer")
    if not g["enabled"]:
        return None
    return load_gazetteer(GazetteerSettings(
        min_population=g["min_population"], admin_words=tuple(g["admin_words"]),
        min_alternate_length=g["min_alternate_length"], alternates_population=g["alternates_population"],
        major_city_population=g["major_city_population"]))
