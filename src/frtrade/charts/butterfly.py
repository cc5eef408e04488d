"""Butterfly chart of the main partners: imports left, exports right, balance."""

from __future__ import annotations

from typing import Literal

import altair as alt
import pandas as pd

from frtrade.charts._common import Chart, inline, title_params
from frtrade.charts.theme import Palette, palette
from frtrade.formatting import format_number, format_signed_meur
from frtrade.layouts.text import text_width

__all__ = ["butterfly_chart"]


def butterfly_chart(
    partners: pd.DataFrame,
    *,
    bar_width: float = 250,
    row_height: float = 26,
    name_width: float | None = None,
    balance_width: float = 170,
    colors: Palette | Literal["default", "colorblind"] = "default",
    short_labels: dict[str, str] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    description: str | None = None,
) -> alt.HConcatChart:
    """Partners as a butterfly: imports (left), exports (right), balance (far right).

    Imports, exports and the balance share one scale: one million euros is
    the same length in the three panels, so a balance of +327,5 M€ draws
    shorter than an export bar of 375,7 M€ only if it is smaller. The balance
    bar is red for a deficit and green for a surplus, with a signed label;
    panel titles carry the unit (M€). When no row has a balance
    (``balance_eur`` all NaN: exports and imports of different quarters),
    the balance panel is left out rather than drawn from a number of no
    period.

    Parameters
    ----------
    partners
        :class:`~frtrade.schemas.Partners` rows of one territory, in order.
    bar_width
        Width of the import and export panels, in pixels.
    row_height
        Height of one country row.
    name_width
        Width of the middle column of names (default: measured).
    balance_width
        Least width of the balance panel (it widens to keep the common scale).
    colors
        ``"default"``, ``"colorblind"`` or a :class:`~frtrade.charts.theme.Palette`.
    short_labels
        Optional ``code -> name`` shown instead of the country names.
    title, subtitle
        Optional heading drawn above the chart.
    source
        Optional source line drawn under the chart.
    description
        Accessible description of the whole chart (default: a French sentence).

    Returns
    -------
    altair.HConcatChart
        An unconfigured chart (apply a theme when rendering).

    Examples
    --------
    >>> from frtrade.testing import tiny_trade_flows
    >>> from frtrade.indicators import partners
    >>> from frtrade.territories import Territory
    >>> chart = butterfly_chart(partners(tiny_trade_flows(), Territory.france()))
    >>> [c.mark.type if hasattr(c, "mark") else "layer" for c in chart.hconcat]
    ['layer', 'text', 'layer', 'layer']
    """
    pal = palette(colors)
    data = partners.reset_index(drop=True)
    names = [
        (short_labels or {}).get(str(c), str(n))
        for c, n in zip(data["code"], data["name"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "code": data["code"].astype(str),
            "name": names,
            "import_meur": data["import_eur"].to_numpy(dtype=float) / 1e6,
            "export_meur": data["export_eur"].to_numpy(dtype=float) / 1e6,
            "balance_meur": data["balance_eur"].to_numpy(dtype=float) / 1e6,
        }
    )
    frame["import_label"] = [format_number(v, 1) for v in frame["import_meur"]]
    frame["export_label"] = [format_number(v, 1) for v in frame["export_meur"]]
    frame["balance_label"] = [
        format_signed_meur(v * 1e6) for v in frame["balance_meur"]
    ]
    for column, word in (
        ("import", "Importations"),
        ("export", "Exportations"),
        ("balance", "Solde"),
    ):
        frame[f"{column}_desc"] = [
            f"{word}, {n}\u00a0: {v}\u202fM€"
            for n, v in zip(frame["name"], frame[f"{column}_label"], strict=True)
        ]
    frame["balance_color"] = [
        pal.deficit if v < 0 else pal.surplus for v in frame["balance_meur"]
    ]
    order = frame["code"].tolist()
    height = max(row_height * len(frame), row_height)
    label_px = max(
        [text_width(t, 12) for t in frame["import_label"] + frame["export_label"]] + [0]
    )
    top = float(max(frame["import_meur"].max(), frame["export_meur"].max(), 0) or 1.0)
    vmax = top * bar_width / max(bar_width - label_px - 8, bar_width / 3)
    if name_width is None:
        name_width = max([text_width(n, 12, bold=True) for n in names] + [40]) + 16
    y = alt.Y("code:N", sort=order, axis=None, scale=alt.Scale(paddingInner=0.3))
    # No balance is known (exports and imports of different quarters): no
    # balance panel, rather than bars of a number that has no period.
    with_balance = bool(frame["balance_meur"].notna().any())
    tooltip = [
        alt.Tooltip("name:N", title="Pays"),
        alt.Tooltip("import_label:N", title="Importations (M€)"),
        alt.Tooltip("export_label:N", title="Exportations (M€)"),
    ]
    if with_balance:
        tooltip.append(alt.Tooltip("balance_label:N", title="Solde (M€)"))
    base = Chart(inline(frame)).properties(height=height)

    def side(
        field: str, label: str, color: str, title: str, *, left: bool
    ) -> alt.LayerChart:
        x = alt.X(
            f"{field}:Q",
            axis=None,
            scale=alt.Scale(domain=[0, vmax], reverse=left, nice=False, zero=True),
        )
        bars = base.mark_bar(color=color).encode(
            x=x,
            y=y,
            tooltip=tooltip,
            description=alt.Description(f"{field[:6]}_desc:N"),
        )
        text = base.mark_text(
            align="right" if left else "left",
            dx=-3 if left else 3,
            color=pal.text,
            aria=False,
        ).encode(x=x, y=y, text=alt.Text(f"{label}:N"))  # a class: no from_dict
        return (bars + text).properties(
            width=bar_width,
            title=alt.TitleParams(
                title, color=color, anchor="end" if left else "start", fontSize=14
            ),
        )

    left = side(
        "import_meur", "import_label", pal.imports, "Importations (M€)", left=True
    )
    right = side(
        "export_meur", "export_label", pal.exports, "Exportations (M€)", left=False
    )
    middle = (
        base.mark_text(fontWeight="bold", color=pal.text, fontSize=12)
        .encode(
            y=y,
            text=alt.Text("name:N"),
            tooltip=tooltip,
            description=alt.Description("name:N"),
        )
        .properties(width=name_width, title=alt.TitleParams(" ", fontSize=14))
    )
    if source:  # under the first panel, left-aligned with the chart
        footer = (
            Chart(inline(pd.DataFrame({"text": [source]})))
            .mark_text(
                align="left", baseline="top", fontSize=11, color=pal.muted, aria=False
            )
            .encode(x=alt.XValue(0), y=alt.YValue(height + 10), text=alt.Text("text:N"))
        )
        left = left + footer
    panels: list[alt.TopLevelMixin] = [left, middle, right]
    if with_balance:
        panels.append(
            _balance_panel(
                base,
                frame,
                y,
                tooltip,
                px_per_meur=bar_width / vmax,
                least_width=balance_width,
                height=height,
                pal=pal,
            )
        )
    chart = alt.hconcat(*panels, spacing=6).properties(
        description=description
        or (
            "Principaux pays partenaires : importations, exportations"
            + (" et solde" if with_balance else "")
            + ", en millions d\u2019euros"
        )
    )
    heading = title_params(title, subtitle, pal)
    if heading is not None:
        chart = chart.properties(title=heading)
    return chart


def _balance_panel(
    base: alt.Chart,
    frame: pd.DataFrame,
    y: alt.Y,
    tooltip: list[alt.Tooltip],
    *,
    px_per_meur: float,
    least_width: float,
    height: float,
    pal: Palette,
) -> alt.LayerChart:
    """The balance panel: bars on the import and export bars' scale, signed labels."""
    # The balance uses the bars' scale (pixels per M€), plus room for its labels.
    balance_label_px = max(
        [text_width(t, 12, bold=True) for t in frame["balance_label"]] + [0]
    )
    room = (balance_label_px + 8) / px_per_meur
    low = min(float(frame["balance_meur"].min()), 0.0) - room
    high = max(float(frame["balance_meur"].max()), 0.0) + room
    span = (high - low) * px_per_meur
    if span < least_width:  # centre the data in the least width
        extra = (least_width - span) / px_per_meur / 2
        low, high = low - extra, high + extra
    bx = alt.X(
        "balance_meur:Q",
        axis=None,
        scale=alt.Scale(domain=[low, high], nice=False, zero=False),
    )
    balance_bars = base.mark_bar().encode(
        x=bx,
        x2=alt.X2Datum(0),
        y=y,
        color=alt.Color("balance_color:N", scale=None),
        tooltip=tooltip,
        description=alt.Description("balance_desc:N"),
    )
    balance_text = base.mark_text(
        fontWeight="bold",
        aria=False,
        align=alt.expr("datum.balance_meur < 0 ? 'right' : 'left'"),
        dx=alt.expr("datum.balance_meur < 0 ? -3 : 3"),
    ).encode(
        x=bx,
        y=y,
        text=alt.Text("balance_label:N"),
        color=alt.Color("balance_color:N", scale=None),
    )
    zero = (
        Chart(inline(pd.DataFrame({"zero": [0.0]})))
        .mark_rule(color="#777777")
        .encode(
            x=alt.X(
                "zero:Q",
                axis=None,
                scale=alt.Scale(domain=[low, high], nice=False, zero=False),
            )
        )
    )
    return (balance_bars + zero + balance_text).properties(
        width=(high - low) * px_per_meur,
        height=height,
        title=alt.TitleParams(
            "Solde (M€)", color=pal.text, anchor="middle", fontSize=14
        ),
    )
