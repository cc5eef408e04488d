"""Advance widths of Liberation Sans (Arial / Helvetica metrics), in units per 1 000 em.

Pure data and two functions, without any import of pandas or Altair, so the
render processes (:mod:`frtrade._vega`) can bound a text's width too.
Liberation Sans is metric-compatible with Arial: same advance widths for
every character listed here. Accented letters take the width of their base
letter.
"""

from __future__ import annotations

import unicodedata

REGULAR = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
        "abcdefghijklmnopqrstuvwxyz{|}~",
        [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
         556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
         1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
         667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
         333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
         556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584],
        strict=True,
    )
)  # fmt: skip
BOLD = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
        "abcdefghijklmnopqrstuvwxyz{|}~",
        [278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
         556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
         975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
         667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
         333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
         611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584],
        strict=True,
    )
)  # fmt: skip
SPECIAL = {
    "\u00a0": 278,  # no-break space
    "\u202f": 200,  # narrow no-break space
    "\u2212": 584,  # minus sign
    "\u2019": 222,  # right single quote
    "\u2013": 556,  # en dash
    "\u2014": 1000,
    "\u2192": 1000,  # arrow
    "\u2026": 1000,
    "€": 556,
    "œ": 944,
    "Œ": 1000,
    "æ": 889,
    "«": 556,
    "»": 556,
    "°": 400,
}


def char_width(char: str, table: dict[str, int]) -> int:
    if char in table:
        return table[char]
    if char in SPECIAL:
        return SPECIAL[char]
    base = unicodedata.normalize("NFKD", char)[:1]
    return table.get(base, 556)


def known(char: str, table: dict[str, int]) -> bool:
    """Whether ``char``'s width is surely the one :func:`char_width` gives.

    The character itself is in the tables, or it is a listed letter with
    accents only (é, Ç, ô). Not a compatibility form: ½, the ligature ﬁ or a
    full-width letter decompose to a listed character of another width.

    Examples
    --------
    >>> known("é", REGULAR), known("½", REGULAR), known("北", REGULAR)
    (True, False, False)
    """
    if char in table or char in SPECIAL:
        return True
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    return (
        base in table and bool(marks) and all(unicodedata.combining(m) for m in marks)
    )
