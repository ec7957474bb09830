"""Table schemas, declared once. The data dictionary in docs/DATA_DICTIONARY.md is generated from here."""

from __future__ import annotations

import pyarrow as pa


def _schema(doc: str, *cols: tuple[str, pa.DataType, str]) -> pa.Schema:
    fields = [pa.field(name, typ, metadata={"description": desc}) for name, typ, desc in cols]
    return pa.schema(fields, metadata={"description": doc})


TS = pa.timestamp("us", tz="UTC")

# The vocabularies of the tables (docs/GOLD_SPEC.md uses the same).
ENTITY_TYPES = ("group", "place", "person")
EVENT_TYPES = ("attack", "bombing", "hijacking", "kidnapping", "killing", "military_operation", "arrest",
               "meeting", "agreement", "protest")
CLAIM_MODALITIES = ("reported", "hedged", "denied", "asserted")

DOCUMENTS = _schema(
    "One row per ingested article (the current state of the corpus).",
    ("doc_id", pa.string(), "Content-derived id: first 16 hex digits of the SHA-256 of the text."),
    ("path", pa.string(), "Path relative to the corpus folder; 'file.jsonl:LINE' for JSONL articles."),
    ("title", pa.string(), "Title from metadata, else the first line when it reads as a headline."),
    ("published", pa.date32(), "Publication date."),
    ("published_source", pa.string(), "Where the date came from: metadata | dateline | none."),
    ("source", pa.string(), "Outlet name."),
    ("url", pa.string(), "Address of the article."),
    ("author", pa.string(), "Author."),
    ("extra", pa.string(), "Other metadata keys, as a JSON object."),
    ("text", pa.string(), "The stored text; every character offset in every table indexes into it."),
    ("n_sentences", pa.int32(), "Number of sentences."),
    ("n_tokens", pa.int32(), "Number of spaCy tokens."),
    ("content_sha256", pa.string(), "SHA-256 of text and metadata; a change makes the article reprocessed."),
    ("ingest_warning", pa.string(), "Warnings raised on ingest (e.g. invalid UTF-8 replaced), else null."),
    ("country_code", pa.string(), "The country the article is about: the most frequent country of the places it "
     "names (ISO 3166-1 alpha-2), or null."),
    ("config_fingerprint", pa.string(), "Fingerprint of the settings, rule files and model the rows were made with."),
    ("processed_at", TS, "When the article was processed."),
    ("pipeline_version", pa.string(), "Version of this package that processed it."),
    ("file_size", pa.int64(), "Size in bytes of the file the article was read from, when it was read (a file "
     "whose size and modification time are unchanged is not read again)."),
    ("file_mtime_ns", pa.int64(), "Modification time of that file, in nanoseconds since the epoch."),
)

SENTENCES = _schema(
    "One row per sentence, from the spaCy model's segmentation.",
    ("doc_id", pa.string(), "Document id."),
    ("sent_idx", pa.int32(), "0-based index of the sentence in the document; (doc_id, sent_idx) is the sentence id."),
    ("start_char", pa.int32(), "Start offset in documents.text."),
    ("end_char", pa.int32(), "End offset (exclusive) in documents.text."),
    ("text", pa.string(), "Sentence text, equal to text[start_char:end_char]."),
)

MENTIONS = _schema(
    "One row per mention of a group, place, person or nationality.",
    ("doc_id", pa.string(), "Document id."),
    ("sent_idx", pa.int32(), "Sentence index."),
    ("start_char", pa.int32(), "Start offset in documents.text."),
    ("end_char", pa.int32(), "End offset (exclusive)."),
    ("text", pa.string(), "Surface form as written."),
    ("label", pa.string(), "spaCy label (PERSON, ORG, GPE, LOC, FAC, NORP; the alias rule layer assigns PERSON, ORG or GPE), or RULE for acronyms and name parts found again in the text."),
    ("entity_type", pa.string(), "group | place | person | nationality."),
    ("entity_id", pa.string(), "Canonical entity id (alias table id; 'geonames:<id>' or 'iso3166:<CC>-<name>' for a place from the gazetteer; 'x:' + normalised name for other unlisted names)."),
    ("canonical_name", pa.string(), "Canonical name of the entity."),
    ("link_method", pa.string(), "alias | acronym | short_form | fuzzy | gazetteer | new."),
    ("link_score", pa.float32(), "Confidence of the link, 0-1."),
)

ENTITIES = _schema(
    "One row per canonical entity seen in the corpus (rebuilt from mentions at each run).",
    ("entity_id", pa.string(), "Canonical entity id."),
    ("canonical_name", pa.string(), "Canonical name."),
    ("entity_type", pa.string(), "group | place | person | nationality."),
    ("in_alias_table", pa.bool_(), "Whether the entity is listed in the alias table."),
    ("aliases_seen", pa.list_(pa.string()), "Distinct surface forms seen in the corpus."),
    ("n_mentions", pa.int32(), "Number of mentions."),
    ("n_documents", pa.int32(), "Number of documents mentioning it."),
    ("country_code", pa.string(), "Places: ISO 3166-1 alpha-2 code of the country."),
    ("admin1", pa.string(), "Places: name of the first-level division (province, state, region)."),
    ("latitude", pa.float64(), "Places: latitude (WGS84); for a country or division, the population-weighted "
     "centre of its towns."),
    ("longitude", pa.float64(), "Places: longitude (WGS84)."),
    ("geonames_id", pa.int64(), "Places: GeoNames id, when the place has one in the gazetteer."),
    ("feature", pa.string(), "Places: country | admin1 | city | facility | other."),
)

EVENTS = _schema(
    "One row per happening within an article: who did what to whom, where and when. The sentences that state "
    "one happening are one row (start_char/end_char the statement that says most, also_spans the others); a "
    "background mention of an earlier happening is a row of its own.",
    ("event_id", pa.string(), "Id: doc_id + sentence + trigger offset."),
    ("doc_id", pa.string(), "Document id."),
    ("sent_idx", pa.int32(), "Sentence index."),
    ("start_char", pa.int32(), "Start of the evidence clause in documents.text (the statement that says most)."),
    ("end_char", pa.int32(), "End (exclusive) of the evidence clause."),
    ("also_spans", pa.list_(pa.list_(pa.int32())), "[start, end] of the other statements of the same happening "
     "in the article; each field is combined from all of them (the most precise date stated, the actor of a "
     "claim of responsibility, the most specific place, the largest casualty figures)."),
    ("trigger", pa.string(), "Trigger word as written."),
    ("event_type", pa.string(), "attack | bombing | hijacking | kidnapping | killing | military_operation | arrest | meeting | agreement | protest."),
    ("cameo_root", pa.string(), "CAMEO root code of the type."),
    ("acled_type", pa.string(), "ACLED event type of the type."),
    ("actor_id", pa.string(), "Entity id of the actor, when it is a linked entity."),
    ("actor_name", pa.string(), "Canonical name of the actor when it is an entity (a demonym stands for its country)."),
    ("actor_text", pa.string(), "The actor's noun phrase as written."),
    ("target_id", pa.string(), "Entity id of the target, when linked."),
    ("target_text", pa.string(), "Target noun phrase."),
    ("location_id", pa.string(), "Entity id of the most specific place."),
    ("location_name", pa.string(), "Canonical name of that place."),
    ("country_code", pa.string(), "ISO 3166-1 alpha-2 code of the location's country."),
    ("admin1", pa.string(), "First-level division (province, state, region) of the location."),
    ("latitude", pa.float64(), "Latitude of the location (WGS84)."),
    ("longitude", pa.float64(), "Longitude of the location (WGS84)."),
    ("geo_precision", pa.int8(), "ACLED geo precision: 1 the town itself, 2 a part of a region or near a town, "
     "3 a province or larger region (see location_feature for country-only locations)."),
    ("location_feature", pa.string(), "What the location is: country | admin1 | city | facility | other."),
    ("date", pa.date32(), "Date of the event (first day of the period at month or year precision)."),
    ("date_precision", pa.string(), "day | month | year, or null."),
    ("date_text", pa.string(), "The temporal expression the date comes from."),
    ("date_method", pa.string(), "explicit | relative | report (a claim or reference made after it gives the month) | "
     "story (undated: the story's day) | publication | none."),
    ("killed", pa.int32(), "People killed, when stated (the largest figure the article states for the happening)."),
    ("killed_text", pa.string(), "The sentence that states the killed figure."),
    ("injured", pa.int32(), "People injured, when stated."),
    ("hostages", pa.int32(), "Hostages taken, when stated."),
    ("modality", pa.string(), "asserted | negated | hypothetical | hedged (told by rumours, reportedly); the default view keeps asserted."),
    ("confidence", pa.float32(), "Heuristic confidence, 0-1."),
    ("happening_id", pa.string(), "The real-world happening this row reports (happenings table), resolved across "
     "articles at the end of each run; null for negated or hypothetical rows."),
)

CLAIMS = _schema(
    "One row per attributed claim: who claims what, hedged or denied.",
    ("claim_id", pa.string(), "Id: doc_id + sentence + cue offset."),
    ("doc_id", pa.string(), "Document id."),
    ("sent_idx", pa.int32(), "Sentence index."),
    ("start_char", pa.int32(), "Start of the evidence in documents.text."),
    ("end_char", pa.int32(), "End (exclusive) of the evidence."),
    ("speaker_id", pa.string(), "Entity id of the speaker, when linked."),
    ("speaker_name", pa.string(), "Speaker: canonical name or noun phrase; null for the author."),
    ("cue", pa.string(), "Lemma of the reporting cue."),
    ("modality", pa.string(), "reported | hedged | denied | asserted."),
    ("negated", pa.bool_(), "Whether the proposition is negated."),
    ("subject", pa.string(), "Subject of the proposition."),
    ("subject_id", pa.string(), "Entity id of the subject, when linked."),
    ("predicate", pa.string(), "Predicate lemma."),
    ("object", pa.string(), "Object of the proposition."),
    ("object_id", pa.string(), "Entity id of the object, when linked."),
    ("quote", pa.string(), "Quoted text, for direct quotes."),
    ("content", pa.string(), "The claim content span."),
    ("date", pa.date32(), "Date of the statement."),
    ("date_precision", pa.string(), "day | month | year, or null."),
    ("date_method", pa.string(), "explicit | relative | publication | none."),
    ("confidence", pa.float32(), "Heuristic confidence, 0-1."),
)

RUNS = _schema(
    "One row per run.",
    ("run_id", pa.string(), "Run id (UTC timestamp and random suffix)."),
    ("started_at", TS, "Start time."),
    ("finished_at", TS, "End time."),
    ("added", pa.int32(), "Documents new to the tables."),
    ("changed", pa.int32(), "Documents whose content or settings changed and were reprocessed."),
    ("removed", pa.int32(), "Documents gone from the corpus, their rows dropped."),
    ("unchanged", pa.int32(), "Documents skipped as up to date."),
    ("rejected", pa.int32(), "Inputs rejected."),
    ("config_fingerprint", pa.string(), "Fingerprint of settings, rule files and model."),
    ("model_name", pa.string(), "spaCy model name."),
    ("model_version", pa.string(), "spaCy model version."),
    ("seconds", pa.float64(), "Wall time of the run."),
    ("happenings_fingerprint", pa.string(), "Hash of configs/happenings.yaml the happenings were resolved with."),
    ("documents_state", pa.string(), "Hash of the documents (ids and settings) the corpus-level tables were built "
     "from; a run that finds another state rebuilds them."),
)

REJECTS = _schema(
    "One row per input that could not be used in the latest run (not ingested, a duplicate, or its extraction failed).",
    ("path", pa.string(), "Path relative to the corpus folder."),
    ("reason", pa.string(), "One-line reason with an error code."),
    ("run_id", pa.string(), "Run that found it."),
    ("content_sha256", pa.string(), "For an extraction failure (E115): hash of the content it failed on; "
     "the article is retried only when this or the settings change, or with --retry-rejects."),
    ("config_fingerprint", pa.string(), "For an extraction failure: the settings fingerprint it failed under."),
)

HAPPENINGS = _schema(
    "One row per real-world happening, resolved from the events rows of all articles that report it "
    "(see happening_links for why each report is where it is).",
    ("happening_id", pa.string(), "Stable id, derived from the happening's first report."),
    ("event_type", pa.string(), "The event type most reports give."),
    ("date", pa.date32(), "The most precise date any report gives (first day of the period at month or year)."),
    ("date_precision", pa.string(), "day | month | year of that date."),
    ("date_min", pa.date32(), "Earliest date a report gives (differs from date_max when reports disagree)."),
    ("date_max", pa.date32(), "Latest date a report gives."),
    ("location_id", pa.string(), "Entity id of the location most reports give."),
    ("location_name", pa.string(), "Its canonical name."),
    ("country_code", pa.string(), "ISO 3166-1 alpha-2 code of the location's country."),
    ("admin1", pa.string(), "First-level division of the location."),
    ("latitude", pa.float64(), "Latitude of the location."),
    ("longitude", pa.float64(), "Longitude of the location."),
    ("geo_precision", pa.int8(), "ACLED geo precision of the location (1 town, 2 near a town, 3 region or larger)."),
    ("actor_id", pa.string(), "Entity id of the actor most reports name."),
    ("actor_name", pa.string(), "Its canonical name."),
    ("target_text", pa.string(), "The target most reports give."),
    ("killed_min", pa.int32(), "Lowest number killed any report gives (ACLED's fatality rule)."),
    ("killed_max", pa.int32(), "Highest number killed any report gives."),
    ("injured_min", pa.int32(), "Lowest number injured any report gives."),
    ("injured_max", pa.int32(), "Highest number injured any report gives."),
    ("n_reports", pa.int32(), "Events rows that report it."),
    ("n_documents", pa.int32(), "Articles that report it."),
    ("n_sources", pa.int32(), "Distinct outlets (documents.source) that report it."),
    ("first_reported", pa.date32(), "Earliest publication date of its articles."),
    ("last_reported", pa.date32(), "Latest publication date of its articles."),
    ("disagreements", pa.string(), "Fields on which reports differ, each value with its sources: "
     "'killed: 15 (AP), 54 (Reuters); date: ...'; null when they agree."),
)

HAPPENING_LINKS = _schema(
    "One row per events row resolved into a happening: which rule joined it and with what score.",
    ("event_id", pa.string(), "The events row."),
    ("happening_id", pa.string(), "Its happening."),
    ("linked_to", pa.string(), "The report it was joined through (null for the happening's first report)."),
    ("rule", pa.string(), "'first report', or the evidence that joined it: same_type, same_date, next_day, "
     "date_inside, same_place, place_inside, same_country, shared_actor, shared_target, casualties_close, "
     "same_casualties joined with '+'."),
    ("score", pa.float32(), "Score of that evidence, 0-1 (weights in configs/happenings.yaml)."),
)

# Tables with one set of rows per document, in the order stages produce them.
DOC_TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS, "sentences": SENTENCES, "mentions": MENTIONS,
    "events": EVENTS, "claims": CLAIMS,
}
# Tables rebuilt or appended at the end of a run.
RUN_TABLES: dict[str, pa.Schema] = {"entities": ENTITIES, "happenings": HAPPENINGS,
                                     "happening_links": HAPPENING_LINKS, "runs": RUNS, "rejects": REJECTS}
ALL_TABLES: dict[str, pa.Schema] = {**DOC_TABLES, **RUN_TABLES}

# The tables' keys (written into datapackage.json; tests check that they hold on the seed outputs).
PRIMARY_KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"], "sentences": ["doc_id", "sent_idx"], "events": ["event_id"],
    "claims": ["claim_id"], "entities": ["entity_id"], "runs": ["run_id"], "rejects": ["path"],
}
# table -> [(columns, referenced table, referenced columns)]
FOREIGN_KEYS: dict[str, list[tuple[list[str], str, list[str]]]] = {
    "sentences": [(["doc_id"], "documents", ["doc_id"])],
    "mentions": [(["doc_id", "sent_idx"], "sentences", ["doc_id", "sent_idx"]),
                 (["entity_id"], "entities", ["entity_id"])],
    "events": [(["doc_id", "sent_idx"], "sentences", ["doc_id", "sent_idx"])],
    "claims": [(["doc_id", "sent_idx"], "sentences", ["doc_id", "sent_idx"])],
}


_COLUMNS: dict[str, tuple[str, ...]] = {name: tuple(schema.names) for name, schema in ALL_TABLES.items()}
_COLUMN_SETS: dict[str, frozenset] = {name: frozenset(names) for name, names in _COLUMNS.items()}


def make_row(table: str, **values) -> dict:
    """One row of ``table``, built from its schema: every column given, no other, in the schema's order
    (a missing or misspelled column is a programming error, not a silently empty value)."""
    names = _COLUMNS[table]
    if values.keys() != _COLUMN_SETS[table]:          # one set comparison in C
        missing = [n for n in names if n not in values]
        unknown = [k for k in values if k not in names]
        raise TypeError(f"{table} row: missing {missing}, unknown {unknown}")
    return {n: values[n] for n in names}


def to_table(name: str, rows: list[dict]) -> pa.Table:
    """The rows as a table of ``name``'s schema (a column a row lacks is null), built column by column: several
    times cheaper than row by row."""
    schema = ALL_TABLES[name]
    return pa.Table.from_pydict({n: [r.get(n) for r in rows] for n in schema.names}, schema=schema)


def data_dictionary() -> str:
    """Markdown data dictionary of every table, generated from the schemas."""
    out = ["# Data dictionary", "",
           "Generated from `pipeline/schemas.py` by `pipeline docs`; do not edit by hand.", ""]
    for name, schema in ALL_TABLES.items():
        out += [f"## `{name}`", "", schema.metadata[b"description"].decode(), ""]
        keys = []
        if name in PRIMARY_KEYS:
            keys.append("Primary key: " + ", ".join(f"`{c}`" for c in PRIMARY_KEYS[name]) + ".")
        for cols, ref, ref_cols in FOREIGN_KEYS.get(name, []):
            keys.append(f"Foreign key: ({', '.join(cols)}) -> `{ref}` ({', '.join(ref_cols)}).")
        if keys:
            out += [" ".join(keys), ""]
        out += ["| column | type | meaning |", "| --- | --- | --- |"]
        for f in schema:
            out.append(f"| `{f.name}` | {f.type} | {f.metadata[b'description'].decode()} |")
        out.append("")
    return "\n".join(out)
