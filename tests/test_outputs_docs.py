"""Every public name of frtrade.outputs and frtrade.jupyter is documented with an example."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("frtrade.outputs", "frtrade.jupyter")


@pytest.mark.parametrize("module_name", MODULES)
def test_public_names_have_docs_entries_and_examples(module_name):
    text = (ROOT / "docs" / "reference" / "outputs.md").read_text(encoding="utf-8")
    targets = set(re.findall(r"^::: ([\w.]+)", text, flags=re.M))
    module = importlib.import_module(module_name)
    assert module.__all__
    for name in module.__all__:
        assert f"{module_name}.{name}" in targets, name
        obj = getattr(module, name)
        if inspect.isfunction(obj):
            assert ">>>" in (inspect.getdoc(obj) or ""), name
