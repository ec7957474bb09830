"""Settings: what the code fingerprint covers."""

from __future__ import annotations

import shutil

from pipeline.config import PACKAGE, code_fingerprint


def _copy(tmp_path):
    dst = tmp_path / "pipeline"
    shutil.copytree(PACKAGE, dst, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def test_fingerprint_ignores_cli_bench_and_evaluation(tmp_path):
    pkg = _copy(tmp_path)
    before = code_fingerprint(pkg)
    for name in ("cli.py", "bench.py", "evaluate.py", "__main__.py"):
        (pkg / name).write_text((pkg / name).read_text() + "\n# edited\n")
    assert code_fingerprint(pkg) == before


def test_fingerprint_follows_every_module_that_affects_outputs(tmp_path):
    pkg = _copy(tmp_path)
    before = code_fingerprint(pkg)
    for name in ("events.py", "claims.py", "extract.py", "ingest.py"):
        path = pkg / name
        original = path.read_text()
        path.write_text(original + "\n# edited\n")
        assert code_fingerprint(pkg) != before, name
        path.write_text(original)
    (pkg / "rules").mkdir(exist_ok=True)
    (pkg / "rules" / "new_rule.py").write_text("X = 1\n")
    assert code_fingerprint(pkg) != before


def test_a_row_is_built_from_its_table_schema():
    import pytest

    from pipeline.schemas import ALL_TABLES, make_row

    names = ALL_TABLES["sentences"].names
    row = make_row("sentences", **{n: None for n in reversed(names)})
    assert list(row) == names                      # in the schema's order
    with pytest.raises(TypeError, match=r"missing \['text'\], unknown \['txt'\]"):
        make_row("sentences", **{**{n: None for n in names if n != "text"}, "txt": "x"})
