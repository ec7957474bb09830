"""Regression guard: the headline figures on the project's gold may not fall more than 0.02 below the baseline.

Improving a figure updates eval/baseline.json in the same commit (`make baseline`).
"""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline.evaluate import HEADLINE, evaluate, evaluate_sets

from .conftest import CORPUS, DEV, ROOT, WORLD

BASELINE = json.loads((ROOT / "eval" / "baseline.json").read_text())
TOLERANCE = 0.02


@pytest.fixture(scope="module")
def reports(extractor, config, tmp_path_factory):
    out = tmp_path_factory.mktemp("eval")
    one = tmp_path_factory.mktemp("one-store")         # seeds and articles in one folder: `make one-store`
    for folder, sub in ((CORPUS, "corpus"), (DEV / "corpus", "corpus"), (ROOT / "eval" / "seeds" / "gold", "gold"),
                        (DEV / "gold", "gold")):
        shutil.copytree(folder, one / sub, dirs_exist_ok=True)
    return {
        "seeds": evaluate(ROOT / "eval" / "seeds" / "gold", CORPUS, out / "seeds", config, extractor),
        "articles": evaluate(DEV / "gold", DEV / "corpus", out / "articles", config, extractor),
        "world": evaluate(WORLD / "gold", WORLD / "corpus", out / "world", config, extractor),
        "all": evaluate_sets([(ROOT / "eval" / "seeds" / "gold", CORPUS, out / "seeds"),
                              (DEV / "gold", DEV / "corpus", out / "articles"),
                              (WORLD / "gold", WORLD / "corpus", out / "world")], config, extractor),
        "seeds+articles": evaluate(one / "gold", one / "corpus", one / "out", config, extractor),
    }


@pytest.mark.parametrize("name", ["seeds", "articles", "world", "all", "seeds+articles"])
def test_no_headline_figure_regresses(reports, name):
    report = reports[name]
    assert report.problems == [], report.problems
    worse = {}
    for key in HEADLINE:
        base = BASELINE[name].get(key)
        now = report.figures.get(key)
        if base is None:
            continue
        if now is None or now < base - TOLERANCE:
            worse[key] = (base, now)
    assert not worse, f"figures below baseline - {TOLERANCE}: {worse}"
