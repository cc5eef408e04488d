"""Pure geometry for the charts Vega-Lite cannot draw by itself.

Nothing here imports Altair: layouts take tidy frames and return frames of
pixel coordinates (origin top-left, y downwards) that the chart factories in
:mod:`frtrade.charts` draw with ``scale=None`` encodings.
"""

from __future__ import annotations

from frtrade.layouts.sankey import SankeyLayout, check_sankey_layout, sankey_layout
from frtrade.layouts.text import contrast_ratio, dodge, text_width, wrap_text
from frtrade.layouts.treemap import (
    check_treemap_layout,
    squarify,
    treemap_key,
    treemap_layout,
)

__all__ = [
    "SankeyLayout",
    "check_sankey_layout",
    "check_treemap_layout",
    "contrast_ratio",
    "dodge",
    "sankey_layout",
    "squarify",
    "text_width",
    "treemap_key",
    "treemap_layout",
    "wrap_text",
]
