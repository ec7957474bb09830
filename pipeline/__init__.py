"""News claim extraction pipeline: articles in, Parquet tables out.

The public API, re-exported from the stage modules. Names are imported on first use
(PEP 562), so a command that needs no model (a no-op re-run, ``status``) does not pay
for importing spaCy.
"""

from importlib import import_module

from .config import PIPELINE_VERSION

__version__ = PIPELINE_VERSION

_EXPORTS = {
    "Config": "config", "load_config": "config",
    "Errors": "errors", "PipelineError": "errors",
    "Article": "ingest", "Reject": "ingest", "read_corpus": "ingest",
    "sentence_rows": "segment",
    "AliasTable": "aliases", "load_aliases": "aliases", "norm": "aliases",
    "Linker": "entities", "Mention": "entities", "mention_rows": "entities", "entity_rows": "entities",
    "suggest_aliases": "entities",
    "EventExtractor": "events", "load_taxonomy": "events", "Taxonomy": "events",
    "TriggerMatcher": "triggers", "Candidate": "triggers",
    "ClaimExtractor": "claims", "load_cues": "claims", "Cues": "claims",
    "CueMatcher": "cue_matcher", "Cue": "cue_matcher",
    "DocContext": "context", "build_context": "context",
    "Resolver": "resolve",
    "Lexicon": "rules", "load_lexicon": "rules", "check_rule_files": "rules",
    "normalise": "dates", "DateValue": "dates",
    "Extractor": "extract", "build_nlp": "nlp",
    "plan_run": "run", "run": "run", "status": "run",
    "evaluate": "evaluate", "score": "evaluate", "load_gold": "evaluate",
    "ALL_TABLES": "schemas", "data_dictionary": "schemas", "make_row": "schemas",
    "Store": "store",
    "load": "desk.frames", "happenings_frame": "desk.frames", "reports_frame": "desk.frames",
    "connect": "desk.sql", "query": "desk.sql",
    "export_acled": "desk.export", "load_acled_rules": "desk.export",
    "package_descriptor": "desk.datapackage", "write_datapackage": "desk.datapackage",
    "build_report": "desk.report", "write_report": "desk.report",
}
__all__ = ["PIPELINE_VERSION", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
