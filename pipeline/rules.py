"""Rule files (configs/*.yaml): read and validated strictly, before any output is touched.

Each rule file has a schema written as data below: a mapping with fixed keys (:class:`Record`),
a mapping of free names to one kind of value (:class:`MapOf`), a list of one kind (:class:`ListOf`),
or a scalar type. An unknown key, a missing key or a value of the wrong type stops the run with an
error code (E502-E504), the file, the key (by the name written in the file, so a misspelled
``reporting_verbs`` is reported as misspelled) and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import YAML_LOADER
from .errors import Errors, PipelineError
from .schemas import EVENT_TYPES


@dataclass(frozen=True)
class ListOf:
    item: Any

    def describe(self) -> str:
        return f"a list of {_plural(self.item)}"


@dataclass(frozen=True)
class MapOf:
    value: Any

    def describe(self) -> str:
        return f"a mapping of names to {_plural(self.value)}"


@dataclass(frozen=True)
class Record:
    keys: dict
    doc: str = ""

    def describe(self) -> str:
        return f"a mapping with the keys {', '.join(self.keys)}"


def _describe(spec) -> str:
    if isinstance(spec, (ListOf, MapOf, Record)):
        return spec.describe()
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false"}[spec]


def _plural(spec) -> str:
    if isinstance(spec, (ListOf, MapOf, Record)):
        return spec.describe().replace("a list", "lists", 1).replace("a mapping", "mappings", 1)
    return {str: "strings", int: "integers", float: "numbers", bool: "true or false values"}[spec]


def _kind(value) -> str:
    if value is None:
        return "empty"
    return {dict: "a mapping", list: "a list", str: f"the string {value!r}", bool: f"{value!r}",
            int: f"the integer {value}", float: f"the number {value}"}.get(type(value), type(value).__name__)


def validate(value, spec, path: Path, key: str = "") -> None:
    """Raise a :class:`PipelineError` at the first place ``value`` does not follow ``spec``."""
    where = key or "/"
    if isinstance(spec, Record):
        if not isinstance(value, dict):
            raise PipelineError(Errors.E504.format(path=path, key=where, got=_kind(value), expected=_describe(spec)))
        for k in value:
            if k not in spec.keys:
                raise PipelineError(Errors.E502.format(path=path, key=_join(key, k), expected=", ".join(spec.keys)))
        for k, sub in spec.keys.items():
            if k not in value:
                raise PipelineError(Errors.E503.format(path=path, key=_join(key, k), expected=_describe(sub)))
            validate(value[k], sub, path, _join(key, k))
    elif isinstance(spec, MapOf):
        if not isinstance(value, dict):
            raise PipelineError(Errors.E504.format(path=path, key=where, got=_kind(value), expected=_describe(spec)))
        for k, v in value.items():
            if not isinstance(k, str):
                raise PipelineError(Errors.E504.format(path=path, key=_join(key, str(k)), got=_kind(k),
                                                       expected="a name (a string key)"))
            validate(v, spec.value, path, _join(key, k))
    elif isinstance(spec, ListOf):
        if not isinstance(value, list):
            raise PipelineError(Errors.E504.format(path=path, key=where, got=_kind(value), expected=_describe(spec)))
        for i, v in enumerate(value):
            validate(v, spec.item, path, f"{where}[{i}]")
    else:
        ok = isinstance(value, spec) and (spec is bool or not isinstance(value, bool))
        if spec is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if spec is str:
            ok = ok and bool(value.strip())
        if not ok:
            raise PipelineError(Errors.E504.format(path=path, key=where, got=_kind(value), expected=_describe(spec)))


def _join(key: str, sub: str) -> str:
    return f"{key}.{sub}" if key else sub


def read_rule_file(path: str | Path, schema: Record) -> dict:
    """The content of a YAML rule file, checked against ``schema``."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except (OSError, yaml.YAMLError) as e:
        raise PipelineError(Errors.E501.format(path=path, reason=str(e).splitlines()[0]))
    validate(data if data is not None else {}, schema, path)
    return data


def check(condition: bool, path: Path, key: str, expected: str, got) -> None:
    """A rule-file check beyond the schema (a type name that must exist, a list that must not be empty)."""
    if not condition:
        raise PipelineError(Errors.E504.format(path=path, key=key, got=_kind(got), expected=expected))


WORDS = ListOf(str)
NAMES = MapOf(str)

# The steps of the antecedent policy (lexicon.yaml antecedent.steps), registered in pipeline/resolve.py.
ANTECEDENT_STEP_NAMES = ("same_title", "own_sentence", "unique_in_window", "last_speaker_in_window", "nearest_in_window", "last_speaker", "nearest")

# configs/lexicon.yaml: words used by several stages
LEXICON = Record({
    "pronouns": Record({"person": WORDS, "group": WORDS, "plural": WORDS}),
    "group_references": WORDS,
    "determiners": Record({"definite": WORDS, "possessive": WORDS, "plural_definite": WORDS, "indefinite": WORDS,
                           "new": WORDS, "negative": WORDS}),
    "demonyms": NAMES,
    "capitals": NAMES,
    "armed_forces_names": NAMES,
    "locative_prepositions": WORDS,
    "hedges": Record({"unverified": WORDS, "uncertain": WORDS}),
    "numbers": MapOf(int),
    "copulas": WORDS,
    "combat_nouns": WORDS,
    "armed_group_signs": Record({"members": WORDS, "acts": WORDS}),
    "antecedent": Record({"window_sentences": int, "title_tokens": int, "steps": WORDS}),
})

# configs/dates.yaml: temporal expressions and datelines
OFFSETS = MapOf(int)
DATES = Record({
    "weekdays": WORDS, "noise_words": WORDS,
    "durations": Record({"words": WORDS, "units": WORDS, "prepositions": WORDS, "ago": WORDS}),
    "day_words": OFFSETS, "day_phrases": OFFSETS, "previous_words": WORDS, "day_parts": WORDS,
    "periods": MapOf(Record({"unit": str, "offset": int})),
    "shifts": Record({"hedges": WORDS, "articles": OFFSETS, "ordinals": OFFSETS, "units": WORDS, "back": WORDS,
                      "forward": WORDS}),
    "years": Record({"first": int, "last": int}),
    "dateline": Record({"max_lines": int, "place_tokens": int, "date_tokens": int, "head_tokens": int,
                        "dashes": WORDS}),
})
PERIOD_UNITS = ("week", "month", "year")
SHIFT_UNITS = ("year", "month", "week", "day")


# The schema of configs/event_types.yaml (every key required, no other key allowed).
TYPE_SPEC = Record({"cameo_root": str, "acled_type": str, "acled_disorder_type": str, "acled_sub_event_type": str,
                    "priority": int, "verbs": WORDS, "nouns": WORDS, "phrases": WORDS})
EVENT_WINDOWS = ("responsibility_sentences", "recent_sentences", "scene_sentences", "date_sentences",
                 "actor_name_tokens", "chain_heads", "phrase_tokens", "phrase_tail_tokens", "min_clause_tokens",
                 "same_happening_days", "part_sentences", "news_days", "attack_victims")
TAXONOMY = Record({
    "types": MapOf(TYPE_SPEC),
    **{k: WORDS for k in ("state_forces", "combatants", "generic_heads", "reference_heads", "reference_preps",
                          "earlier_prepositions",
                          "hypothetical_heads", "modal_words")},
    "broad_places": Record({"countries": WORDS, "provinces": WORDS}),
    **{k: WORDS for k in ("carry_out_verbs", "happening_verbs", "habitual_adverbs", "violent_types",
                          "violence_scene_types", "casualty_types", "state_action_types", "official_types",
                          "toll_types", "duration_units", "duration_shift_words", "owner_place_types")},
    "casualty_words": Record({"killed": WORDS, "injured": WORDS, "hostages": WORDS}),
    **{k: WORDS for k in ("intransitive_death_verbs", "combatant_pronouns", "happening_nouns", "counting_words",
                          "generic_modifiers", "conditional_marks")},
    "responsibility": Record({"verbs": WORDS, "nouns": WORDS, "adjectives": WORDS, "blame_nouns": WORDS,
                              "object_prepositions": WORDS,
                              "blame_prepositions": WORDS}),
    "agent_prepositions": WORDS,
    "party_prepositions": WORDS,
    "target_prepositions": Record({"verbal": WORDS, "nominal": WORDS}),
    **{k: WORDS for k in ("dateline_adverbs", "place_object_triggers", "place_struck_verbs", "visited_place_verbs", "statement_verbs",
                          "boundary_nouns", "targeted_killing_words", "deployment_triggers",
                          "destination_prepositions", "site_nouns", "journey_nouns",
                          "away_prepositions")},
    "modality": Record({"rules": WORDS, "chain_rules": WORDS}),
    "windows": Record({k: int for k in EVENT_WINDOWS}),
})
TYPE_LISTS = ("violent_types", "violence_scene_types", "casualty_types", "state_action_types", "official_types",
              "toll_types", "owner_place_types")


CUE_WINDOWS = ("speaker_name_tokens", "inverted_speaker_tokens",
           "office_country_tokens", "cue_date_tokens", "denial_noun_tokens", "author_min_tokens", "phrase_words",
           "quote_min_chars", "quote_min_words", "quote_cue_chars", "quote_after_sentences", "quote_before_sentences")
CUE_LISTS = ("reporting_verbs", "reporting_nouns", "needs_clause", "source_nouns", "role_nouns", "author_hedge_verbs",
         "hedge_verbs", "denial_verbs", "denial_phrases", "denial_quantifiers", "denial_nouns", "author_hedges",
         "government_heads", "government_offices", "source_phrases", "source_prepositions", "nobody_words",
         "nobody_determiners", "negative_pronouns", "conditional_marks", "complementizers", "new_person_determiners",
         "dropped_leading_words", "kept_pronouns", "copular_hedge_verbs", "speech_verbs", "impersonal_passive_verbs",
         "verification_verbs", "proposition_denial_verbs", "proposition_nouns", "no_response_verbs",
         "no_response_refusals", "country_speakers", "first_person_pronouns", "assertion_verbs",
         "assertion_markers", "relay_cues", "role_status_words")
# The schema of configs/claim_cues.yaml (every key required, no other key allowed).
CUES = Record({**{k: WORDS for k in CUE_LISTS}, "phrases": MapOf(str), "generic_speakers": MapOf(str),
               "modality_rules": WORDS,
               "windows": Record({k: int for k in CUE_WINDOWS})})


@dataclass(frozen=True)
class Lexicon:
    """The shared words, lower case (names of places and demonyms as written)."""
    person_pronouns: frozenset
    group_pronouns: frozenset
    plural_pronouns: frozenset
    group_references: frozenset
    definite: frozenset
    possessive: frozenset
    plural_definite: frozenset
    indefinite: frozenset
    new: frozenset
    negative: frozenset
    demonyms: dict
    capitals: dict
    locative: frozenset
    unverified: frozenset
    uncertain: frozenset
    numbers: dict
    copulas: frozenset
    antecedent_window: int = 2                 # sentences before the pronoun's own searched for its antecedent
    antecedent_title_tokens: int = 4           # "Interior Minister Mohsin Naqvi": the title this close before the name
    antecedent_steps: tuple = ("same_title", "own_sentence", "unique_in_window", "last_speaker_in_window", "nearest_in_window", "last_speaker",
                               "nearest")
    armed_forces_names: dict = field(default_factory=dict)   # country -> its armed forces' English name
    combat_nouns: frozenset = frozenset()      # "killed in clashes with the army": the other side killed them
    group_members: frozenset = frozenset()     # "Boko Haram insurgents": a name before one of these is a group's
    group_acts: frozenset = frozenset()        # "Boko Haram killed four workers": acts of armed groups


def low(words) -> frozenset:
    return frozenset(w.lower() for w in words)


def load_lexicon(path: str | Path) -> Lexicon:
    d = read_rule_file(path, LEXICON)
    check_antecedent_steps(path, d["antecedent"]["steps"])
    p, det, hedges = d["pronouns"], d["determiners"], d["hedges"]
    return Lexicon(low(p["person"]), low(p["group"]), low(p["plural"]), low(d["group_references"]),
                   low(det["definite"]), low(det["possessive"]), low(det["plural_definite"]), low(det["indefinite"]),
                   low(det["new"]), low(det["negative"]), dict(d["demonyms"]), dict(d["capitals"]),
                   low(d["locative_prepositions"]), low(hedges["unverified"]), low(hedges["uncertain"]),
                   {k.lower(): v for k, v in d["numbers"].items()}, low(d["copulas"]),
                   d["antecedent"]["window_sentences"], d["antecedent"]["title_tokens"],
                   tuple(d["antecedent"]["steps"]), dict(d["armed_forces_names"]),
                   low(d["combat_nouns"]), low(d["armed_group_signs"]["members"]),
                   low(d["armed_group_signs"]["acts"]))


def check_antecedent_steps(path: str | Path, steps) -> None:
    """The antecedent steps of lexicon.yaml name steps pipeline/resolve.py registers (ANTECEDENT_STEP_NAMES;
    no spaCy import at config load)."""
    for i, name in enumerate(steps):
        check(name in ANTECEDENT_STEP_NAMES, path, f"antecedent.steps[{i}]",
              f"a step name, one of {', '.join(ANTECEDENT_STEP_NAMES)}", name)


def default_lexicon_path(rule_file: str | Path) -> Path:
    """The shared lexicon beside a rule file (configs/lexicon.yaml)."""
    return Path(rule_file).parent / "lexicon.yaml"


def read_taxonomy(path: str | Path) -> dict:
    """configs/event_types.yaml, checked: the schema, exactly the table's event types, type lists naming types."""
    path = Path(path)
    data = read_rule_file(path, TAXONOMY)
    types = data["types"]
    check(set(types) == set(EVENT_TYPES), path, "types", f"exactly the types {', '.join(EVENT_TYPES)}",
          ", ".join(types))
    for key in TYPE_LISTS:
        for i, name in enumerate(data[key]):
            check(name in types, path, f"{key}[{i}]", f"one of the types {', '.join(EVENT_TYPES)}", name)
    from .event_modality import CHAIN_RULES, RULES     # the registered rule names (no spaCy import)

    for key, registry in (("rules", RULES), ("chain_rules", CHAIN_RULES)):
        for i, name in enumerate(data["modality"][key]):
            check(name in registry, path, f"modality.{key}[{i}]", f"a rule name, one of {', '.join(registry)}", name)
    return data


def read_cues(path: str | Path) -> dict:
    """configs/claim_cues.yaml, checked: the schema, some reporting verb, source phrases among the phrases."""
    path = Path(path)
    d = read_rule_file(path, CUES)
    check(bool(d["reporting_verbs"]), path, "reporting_verbs", "a non-empty list of lemmas", d["reporting_verbs"])
    phrases = {tuple(k.lower().split()) for k in d["phrases"]}
    for i, p in enumerate(d["source_phrases"]):
        check(tuple(p.lower().split()) in phrases, path, f"source_phrases[{i}]", "one of the keys of phrases", p)
    from .claim_modality import RULES     # the registered rule names (no spaCy import)

    for i, name in enumerate(d["modality_rules"]):
        check(name in RULES, path, f"modality_rules[{i}]", f"a rule name, one of {', '.join(RULES)}", name)
    return d


def read_date_rules(path: str | Path) -> dict:
    """configs/dates.yaml, checked: the schema, seven weekdays, the units the date rules know."""
    path = Path(path)
    d = read_rule_file(path, DATES)
    check(len(d["weekdays"]) == 7, path, "weekdays", "the seven weekday names, Monday first", d["weekdays"])
    for phrase, spec in d["periods"].items():
        check(spec["unit"] in PERIOD_UNITS, path, f"periods.{phrase}.unit", f"one of {', '.join(PERIOD_UNITS)}",
              spec["unit"])
    for i, unit in enumerate(d["shifts"]["units"]):
        check(unit in SHIFT_UNITS, path, f"shifts.units[{i}]", f"one of {', '.join(SHIFT_UNITS)}", unit)
    return d


def check_rule_files(config) -> None:
    """Validate every YAML rule file a config names (at load, before any output is touched)."""
    read_rule_file(config.rule_path("rules", "lexicon"), LEXICON)
    read_date_rules(config.rule_path("rules", "dates"))
    read_taxonomy(config.rule_path("events", "taxonomy"))
    read_cues(config.rule_path("claims", "cues"))
