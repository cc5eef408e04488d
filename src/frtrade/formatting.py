"""French number formatting for labels and sentences.

Labels are formatted in Python, not by the renderer, so that they are
deterministic, testable and identical in SVG, PNG, PDF and HTML:

- decimal comma: ``1 274,7``;
- thousands separated by a narrow no-break space (U+202F);
- a true minus sign (U+2212): ``−9,7``;
- a narrow no-break space before ``%`` and ``M€``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "MINUS",
    "NNBSP",
    "format_meur",
    "format_number",
    "format_share",
    "format_signed_meur",
    "join_fr",
]

#: Narrow no-break space (thousands separator, before units).
NNBSP = "\u202f"
#: Minus sign.
MINUS = "\u2212"


def format_number(value: float, decimals: int = 1) -> str:
    """Format a number the French way.

    Parameters
    ----------
    value
        The number.
    decimals
        Digits after the decimal comma.

    Returns
    -------
    str
        E.g. ``"1 274,7"`` (narrow no-break spaces), ``"−9,7"``; ``"–"`` for
        NaN or infinity.

    Examples
    --------
    >>> format_number(1274.65, 1).replace(NNBSP, " ")
    '1 274,7'
    >>> format_number(-9.71, 1)
    '−9,7'
    >>> format_number(0.0004, 2)
    '0,00'
    """
    if not math.isfinite(value):
        return "–"
    text = f"{abs(value):,.{decimals}f}"
    text = text.replace(",", NNBSP).replace(".", ",")
    negative = round(value, decimals) < 0
    return (MINUS if negative else "") + text


def format_meur(value_eur: float, decimals: int = 1) -> str:
    """Format euros as millions of euros: ``"1 274,7 M€"``.

    Parameters
    ----------
    value_eur
        Value in euros.
    decimals
        Digits after the comma.

    Returns
    -------
    str
        The label.

    Examples
    --------
    >>> format_meur(1_274_700_000).replace(NNBSP, " ")
    '1 274,7 M€'
    """
    return f"{format_number(value_eur / 1e6, decimals)}{NNBSP}M€"


def format_signed_meur(value_eur: float, decimals: int = 1) -> str:
    """Format a balance in M€ with an explicit sign: ``"+155,5"``, ``"−9,7"``.

    Parameters
    ----------
    value_eur
        Value in euros.
    decimals
        Digits after the comma.

    Returns
    -------
    str
        The signed number (no unit).

    Examples
    --------
    >>> format_signed_meur(155_500_000), format_signed_meur(-9_700_000)
    ('+155,5', '−9,7')
    """
    text = format_number(value_eur / 1e6, decimals)
    return (
        text if text.startswith((MINUS, "–")) or text.strip("0,") == "" else "+" + text
    )


def format_share(fraction: float | None, decimals: int = 1) -> str:
    """Format a fraction as a French percentage: ``0.0458 -> "4,6 %"``.

    Parameters
    ----------
    fraction
        A share (0.046 for 4.6 %); ``None`` gives ``"–"``.
    decimals
        Digits after the comma.

    Returns
    -------
    str
        The label.

    Examples
    --------
    >>> format_share(0.04575), format_share(0.0021964, 2), format_share(None)
    ('4,6\u202f%', '0,22\u202f%', '–')
    """
    if fraction is None or not math.isfinite(fraction):
        return "–"
    return f"{format_number(fraction * 100, decimals)}{NNBSP}%"


def join_fr(items: Sequence[str]) -> str:
    """Items as a French enumeration: « A », « A et B », « A, B et C ».

    Parameters
    ----------
    items
        At least one item.

    Returns
    -------
    str
        The enumeration.

    Raises
    ------
    ValueError
        When ``items`` is empty.

    Examples
    --------
    >>> join_fr(["Cher"]), join_fr(("Cher", "Indre")), join_fr(["1", "3", "4"])
    ('Cher', 'Cher et Indre', '1, 3 et 4')
    """
    if not items:
        raise ValueError("join_fr needs at least one item")
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " et " + items[-1]
