"""Altair chart factories: butterfly, treemap, Sankey, evolution, exposure, position.

Each factory takes an indicator table and returns an **unconfigured** Altair
chart (no ``.configure()``), so charts compose; the theme is applied when
rendering (:func:`frtrade.render.save_chart`).
"""

from __future__ import annotations

from frtrade.charts.butterfly import butterfly_chart
from frtrade.charts.evolution import evolution_chart
from frtrade.charts.exposure import exposure_chart
from frtrade.charts.position import position_chart
from frtrade.charts.sankey import sankey_chart
from frtrade.charts.theme import COLORBLIND, DEFAULT, Palette, Theme, blend, palette
from frtrade.charts.treemap import treemap_chart

__all__ = [
    "COLORBLIND",
    "DEFAULT",
    "Palette",
    "Theme",
    "blend",
    "butterfly_chart",
    "evolution_chart",
    "exposure_chart",
    "palette",
    "position_chart",
    "sankey_chart",
    "treemap_chart",
]
