"""Text measurement, wrapping and 1-D de-overlap of labels (pure Python).

Widths come from the Helvetica / Arial font metrics (units per 1 000 em), to
which Liberation Sans — the font vl-convert falls back to — is
metric-compatible. Accented letters take the width of their base letter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from frtrade._metrics import BOLD, REGULAR, char_width

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["contrast_ratio", "dodge", "text_width", "wrap_text"]


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in pixels of one line of text in Arial / Liberation Sans.

    Parameters
    ----------
    text
        One line.
    size
        Font size in pixels.
    bold
        Bold weight.

    Returns
    -------
    float
        The advance width.

    Examples
    --------
    >>> round(text_width("Allemagne", 12), 1)
    56.7
    >>> text_width("É", 10) == text_width("E", 10)
    True
    """
    table = BOLD if bold else REGULAR
    return sum(char_width(c, table) for c in text) * size / 1000


def wrap_text(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Wrap text into lines no wider than ``width`` (a word wider than it stays whole).

    Parameters
    ----------
    text
        The text; its ordinary spaces are the only break points (no-break
        spaces never break).
    width
        Maximum line width in pixels.
    size
        Font size in pixels.
    bold
        Bold weight.

    Returns
    -------
    list[str]
        The lines (at least one).

    Examples
    --------
    >>> wrap_text("Produits de la construction automobile", 120, 12)
    ['Produits de la', 'construction', 'automobile']
    """
    # Only ordinary spaces break: no-break spaces (U+00A0, U+202F) stay inside words.
    words = [w for w in text.replace("\n", " ").split(" ") if w]
    if not words:
        return [""]
    lines = [words[0]]
    for word in words[1:]:
        candidate = f"{lines[-1]} {word}"
        if text_width(candidate, size, bold=bold) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def dodge(
    centres: Sequence[float],
    heights: Sequence[float],
    *,
    low: float,
    high: float,
    gap: float = 2.0,
) -> list[float]:
    """Move label blocks apart along one axis, keeping their order.

    A forward pass pushes each block down below the previous one, a backward
    pass pushes blocks up from the bottom bound; blocks stay within
    ``[low, high]`` whenever they fit.

    Parameters
    ----------
    centres
        Wanted centre of each block, in increasing order.
    heights
        Height of each block.
    low, high
        Bounds of the axis.
    gap
        Minimum free space between two blocks.

    Returns
    -------
    list[float]
        New centres, in the same order.

    Examples
    --------
    >>> dodge([10, 12, 14], [10, 10, 10], low=0, high=100)
    [10.0, 22.0, 34.0]
    >>> dodge([90, 95], [10, 10], low=0, high=100)
    [83.0, 95.0]
    """
    n = len(centres)
    out = [float(c) for c in centres]
    half = [h / 2 for h in heights]
    for i in range(n):
        floor = low + half[i] if i == 0 else out[i - 1] + half[i - 1] + gap + half[i]
        out[i] = max(out[i], floor)
    for i in range(n - 1, -1, -1):
        ceiling = (
            high - half[i] if i == n - 1 else out[i + 1] - half[i + 1] - gap - half[i]
        )
        out[i] = min(out[i], ceiling)
    for i in range(n):  # if the blocks overflow both ways, keep the top bound
        floor = low + half[i] if i == 0 else out[i - 1] + half[i - 1] + gap + half[i]
        out[i] = max(out[i], floor)
    return out


def _luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21).

    Parameters
    ----------
    foreground, background
        Hex colours.

    Returns
    -------
    float
        ``(L1 + 0.05) / (L2 + 0.05)`` with L1 the lighter relative luminance.

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    >>> round(contrast_ratio("#555555", "#ffffff"), 1)
    7.5
    """
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
