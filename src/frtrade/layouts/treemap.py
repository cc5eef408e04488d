"""Squarified treemap (Bruls, Huizing and van Wijk, 2000) with fitted labels."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from frtrade.formatting import format_meur, format_share
from frtrade.layouts.text import text_width, wrap_text

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["squarify", "treemap_layout"]

_LINE = 1.2  # line height, in font sizes


def _worst(row: Sequence[float], side: float) -> float:
    total = sum(row)
    return max(
        max(side * side * r / (total * total), total * total / (side * side * r))
        for r in row
    )


def squarify(
    values: Sequence[float], x: float, y: float, width: float, height: float
) -> list[tuple[float, float, float, float]]:
    """Lay out rectangles whose areas are proportional to ``values``.

    Items keep their order: each row is filled along the shorter side of the
    free rectangle while its worst aspect ratio improves (Bruls, Huizing and
    van Wijk, "Squarified Treemaps", 2000). Sort values in decreasing order for
    the best aspect ratios; a trailing "Autres" item may break that order.

    Parameters
    ----------
    values
        Positive values.
    x, y, width, height
        The rectangle to fill.

    Returns
    -------
    list of (x0, y0, x1, y1)
        One rectangle per value, tiling the input rectangle.

    Raises
    ------
    ValueError
        When a value is not positive.

    Examples
    --------
    >>> squarify([2, 1, 1], 0, 0, 4, 2)
    [(0.0, 0.0, 2.0, 2.0), (2.0, 0.0, 4.0, 1.0), (2.0, 1.0, 4.0, 2.0)]
    """
    if any(not v > 0 for v in values):
        raise ValueError("squarify needs positive values")
    total = float(sum(values))
    scaled = [v * width * height / total for v in values] if values else []
    rects: list[tuple[float, float, float, float]] = []
    x0, y0, w, h = float(x), float(y), float(width), float(height)
    i = 0
    while i < len(scaled):
        side = min(w, h)
        row = [scaled[i]]
        j = i + 1
        while j < len(scaled) and _worst([*row, scaled[j]], side) <= _worst(row, side):
            row.append(scaled[j])
            j += 1
        row_total = sum(row)
        if w >= h:  # a column on the left
            col_w = row_total / h if j < len(scaled) else w
            yy = y0
            for k, v in enumerate(row):
                rh = v / row_total * h
                y1 = y0 + h if k == len(row) - 1 else yy + rh
                rects.append((x0, yy, x0 + col_w, y1))
                yy = y1
            x0, w = x0 + col_w, w - col_w
        else:  # a row at the top
            row_h = row_total / w if j < len(scaled) else h
            xx = x0
            for k, v in enumerate(row):
                cw = v / row_total * w
                x1 = x0 + w if k == len(row) - 1 else xx + cw
                rects.append((xx, y0, x1, y0 + row_h))
                xx = x1
            y0, h = y0 + row_h, h - row_h
        i = j
    return rects


def _fit(
    name: str,
    *,
    share: str,
    value: str,
    width: float,
    height: float,
    sizes: Sequence[float],
) -> tuple[float, list[str], int]:
    """Largest font and content (3 = name+share+value, 2 = name+share, 1 = share)."""
    for size in sizes:
        lines = wrap_text(name, width, size, bold=True)
        widest = max(text_width(line, size, bold=True) for line in lines)
        fits_name = len(lines) <= 4 and widest <= width
        if fits_name:
            for blocks, extra in ((3, 2), (2, 1)):
                texts = [share, value][:extra]
                if (len(lines) + extra) * size * _LINE <= height and all(
                    text_width(t, size) <= width for t in texts
                ):
                    return size, lines, blocks
    size = sizes[-1]
    if size * _LINE <= height and text_width(share, size) <= width:
        return size, [], 1
    return size, [], 0


def treemap_layout(
    products: pd.DataFrame,
    *,
    width: float = 440,
    height: float = 340,
    x: float = 0,
    y: float = 0,
    padding: float = 6,
    font_sizes: Sequence[float] = (13, 12, 11, 10, 9),
    short_labels: dict[str, str] | None = None,
) -> pd.DataFrame:
    r"""Tiles and fitted labels of a treemap of one flow's products.

    Parameters
    ----------
    products
        Rows of :class:`~frtrade.schemas.ProductShares` for one flow (the
        ``AUTRES`` row last); rows with a value ≤ 0 get no tile.
    width, height, x, y
        The rectangle to fill, in pixels.
    padding
        Inner margin of each label.
    font_sizes
        Sizes to try, largest first.
    short_labels
        Optional ``code -> label`` overriding the names shown.

    Returns
    -------
    pandas.DataFrame
        One row per tile: ``code``, ``name``, ``value_eur``, ``share``,
        ``is_other``, ``x0``, ``y0``, ``x1``, ``y1``, ``font_size``,
        ``name_label`` (lines joined by ``\n``), ``value_label``
        (share and value lines), ``name_lines``, ``label_x``, ``label_y``,
        ``value_y`` and ``blocks`` (0: no label, 1: share, 2: name + share,
        3: name + share + value).

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import products
    >>> from frtrade.territories import Territory
    >>> p = products(tiny_trade_flows(), Territory.france(), flow="export")
    >>> tiles = treemap_layout(p, width=400, height=200)
    >>> tiles[["code", "x0", "y0", "x1", "y1"]].round(1).values.tolist()
    [['C20B', 0.0, 0.0, 160.0, 200.0], ['C21Z', 160.0, 0.0, 304.0, 200.0], ['C30C', 304.0, 0.0, 400.0, 166.7], ['C29A', 304.0, 166.7, 400.0, 200.0]]
    """  # noqa: E501
    data = products[products["value_eur"] > 0].reset_index(drop=True)
    columns = [
        "code", "name", "value_eur", "share", "is_other", "x0", "y0", "x1", "y1",
        "font_size", "name_label", "value_label", "name_lines", "label_x", "label_y",
        "value_y", "blocks",
    ]  # fmt: skip
    if data.empty:
        return pd.DataFrame(columns=columns)
    rects = squarify(data["value_eur"].astype(float).tolist(), x, y, width, height)
    total = float(data["value_eur"].sum())
    rows = []
    for record, (x0, y0, x1, y1) in zip(data.to_dict("records"), rects, strict=True):
        name = (short_labels or {}).get(str(record["code"]), str(record["name"]))
        share_value = float(record["value_eur"]) / total
        share = format_share(share_value)
        value = format_meur(float(record["value_eur"]))
        size, lines, blocks = _fit(
            name,
            share=share,
            value=value,
            width=x1 - x0 - 2 * padding,
            height=y1 - y0 - 2 * padding,
            sizes=font_sizes,
        )
        inset = padding
        if blocks == 0:  # a thin tile: the share alone, with a smaller inset
            inset = min(padding, 2.0)
            size = font_sizes[-1]
            fits = size * _LINE <= y1 - y0 - 2 * inset and text_width(share, size) <= (
                x1 - x0 - 2 * inset
            )
            blocks = 1 if fits else 0
        value_lines = [share, value][: max(blocks - 1, 1)] if blocks else []
        label_y = y0 + inset
        rows.append(
            {
                "code": record["code"],
                "name": name,
                "value_eur": float(record["value_eur"]),
                "share": share_value,
                "is_other": bool(record["is_other"]),
                "x0": x0,
                "y0": y0,
                "x1": x1,
                "y1": y1,
                "font_size": size,
                "name_label": "\n".join(lines),
                "value_label": "\n".join(value_lines),
                "name_lines": len(lines),
                "label_x": x0 + inset,
                "label_y": label_y,
                "value_y": label_y + len(lines) * size * _LINE,
                "blocks": blocks,
            }
        )
    out = pd.DataFrame(rows, columns=columns)
    out["blocks"] = out["blocks"].astype(np.int64)
    return out
