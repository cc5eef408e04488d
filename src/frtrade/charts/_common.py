"""Helpers shared by the chart factories: title, subtitle and source line."""

from __future__ import annotations

import contextlib
import math
import threading
from typing import TYPE_CHECKING, Any

import altair as alt
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from frtrade.charts.theme import Palette

#: Height taken by the source line under a chart, in pixels.
SOURCE_HEIGHT = 22.0
PX: dict[str, Any] = {"scale": None, "axis": None}


class Rows(alt.InlineData):  # type: ignore[misc]  # altair is untyped here
    """Inline values shared, never copied, by the copies Altair makes of a chart.

    Altair deep-copies a chart's dicts and lists at every ``layer``,
    ``properties`` or ``+``; a DataFrame is kept by reference, and so are these
    rows (treat them as read-only, like a chart's DataFrame). Serialised
    exactly like the DataFrame they come from (same dataset name and rows).
    """

    _class_is_valid_at_instantiation = False  # rows are checked by the schemas

    def __deepcopy__(self, memo: object) -> Rows:
        return self


_BUILDING = threading.local()


class Chart(alt.Chart):  # type: ignore[misc]  # altair is untyped here
    """``alt.Chart`` whose layers are not copied again while frtrade draws them.

    Every ``alt.layer``, ``hconcat`` and ``properties`` deep-copies each layer
    it is given, and so does ``to_dict``; a layer is a tree of some hundred
    schema objects (every mark and channel property, mostly undefined): two
    thirds of the calls of a chart's building went to these copies. Inside
    :func:`sharing_layers` (on this thread only) such a deep copy of one of
    these layers is a shallow one: a new layer object sharing its mark,
    encoding and data with the layer it was made from. Altair's composition
    and ``to_dict`` only set a copy's own properties (its data, name, size),
    never a shared part, so the spec is the same (tested on every chart of
    the hard territories). Only frtrade's writer builds in there, for charts
    it renders and never hands out; anywhere else, and on other threads, it
    copies like ``alt.Chart``, so a chart a user edits shares nothing.
    """

    @property
    def __deepcopy__(self) -> Callable[[object], Chart]:  # noqa: PLE0302 - a property
        if getattr(_BUILDING, "active", False):
            return self._shallow_copy
        raise AttributeError("__deepcopy__")  # Altair's own deep copy

    def _shallow_copy(self, memo: object) -> Chart:
        copied: Chart = self.copy(deep=False)
        return copied


@contextlib.contextmanager
def sharing_layers() -> Iterator[None]:
    """On this thread, :class:`Chart` layers are copied shallow (see there).

    For charts frtrade renders and never hands out: the fiche's writer.

    Examples
    --------
    >>> layer = Chart().mark_point().encode(x="a:Q")
    >>> with sharing_layers():
    ...     inside = layer.copy()
    >>> inside.encoding is layer.encoding, layer.copy().encoding is layer.encoding
    (True, False)
    """
    before = getattr(_BUILDING, "active", False)
    _BUILDING.active = True
    try:
        yield
    finally:
        _BUILDING.active = before


@contextlib.contextmanager
def unchecked() -> Iterator[None]:
    """Build charts without Altair's validation of each object.

    Altair's debug mode validates every mark, title and channel against the
    Vega-Lite schema as it is made (a tenth of a fiche's chart building).
    frtrade's own factories are validated by the test suite on whole specs,
    and vl-convert refuses a broken spec, so the fiche builds its charts in
    here: the specs are the same (tested).

    Examples
    --------
    >>> with unchecked():
    ...     chart = alt.Chart().mark_point(size=3)
    >>> chart.mark.size
    3
    """
    from altair.utils.schemapi import debug_mode

    with debug_mode(arg=False):
        yield


def inline(frame: pd.DataFrame | Mapping[str, np.ndarray[Any, Any]]) -> Rows:
    """A chart's data as Vega-Lite inline values, converted once.

    Gives exactly the rows Altair's own DataFrame conversion gives (native
    Python numbers and strings, ``None`` for NaN, infinities and missing
    values), in a fraction of its time: the fiche builds hundreds of small
    layers, and Altair's per-layer sanitising was a third of their cost
    (issue 12). Layers given one returned object share one dataset.

    Parameters
    ----------
    frame
        A flat table with string column names, or its columns as NumPy
        arrays by name (the same rows, without building a DataFrame).

    Returns
    -------
    Rows
        An ``InlineData`` whose ``values`` are the rows, to pass as a chart's data.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": [1, 2], "b": [0.5, float("nan")], "c": ["x", None]})
    >>> inline(frame).values
    [{'a': 1, 'b': 0.5, 'c': 'x'}, {'a': 2, 'b': None, 'c': None}]
    >>> columns = {name: frame[name].to_numpy() for name in frame.columns}
    >>> inline(columns).values == inline(frame).values
    True
    """
    names = list(frame.columns) if isinstance(frame, pd.DataFrame) else list(frame)
    columns: list[list[Any]] = []
    for name in names:
        if not isinstance(name, str):
            raise ValueError(f"column names must be strings, not {name!r}")
        columns.append(_cells(name, frame[name]))
    rows = zip(*columns, strict=True)
    return Rows(values=[dict(zip(names, row, strict=True)) for row in rows])


def _cells(name: str, values: pd.Series | np.ndarray[Any, Any]) -> list[Any]:
    """One column's cells as JSON-ready Python values (see :func:`inline`)."""
    kind = values.dtype.kind
    if kind == "f":
        array = (
            values.to_numpy(dtype=float)
            if isinstance(values, pd.Series)
            else values.astype(float, copy=False)
        )
        cells: list[Any] = array.tolist()
        if not np.isfinite(array).all():
            cells = [v if math.isfinite(v) else None for v in cells]
        return cells
    if kind in "iub":
        array = values.to_numpy() if isinstance(values, pd.Series) else values
        return list(array.tolist())
    if kind in "mM":
        raise TypeError(f"column {name!r}: dates and durations are not drawn here")
    return [None if _missing(v) else v for v in values.tolist()]


def _missing(value: object) -> bool:
    """True for None, NaN and pandas' missing markers (the rest is kept as is)."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


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


def plain_title(
    title: str | None, subtitle: str | None, muted: str
) -> alt.TitleParams | None:
    """The title of the evolution, exposure and position charts (see ``titled``)."""
    if title is None and subtitle is None:
        return None
    return alt.TitleParams(
        title or "",
        subtitle=subtitle or alt.Undefined,
        subtitleColor=muted,
        anchor="start",
    )


def source_layer(source: str, y: float, pal: Palette) -> alt.Chart:
    """The source line, left-aligned at ``y`` (pixels) in a pixel-coordinate chart."""
    return (
        Chart(Rows(values=[{"x": 0.0, "y": float(y), "text": source}]))
        .mark_text(
            align="left", baseline="top", fontSize=11, color=pal.muted, aria=False
        )
        .encode(
            x=alt.X("x:Q", **PX),
            y=alt.Y("y:Q", **PX),
            text=alt.Text("text:N"),
        )
    )
