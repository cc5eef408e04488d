"""Squarified treemap (Bruls, Huizing and van Wijk, 2000) with fitted labels."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from frtrade.formatting import format_meur, format_share
from frtrade.layouts.text import text_width, wrap_text

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["check_treemap_layout", "squarify", "treemap_key", "treemap_layout"]

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


def _fit_number(
    number: str, share: str, width: float, height: float, padding: float
) -> tuple[float, float, int]:
    """Font size, inset and content (2 = number + share, 1 = number, 0 = none)."""
    for size in (11.0, 10.0, 9.0, 8.0):
        for inset in (padding, 2.0):
            w, h = width - 2 * inset, height - 2 * inset
            if text_width(number, size, bold=True) > w or size * _LINE > h:
                continue
            if 2 * size * _LINE <= h and text_width(share, size) <= w:
                return size, inset, 2
            return size, inset, 1
    return 8.0, 2.0, 0


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

    A tile shows the product's name (wrapped on up to four lines, at the
    largest of ``font_sizes`` that fits), its share and, when there is room,
    its value. A tile too small for the name at the smallest size shows its
    number instead (``key_number``, the product's position, "Autres" last)
    and the name goes to the key (:func:`treemap_key`).

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
        Sizes to try, largest first (the last is the readable minimum).
    short_labels
        Optional ``code -> label`` overriding the names shown.

    Returns
    -------
    pandas.DataFrame
        One row per tile: ``code``, ``name``, ``value_eur``, ``share``,
        ``is_other``, ``x0``, ``y0``, ``x1``, ``y1``, ``font_size``,
        ``name_label`` (lines joined by ``\n``; the number for a keyed
        tile), ``value_label`` (share and value lines), ``name_lines``,
        ``label_x``, ``label_y``, ``value_y``, ``blocks`` (0: no label,
        1: share or number, 2: name + share or number + share, 3: name +
        share + value), ``keyed`` (the name is in the key), ``key_number``
        and the label's box ``label_x1``, ``label_y1``.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import products
    >>> from frtrade.territories import Territory
    >>> p = products(tiny_trade_flows(), Territory.france(), flow="export")
    >>> tiles = treemap_layout(p, width=400, height=200)
    >>> tiles[["code", "x0", "y0", "x1", "y1"]].round(1).values.tolist()
    [['C20B', 0.0, 0.0, 160.0, 200.0], ['C21Z', 160.0, 0.0, 304.0, 200.0], ['C30C', 304.0, 0.0, 400.0, 166.7], ['C29A', 304.0, 166.7, 400.0, 200.0]]
    >>> tiles[["code", "keyed", "key_number", "name_label"]].values.tolist()[-1]
    ['C29A', True, 4, '4']
    >>> check_treemap_layout(tiles, treemap_key(tiles, x=0, y=210, width=400))
    []
    """  # noqa: E501
    data = products[products["value_eur"] > 0].reset_index(drop=True)
    columns = [
        "code", "name", "value_eur", "share", "is_other", "x0", "y0", "x1", "y1",
        "font_size", "name_label", "value_label", "name_lines", "label_x", "label_y",
        "value_y", "blocks", "keyed", "key_number", "label_x1", "label_y1",
    ]  # fmt: skip
    if data.empty:
        return pd.DataFrame(columns=columns)
    rects = squarify(data["value_eur"].astype(float).tolist(), x, y, width, height)
    total = float(data["value_eur"].sum())
    rows = []
    for number, (record, (x0, y0, x1, y1)) in enumerate(
        zip(data.to_dict("records"), rects, strict=True), start=1
    ):
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
        keyed = blocks < 2
        if keyed:  # the name goes to the key; the tile shows its number
            size, inset, blocks = _fit_number(
                str(number), share, x1 - x0, y1 - y0, padding
            )
            lines = [str(number)] if blocks else []
        value_lines = [share, value][: max(blocks - 1, 0)] if blocks else []
        label_y = y0 + inset
        widths = [text_width(t, size, bold=True) for t in lines] + [
            text_width(t, size) for t in value_lines
        ]
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
                "keyed": keyed,
                "key_number": number,
                "label_x1": x0 + inset + max(widths, default=0.0),
                "label_y1": label_y + (len(lines) + len(value_lines)) * size * _LINE,
            }
        )
    out = pd.DataFrame(rows, columns=columns)
    out["blocks"] = out["blocks"].astype(np.int64)
    out["key_number"] = out["key_number"].astype(np.int64)
    out["keyed"] = out["keyed"].astype(bool)
    return out


def treemap_key(
    tiles: pd.DataFrame,
    *,
    x: float,
    y: float,
    width: float,
    font_size: float = 11,
) -> pd.DataFrame:
    r"""The numbered key of the tiles too small for their names.

    One entry per keyed tile, in tile order: the number, then
    ``"name : value, share"`` wrapped to ``width``.

    Parameters
    ----------
    tiles
        A frame from :func:`treemap_layout`.
    x, y
        Top-left corner of the key.
    width
        Width available.
    font_size
        Text size.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``number``, ``text`` (lines joined by ``\n``), ``lines``,
        ``x`` (number), ``text_x``, ``y``, ``y1``, ``x1`` (right end of the
        widest line).

    Examples
    --------
    >>> tiles = pd.DataFrame(
    ...     {
    ...         "code": ["A"],
    ...         "name": ["Boissons"],
    ...         "value_eur": [2.5e6],
    ...         "share": [0.025],
    ...         "keyed": [True],
    ...         "key_number": [7],
    ...     }
    ... )
    >>> key = treemap_key(tiles, x=0, y=0, width=300)
    >>> key.loc[0, "text"] == "Boissons\u00a0: 2,5\u202fM€, 2,5\u202f%"
    True
    >>> key[["number", "y", "y1"]].values.tolist()
    [['7', 0.0, 13.2]]
    """
    rows = []
    top = float(y)
    indent = text_width("00", font_size, bold=True) + font_size / 2
    for tile in tiles[tiles["keyed"].astype(bool)].to_dict("records"):
        text = (
            f"{tile['name']}\u00a0: {format_meur(float(tile['value_eur']))}, "
            f"{format_share(float(tile['share']))}"
        )
        if int(tile.get("blocks", 1)) == 0:  # not even the number fits the tile
            text += " (case trop petite pour son numéro)"
        lines = wrap_text(text, width - indent, font_size)
        tall = len(lines) * font_size * _LINE
        rows.append(
            {
                "code": tile["code"],
                "number": str(tile["key_number"]),
                "text": "\n".join(lines),
                "lines": len(lines),
                "x": float(x),
                "text_x": float(x) + indent,
                "y": top,
                "y1": top + tall,
                "x1": float(x)
                + indent
                + max(text_width(line, font_size) for line in lines),
            }
        )
        top += tall + 2
    return pd.DataFrame(
        rows,
        columns=["code", "number", "text", "lines", "x", "text_x", "y", "y1", "x1"],
    )


def check_treemap_layout(
    tiles: pd.DataFrame, key: pd.DataFrame | None = None
) -> list[str]:
    """Legibility violations of a treemap (an empty list when it is legible).

    The rules: every label lies inside its tile; no two labels (tile labels
    and key entries) overlap; every product is named, in its tile or in the
    key (and then its tile shows its number when one fits).

    Parameters
    ----------
    tiles
        A frame from :func:`treemap_layout`.
    key
        Its key from :func:`treemap_key`.

    Returns
    -------
    list[str]
        One sentence per violation.

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import products
    >>> from frtrade.territories import Territory
    >>> p = products(tiny_trade_flows(), Territory.france(), flow="import")
    >>> tiles = treemap_layout(p, width=300, height=200)
    >>> check_treemap_layout(tiles)  # no key: the keyed product is unnamed
    ["'C21Z' is named neither in its tile nor in the key"]
    >>> check_treemap_layout(tiles, treemap_key(tiles, x=0, y=210, width=300))
    []
    """
    eps = 1e-6
    problems: list[str] = []
    boxes: list[tuple[str, float, float, float, float]] = []
    in_key = set() if key is None else set(key["code"].astype(str))
    for tile in tiles.to_dict("records"):
        name = f"label of {tile['code']!r}"
        if int(tile["blocks"]) > 0:
            box = (
                float(tile["label_x"]),
                float(tile["label_y"]),
                float(tile["label_x1"]),
                float(tile["label_y1"]),
            )
            if not (
                box[0] >= float(tile["x0"]) - eps
                and box[1] >= float(tile["y0"]) - eps
                and box[2] <= float(tile["x1"]) + eps
                and box[3] <= float(tile["y1"]) + eps
            ):
                problems.append(f"{name} leaves its tile")
            boxes.append((name, *box))
        named_here = not bool(tile["keyed"]) and int(tile["blocks"]) >= 2
        if not named_here and str(tile["code"]) not in in_key:
            problems.append(
                f"{tile['code']!r} is named neither in its tile nor in the key"
            )
    if key is not None:
        for entry in key.to_dict("records"):
            boxes.append(
                (
                    f"key entry {entry['code']!r}",
                    float(entry["x"]),
                    float(entry["y"]),
                    float(entry["x1"]),
                    float(entry["y1"]),
                )
            )
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(boxes):
        for b, bx0, by0, bx1, by1 in boxes[i + 1 :]:
            if (
                ax0 < bx1 - eps
                and bx0 < ax1 - eps
                and ay0 < by1 - eps
                and by0 < ay1 - eps
            ):
                problems.append(f"{a} overlaps {b}")
    return problems
