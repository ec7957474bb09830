"""Shared fixtures. The trained model is loaded once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.config import load_config
from pipeline.extract import Extractor

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DEV = ROOT / "eval" / "articles"
WORLD = ROOT / "eval" / "world"


@pytest.fixture(scope="session")
def config():
    return load_config()


@pytest.fixture(scope="session")
def date_rules(config):
    """The compiled words of configs/dates.yaml (with the lexicon's number words)."""
    from pipeline.dates import load_date_rules
    from pipeline.rules import load_lexicon

    return load_date_rules(config.rule_path("rules", "dates"), load_lexicon(config.rule_path("rules", "lexicon")).numbers)


@pytest.fixture(scope="session")
def extractor(config):
    return Extractor(config)


@pytest.fixture(scope="session")
def nlp(extractor):
    return extractor.nlp


@pytest.fixture
def configs(tmp_path) -> Path:
    """A copy of configs/ to edit: a rule file changed there does not touch the project's own."""
    dst = tmp_path / "configs"
    shutil.copytree(ROOT / "configs", dst)
    return dst


def edit(path: Path, fn) -> None:
    """Rewrite a YAML rule file with ``fn`` applied to its content."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def seed_corpus(tmp_path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


def world_corpus(tmp_path: Path, names) -> Path:
    """tmp_path/corpus with copies of these articles of the world set added (created on first use)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(WORLD / "corpus" / name, corpus / name)
    return corpus


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def stage_rows(extractor, stage: str, text: str, published):
    """Rows of one stage ("events" or "claims") for a text parsed by the session's pipeline."""
    from pipeline.context import build_context

    doc = extractor.nlp(text)
    return getattr(extractor, stage).extract(build_context(doc, "d", extractor.linker.link(doc), published,
                                                                dates=extractor.dates))


def single(rows: list[dict]) -> dict:
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture(scope="session")
def seed_outputs(tmp_path_factory, extractor, config) -> Path:
    """The tables of the seed corpus, made once per session (read-only for the tests that use it)."""
    from pipeline.run import run

    root = tmp_path_factory.mktemp("seed-outputs")
    run(CORPUS, root / "out", config, extractor=extractor, progress=False)
    return root / "out"


def hand_parse(vocab, *tokens: tuple):
    """A Doc from (word, lemma, pos, tag, head index, dep) tuples, one sentence; the root is its own head."""
    from spacy.tokens import Doc

    words, lemmas, pos, tags, heads, deps = zip(*tokens)
    return Doc(vocab, words=list(words), lemmas=list(lemmas), pos=list(pos), tags=list(tags),
               heads=list(heads), deps=list(deps), sent_starts=[True] + [False] * (len(words) - 1))


class _Priority:
    def __init__(self, priority):
        self.priority = priority


class DiscourseTax:
    """The few taxonomy fields the event discourse passes read, for tests of those passes on hand-built rows."""
    violent_types = frozenset({"attack", "bombing", "killing", "kidnapping", "hijacking"})
    toll_types = frozenset({"killing"})
    windows = {"same_happening_days": 1, "part_sentences": 3, "news_days": 7}
    types = {t: _Priority(p) for t, p in (("attack", 60), ("bombing", 70), ("killing", 40), ("arrest", 30))}
