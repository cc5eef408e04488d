from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

import frtrade

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script, capsys):
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    assert out.strip()


def test_every_public_name_has_a_docs_entry():
    text = "\n".join(p.read_text() for p in (ROOT / "docs" / "reference").glob("*.md"))
    documented = set(re.findall(r"^::: frtrade\.(\w+)", text, flags=re.M))
    missing = [n for n in frtrade.__all__ if n not in documented and n != "__version__"]
    assert not missing, f"public names without a docs entry: {missing}"
