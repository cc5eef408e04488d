"""Every Python block of the documentation runs (blocks that include an example are
tested with the examples)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def blocks() -> list[tuple[str, str]]:
    found = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for i, code in enumerate(BLOCK.findall(page.read_text())):
            if "--8<--" in code:
                continue
            found.append((f"{page.relative_to(ROOT / 'docs')}#{i}", code))
    return found


@pytest.mark.parametrize(("where", "code"), blocks(), ids=[w for w, _ in blocks()])
def test_docs_python_block_runs(where, code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(code, where, "exec"), {"__name__": "__docs__"})


def test_there_are_blocks_to_run():
    assert len(blocks()) >= 4


def test_snippet_markers_are_intact():
    marker = re.compile(r'^--8<-- "examples/[\w.]+\.py"$')
    for page in (ROOT / "docs").rglob("*.md"):
        for line in page.read_text().splitlines():
            if "examples/" in line and "8" in line and "<" in line:
                assert marker.match(line), (
                    f"{page.name}: broken snippet marker {line!r}"
                )
