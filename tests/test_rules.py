"""Rule files: validated strictly at load, before any output is touched."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.rules import LEXICON, ListOf, MapOf, Record, load_lexicon, read_cues, read_taxonomy, validate

from .conftest import ROOT, edit


def test_the_shipped_rule_files_are_valid():
    load_config()     # validates every rule file it names
    lex = load_lexicon(ROOT / "configs" / "lexicon.yaml")
    assert "he" in lex.person_pronouns and lex.demonyms["Chinese"] == "China" and lex.numbers["dozen"] == 12


def test_misspelled_key_is_reported_by_its_misspelled_name(configs):
    edit(configs / "claim_cues.yaml", lambda d: d.update(reportng_verbs=d.pop("reporting_verbs")))
    with pytest.raises(PipelineError) as e:
        load_config(configs / "pipeline.yaml")
    msg = str(e.value)
    assert msg.startswith("[E502]") and "claim_cues.yaml" in msg and "'reportng_verbs'" in msg
    assert "reporting_verbs" in msg      # among the keys expected


def test_missing_key(configs):
    edit(configs / "event_types.yaml", lambda d: d.pop("combatants"))
    with pytest.raises(PipelineError, match=r"^\[E503\].*event_types.yaml: missing key 'combatants'; expected a list"):
        load_config(configs / "pipeline.yaml")


def test_missing_key_of_a_type(configs):
    edit(configs / "event_types.yaml", lambda d: d["types"]["attack"].pop("priority"))
    with pytest.raises(PipelineError, match=r"\[E503\].*'types.attack.priority'; expected an integer"):
        read_taxonomy(configs / "event_types.yaml")


def test_wrong_type(configs):
    edit(configs / "claim_cues.yaml", lambda d: d["windows"].update(quote_min_chars="many"))
    with pytest.raises(PipelineError, match=r"\[E504\].*'windows.quote_min_chars' is the string 'many'; "
                                            r"expected an integer"):
        read_cues(configs / "claim_cues.yaml")


def test_unquoted_yaml_boolean_word_is_a_wrong_type(configs):
    path = configs / "lexicon.yaml"
    path.write_text(path.read_text().replace('negative: ["no"]', "negative: [no]"))
    with pytest.raises(PipelineError, match=r"\[E504\].*'determiners.negative\[0\]' is False; expected a string"):
        load_lexicon(path)


def test_unknown_event_type_in_a_type_list(configs):
    edit(configs / "event_types.yaml", lambda d: d["violent_types"].append("riot"))
    with pytest.raises(PipelineError, match=r"\[E504\].*'violent_types\[5\]' is the string 'riot'; expected one of"):
        read_taxonomy(configs / "event_types.yaml")


def test_empty_reporting_verbs(configs):
    edit(configs / "claim_cues.yaml", lambda d: d.update(reporting_verbs=[]))
    with pytest.raises(PipelineError, match=r"\[E504\].*'reporting_verbs'.*non-empty"):
        read_cues(configs / "claim_cues.yaml")


def test_broken_rule_file_stops_the_run_before_any_output(configs, tmp_path):
    edit(configs / "lexicon.yaml", lambda d: d.update(pronuns=d.pop("pronouns")))
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(ROOT / "corpus"), "--out", str(out),
                        "--config", str(configs / "pipeline.yaml")], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "[E502]" in r.stderr and "lexicon.yaml" in r.stderr and "'pronuns'" in r.stderr
    assert not out.exists()


@pytest.mark.parametrize("value,spec,message", [
    ({"a": 1}, Record({"a": int, "b": str}), "missing key 'b'"),
    ({"a": 1, "c": 2}, Record({"a": int}), "unknown key 'c'"),
    ({"x": [1]}, MapOf(ListOf(str)), "'x[0]' is the integer 1; expected a string"),
    ({"x": "word"}, MapOf(ListOf(str)), "'x' is the string 'word'; expected a list of strings"),
    (["  "], ListOf(str), "'/[0]'"),
    (None, LEXICON, "is empty; expected a mapping with the keys pronouns"),
])
def test_validate(value, spec, message, tmp_path):
    with pytest.raises(PipelineError, match=message.replace("[", r"\[").replace("]", r"\]")):
        validate(value, spec, tmp_path / "f.yaml")


def test_unknown_modality_rule_name(configs):
    edit(configs / "event_types.yaml", lambda d: d["modality"]["rules"].append("negatoin"))
    with pytest.raises(PipelineError, match=r"\[E504\].*'modality.rules\[4\]' is the string 'negatoin'; "
                                            r"expected a rule name"):
        read_taxonomy(configs / "event_types.yaml")


def test_unknown_claim_modality_rule_name(configs):
    edit(configs / "claim_cues.yaml", lambda d: d["modality_rules"].insert(0, "hedges"))
    with pytest.raises(PipelineError, match=r"\[E504\].*'modality_rules\[0\]' is the string 'hedges'"):
        read_cues(configs / "claim_cues.yaml")
