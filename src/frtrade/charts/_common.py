"""Helpers shared by the chart factories: title, subtitle and source line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

if TYPE_CHECKING:
    from frtrade.charts.theme import Palette

#: Height taken by the source line under a chart, in pixels.
SOURCE_HEIGHT = 22.0
PX: dict[str, Any] = {"scale": None, "axis": None}


def title_params(
    title: str | None, subtitle: str | None, pal: Palette
) -> alt.TitleParams | None:
    """The chart title (with its subtitle), or None when there is neither."""
    if not title and not subtitle:
        return None
    extra: dict[str, Any] = {}
    if subtitle:
        extra.update(subtitle=subtitle, subtitleColor=pal.muted, subtitleFontSize=12)
    return alt.TitleParams(
        title or "",
        anchor="start",
        color=pal.text,
        fontSize=15,
        fontWeight="bold",
        offset=8,
        **extra,
    )


def source_layer(source: str, y: float, pal: Palette) -> alt.Chart:
    """The source line, left-aligned at ``y`` (pixels) in a pixel-coordinate chart."""
    return (
        alt.Chart(pd.DataFrame({"x": [0.0], "y": [y], "text": [source]}))
        .mark_text(
            align="left", baseline="top", fontSize=11, color=pal.muted, aria=False
        )
        .encode(x=alt.X("x:Q", **PX), y=alt.Y("y:Q", **PX), text="text:N")
    )
