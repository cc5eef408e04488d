"""Every Python block of the documentation runs, in every language.

A page's own Python blocks run in order in one namespace, as a reader copies them
one after the other; a page and its translation hold the same code, so each
distinct program runs once. Blocks that include an example (``--8<--``) are run by
tests/test_examples_and_docs.py with the example itself: a whole file directly, and
the sections of a file only when the page shows every section of it, in order, so
that running the file is running what the page shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
SNIPPET = re.compile(r'^--8<-- "(?P<file>examples/[\w.]+\.py)(?::(?P<section>\w+))?"$')
SECTION = re.compile(r"^# --8<-- \[(?P<edge>start|end):(?P<name>\w+)\]$", re.M)
NBSP, NNBSP = "\u00a0", "\u202f"


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def name(page: Path) -> str:
    return page.relative_to(DOCS).as_posix()


def fenced(page: Path, language: str = "python") -> list[str]:
    return [code for lang, code in FENCE.findall(page.read_text()) if lang == language]


def translations() -> list[tuple[Path, Path]]:
    """(French page, English page) pairs: ``page.md`` and ``page.en.md``."""
    pairs = []
    for english in DOCS.rglob("*.en.md"):
        french = english.with_name(english.name.removesuffix(".en.md") + ".md")
        if french.exists():
            pairs.append((french, english))
    return sorted(pairs)


def programs() -> list[tuple[str, list[str]]]:
    """The plain Python blocks of each page, one program per distinct code."""
    found: dict[tuple[str, ...], list[str]] = {}
    for page in pages():
        blocks = tuple(code for code in fenced(page) if "--8<--" not in code)
        if blocks:
            found.setdefault(blocks, []).append(name(page))
    return [(" = ".join(where), list(blocks)) for blocks, where in found.items()]


PROGRAMS = programs()


@pytest.mark.parametrize(
    ("where", "blocks"), PROGRAMS, ids=[where for where, _ in PROGRAMS]
)
def test_docs_python_blocks_run(where, blocks, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__docs__"}
    for i, code in enumerate(blocks):
        exec(compile(code, f"{where}#{i}", "exec"), namespace)


def test_there_are_blocks_to_run():
    assert len(PROGRAMS) >= 4
    # both languages are collected: a page and its translation share one program
    assert any(" = " in where and ".en.md" in where for where, _ in PROGRAMS)


def test_translations_have_the_same_code():
    assert translations(), "no page.md / page.en.md pair found"
    for french, english in translations():
        for language in ("python", "bash"):
            assert fenced(french, language) == fenced(english, language), (
                f"{name(french)} and {name(english)} must hold the same {language} "
                "blocks (code is shared between languages; translate the prose only)"
            )


def sections(example: Path) -> list[str]:
    """The section names of an example file, in order, checking the markers pair up."""
    names, open_ = [], None
    for m in SECTION.finditer(example.read_text()):
        if m["edge"] == "start":
            assert open_ is None, (
                f"{example.name}: section {m['name']} opened in {open_}"
            )
            open_ = m["name"]
            names.append(open_)
        else:
            assert open_ == m["name"], f"{example.name}: end:{m['name']} closes {open_}"
            open_ = None
    assert open_ is None, f"{example.name}: section {open_} never closed"
    return names


def outside_sections(example: Path) -> str:
    """The code of an example outside its sections, docstring and comments left out."""
    text = re.sub(
        r"^# --8<-- \[start:(\w+)\]$.*?^# --8<-- \[end:\1\]$",
        "",
        example.read_text(),
        flags=re.S | re.M,
    )
    text = re.sub(r'^""".*?"""$', "", text, count=1, flags=re.S | re.M)
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(
        line
        for line in lines
        if not line.startswith("#") and line != "from __future__ import annotations"
    )


def test_snippet_markers_are_intact():
    for page in pages():
        shown: dict[str, list[str]] = {}
        for line in page.read_text().splitlines():
            if "examples/" in line and "8" in line and "<" in line:
                m = SNIPPET.match(line)
                assert m, f"{name(page)}: broken snippet marker {line!r}"
                example = ROOT / m["file"]
                assert example.exists(), f"{name(page)}: {m['file']} does not exist"
                if m["section"]:
                    assert m["section"] in sections(example), (
                        f"{name(page)}: no section {m['section']!r} in {m['file']}"
                    )
                    shown.setdefault(m["file"], []).append(m["section"])
        for file, names in shown.items():
            example = ROOT / file
            assert names == sections(example), (
                f"{name(page)} must show every section of {file} in order "
                f"({sections(example)}), so that running the file runs the page"
            )
            assert not outside_sections(example), (
                f"{file}: code outside the sections is not shown in {name(page)}:\n"
                + outside_sections(example)
            )


def test_section_markers_are_not_shown():
    """pymdownx.snippets strips the section markers, whole-file includes too."""
    import markdown

    md = markdown.Markdown(
        extensions=["pymdownx.superfences", "pymdownx.snippets"],
        extension_configs={
            "pymdownx.snippets": {"base_path": [str(ROOT)], "check_paths": True}
        },
    )
    html = md.convert('```python\n--8<-- "examples/tutorial.py"\n```\n')
    assert "load_fictitious_dataset" in html
    assert "[start:" not in html
    assert "[end:" not in html


def prose(page: Path) -> list[tuple[int, str]]:
    """The prose lines of a page: no code blocks, inline code or link targets."""
    lines, fence = [], False
    for number, line in enumerate(page.read_text().splitlines(), 1):
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        if not fence:
            lines.append((number, re.sub(r"`[^`]*`|\]\([^)]*\)", "", line)))
    return lines


def test_french_typography():
    """French pages put a non-breaking space before : ; ? ! » % M€ and after «."""
    rules = [
        (re.compile(r"\S :(\s|$)"), f"U+00A0 before ':' ({NBSP!r})"),
        (re.compile(r"\S [;?!](\s|$)"), f"U+202F before ';', '?', '!' ({NNBSP!r})"),
        (re.compile(r"«[ ]|«$"), "U+00A0 after '«'"),
        (re.compile(r" »|^»"), "U+00A0 before '»'"),
        (re.compile(r"\d (%|M€)"), "U+202F before '%' and 'M€'"),
        (re.compile(r"\d \d{3}\b"), "U+202F between thousands"),
    ]
    bad = []
    for french, _ in translations():
        for number, line in prose(french):
            bad += [
                f"{name(french)}:{number}: {why}: {line.strip()!r}"
                for rule, why in rules
                if rule.search(line)
            ]
    assert not bad, "\n".join(bad)
