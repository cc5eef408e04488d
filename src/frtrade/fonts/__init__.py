"""The font family frtrade ships, so that charts, HTML and PDF look the same on every machine.

Liberation Sans 2.1.5 (SIL Open Font License 1.1, see ``LICENSE-OFL.txt``) has the
metrics of Arial, which frtrade's text layout (``frtrade.layouts.text``) measures with.
The PDF (typst) and the HTML (``@font-face``) use these files, not a system copy
of the family. The charts are drawn by vl-convert: in frtrade's render processes
from the copy of the family vl-convert carries in memory (2.00.1: the same widths,
kerning and outlines but for a few fractions, superscripts and symbols), elsewhere
from these files, read before the system's fonts (see ``frtrade._vega.vl_convert``).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FONT_DIR", "FONT_FAMILY", "FONT_FILES"]

FONT_DIR: Path = Path(__file__).parent
"""Folder holding the shipped TrueType files."""

FONT_FAMILY = "Liberation Sans"
"""Family name to use in chart themes, CSS and typst."""

FONT_FILES: dict[str, Path] = {
    "regular": FONT_DIR / "LiberationSans-Regular.ttf",
    "bold": FONT_DIR / "LiberationSans-Bold.ttf",
    "italic": FONT_DIR / "LiberationSans-Italic.ttf",
    "bold-italic": FONT_DIR / "LiberationSans-BoldItalic.ttf",
}
"""The four faces, by style."""
