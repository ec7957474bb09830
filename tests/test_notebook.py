"""docs/analysis.ipynb runs top to bottom on the seed outputs (so it cannot rot)."""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOK = ROOT / "docs" / "analysis.ipynb"


def test_analysis_notebook_runs(seed_outputs, monkeypatch):
    monkeypatch.setenv("NEWSCLAIMS_OUT", str(seed_outputs))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    try:
        client.execute()
    except Exception as e:  # noqa: BLE001 - show which cell failed
        pytest.fail(f"the notebook failed: {str(e)[:2000]}")
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<svg" in h for h in html)                 # the chart
    assert os.environ["NEWSCLAIMS_OUT"] == str(seed_outputs)
