"""Render charts offline to SVG, PNG, PDF or self-contained HTML with vl-convert.

Only this module imports ``vl_convert``. The Vega-Lite version is pinned
(:data:`VEGALITE_VERSION`) so that an upgrade of vl-convert cannot silently
change the output; the same input gives byte-identical SVG.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from frtrade import _vega
from frtrade.charts.theme import Theme

if TYPE_CHECKING:
    from collections.abc import Sequence

    import altair as alt

__all__ = [
    "FORMATS",
    "VEGALITE_VERSION",
    "RenderPool",
    "RenderPoolBrokenError",
    "chart_spec",
    "render_chart",
    "render_formats",
    "render_pool",
    "render_spec",
    "render_titled",
    "save_chart",
    "shutdown_pool",
]

#: Vega-Lite version every chart is rendered with.
VEGALITE_VERSION = _vega.VEGALITE_VERSION
#: Output formats understood by :func:`save_chart`.
FORMATS = _vega.FORMATS
Format = Literal["svg", "png", "pdf", "html"]


def chart_spec(
    chart: alt.TopLevelMixin, *, theme: Theme | None = None
) -> dict[str, Any]:
    """The Vega-Lite spec of a chart with the theme's config applied.

    Parameters
    ----------
    chart
        An unconfigured Altair chart.
    theme
        The theme (default: :class:`~frtrade.charts.theme.Theme`).

    Returns
    -------
    dict
        The spec, ready for vl-convert.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> spec = chart_spec(alt.Chart(pd.DataFrame({"a": [1]})).mark_point())
    >>> spec["config"]["locale"]["number"]["decimal"]
    ','
    """
    import altair as alt

    with alt.data_transformers.disable_max_rows():
        # No schema validation here (0.2–0.5 s per Sankey): the factories' specs
        # are validated by the test suite, and vl-convert rejects a broken spec.
        spec: dict[str, Any] = chart.to_dict(validate=False)
    config = dict(spec.get("config", {}))
    config.update((theme or Theme()).config())
    spec["config"] = config
    _warn_missing_glyphs(spec)
    return spec


def _warn_missing_glyphs(spec: dict[str, Any]) -> None:
    """Warn when the spec's texts hold characters Liberation Sans lacks.

    The whole spec is read (field names and tooltips too: a false alarm is
    possible, a missed box is not); titles added after :func:`chart_spec` are
    checked where they are added (:func:`render_titled`).
    """
    import json
    import warnings

    from frtrade.errors import MissingGlyphWarning

    missing = _vega.missing_glyphs(json.dumps(spec, ensure_ascii=False))
    if missing:
        listed = ", ".join(f"« {c} » (U+{ord(c):04X})" for c in missing)
        warnings.warn(
            f"la police des graphiques, Liberation Sans, ne sait pas dessiner {listed} : "
            "ces caractères apparaissent comme un carré vide ou dans une autre police",
            MissingGlyphWarning,
            stacklevel=3,
        )


def render_chart(
    chart: alt.TopLevelMixin,
    format: Format,
    *,
    scale: float = 2.0,
    ppi: float | None = None,
    theme: Theme | None = None,
) -> bytes:
    """Render a chart to the bytes of one format.

    Parameters
    ----------
    chart
        An unconfigured Altair chart.
    format
        ``"svg"``, ``"png"``, ``"pdf"`` or ``"html"`` (self-contained, works
        offline).
    scale
        PNG pixel scale (2 doubles the resolution).
    ppi
        PNG resolution written in the file.
    theme
        The theme applied.

    Returns
    -------
    bytes
        The rendered file.

    Raises
    ------
    ValueError
        For an unknown format.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
    >>> render_chart(chart, "svg")[:4]
    b'<svg'
    """
    vlc = _vega.vl_convert()
    spec = chart_spec(chart, theme=theme)
    if format == "svg":
        return str(vlc.vegalite_to_svg(spec, vl_version=VEGALITE_VERSION)).encode(
            "utf-8"
        )
    if format == "png":  # Vega's SVG, then its PDF rasterised by PDFium
        png = _vega.render_spec(spec, ["png"], scale=scale, ppi=ppi)["png"]
        assert isinstance(png, bytes)
        return png
    if format == "pdf":
        return bytes(vlc.vegalite_to_pdf(spec, vl_version=VEGALITE_VERSION))
    if format == "html":
        html = vlc.vegalite_to_html(spec, vl_version=VEGALITE_VERSION, bundle=True)
        return str(html).encode("utf-8")
    raise ValueError(f"unknown format {format!r}; use one of {FORMATS}")


def render_formats(
    chart: alt.TopLevelMixin,
    formats: Sequence[str],
    *,
    scale: float = 2.0,
    ppi: float | None = None,
    theme: Theme | None = None,
) -> dict[str, bytes | str]:
    r"""Render a chart once and derive every requested format from that rendering.

    The spec is built once and Vega runs once, to SVG; the PDF is
    converted from that SVG (``vl_convert.svg_to_pdf``, with the shipped
    font) and the PNG is that PDF's rasterisation (PDFium), so the three
    files show exactly the same picture. HTML, when asked, embeds the same
    spec.

    Parameters
    ----------
    chart
        An unconfigured Altair chart.
    formats
        Any of ``"svg"``, ``"png"``, ``"pdf"``, ``"html"``.
    scale
        PNG pixel scale (2 doubles the resolution).
    ppi
        PNG resolution written in the file (default 72).
    theme
        The theme applied.

    Returns
    -------
    dict
        ``format -> content``: ``str`` for SVG and HTML, ``bytes`` for PNG and PDF.

    Raises
    ------
    ValueError
        For an unknown format.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
    >>> out = render_formats(chart, ["svg", "png", "pdf"])
    >>> out["svg"][:4], out["png"][:4], out["pdf"][:4]
    ('<svg', b'\x89PNG', b'%PDF')
    """
    return render_spec(chart_spec(chart, theme=theme), formats, scale=scale, ppi=ppi)


def render_spec(
    spec: dict[str, Any],
    formats: Sequence[str],
    *,
    scale: float = 2.0,
    ppi: float | None = None,
) -> dict[str, bytes | str]:
    r"""Render a themed Vega-Lite spec (see :func:`chart_spec`) in every format asked.

    What :func:`render_formats` does once the spec is built: one Vega run to
    SVG, PNG and PDF converted from that SVG. It takes and returns plain
    data, so a :class:`RenderPool` process can run it.

    Parameters
    ----------
    spec
        A spec from :func:`chart_spec`.
    formats
        Any of ``"svg"``, ``"png"``, ``"pdf"``, ``"html"``.
    scale, ppi
        PNG resolution (see :func:`render_formats`).

    Returns
    -------
    dict
        ``format -> content`` (``str`` for SVG and HTML, ``bytes`` otherwise).

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> spec = chart_spec(alt.Chart(pd.DataFrame({"a": [1]})).mark_point())
    >>> render_spec(spec, ["svg"])["svg"][:4]
    '<svg'
    """
    return _vega.render_spec(spec, formats, scale=scale, ppi=ppi)


def render_titled(
    spec: dict[str, Any],
    title: dict[str, Any],
    titled_formats: Sequence[str],
    untitled_formats: Sequence[str],
    *,
    scale: float = 2.0,
    ppi: float | None = None,
) -> tuple[dict[str, bytes | str], dict[str, bytes | str]]:
    r"""Render a chart with a top-level title and without it, in one Vega run.

    A fiche shows each chart without a title (the page has its heading) and
    writes it as a file with one. Vega runs once, on the titled spec; the
    untitled SVG is that SVG without the title group, moved up by the
    title's height (:func:`frtrade._vega.untitled_svg`), which gives exactly
    the bytes Vega writes for ``spec`` (checked by the test suite over every
    chart of many territories). When the layout leaves any doubt (a title
    wider than the chart, another anchor or frame, a spec with a title of
    its own…), Vega draws ``spec`` too. PNG and PDF come from the SVGs.

    Parameters
    ----------
    spec
        A spec from :func:`chart_spec`, without the title.
    title
        Its top-level ``title`` for the titled variant.
    titled_formats, untitled_formats
        Formats of each variant (``svg``, ``png``, ``pdf``, ``html``).
    scale, ppi
        PNG resolution (see :func:`render_formats`).

    Returns
    -------
    tuple of dict
        ``(titled, untitled)``, each ``format -> content``.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> spec = chart_spec(alt.Chart(pd.DataFrame({"a": [1]})).mark_point())
    >>> titled, untitled = render_titled(spec, {"text": "Un titre"}, ["svg"], ["svg"])
    >>> "Un titre" in titled["svg"], "Un titre" in untitled["svg"]
    (True, False)
    >>> untitled["svg"] == render_spec(spec, ["svg"])["svg"]
    True
    """
    _warn_missing_glyphs({"title": title})
    return _vega.render_titled(
        spec, title, titled_formats, untitled_formats, scale=scale, ppi=ppi
    )


def save_chart(
    chart: alt.TopLevelMixin,
    path: str | Path,
    *,
    format: Format | None = None,
    scale: float = 2.0,
    ppi: float | None = None,
    theme: Theme | None = None,
) -> Path:
    """Render a chart and write it to ``path`` (format from the suffix by default).

    Parameters
    ----------
    chart
        An unconfigured Altair chart.
    path
        Output file: ``.svg``, ``.png``, ``.pdf`` or ``.html``.
    format
        Overrides the suffix.
    scale, ppi
        PNG resolution (see :func:`render_chart`).
    theme
        The theme applied.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import tempfile, altair as alt, pandas as pd
    >>> chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
    >>> out = save_chart(chart, tempfile.mkdtemp() + "/point.pdf")
    >>> out.read_bytes()[:4]
    b'%PDF'
    """
    target = Path(path)
    kind = format or target.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValueError(
            f"cannot tell the format of {target.name!r}; use one of {FORMATS}"
        )
    target.write_bytes(render_chart(chart, kind, scale=scale, ppi=ppi, theme=theme))  # type: ignore[arg-type]
    return target


# ----------------------------------------------------------------- render pool


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, else ``os.cpu_count()``).

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> usable_cores() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    """Render processes of a pool: two on two cores, one less than the cores beyond, at most 4.

    The caller keeps a core to build the next charts; past four processes a
    fiche's ~22 renderings gain little and each process holds ~150 MB.

    Returns
    -------
    int
        The number of processes.

    Examples
    --------
    >>> 1 <= default_workers() <= 4
    True
    """
    return min(4, max(2, usable_cores() - 1))


class RenderPoolBrokenError(RuntimeError):
    """A render process stopped; the chart is rendered in this process instead."""


class RenderPool:
    """Processes rendering charts in parallel, each started and warmed once.

    vl-convert renders one chart at a time per process (its Vega runtime and
    its PNG rasteriser hold the interpreter), so a fiche's ~22 renderings use
    one core unless they are spread over processes. A pool starts
    ``workers`` processes running :mod:`frtrade._vega` (a fresh interpreter
    importing only vl-convert: never a fork, whose copy of the renderer's
    threads would hang, and never a re-import of the caller's script); each
    registers the shipped font and starts Vega while the caller loads data.
    :meth:`submit` takes plain specs (:func:`chart_spec`) and returns futures
    of :func:`render_spec` results, byte-identical to rendering here.

    Parameters
    ----------
    workers
        Processes (default: :func:`default_workers`).

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> spec = chart_spec(alt.Chart(pd.DataFrame({"a": [1]})).mark_point())
    >>> with RenderPool(2) as pool:
    ...     out = pool.submit(spec, ["svg"]).result()
    >>> out == render_spec(spec, ["svg"])
    True
    """

    def __init__(self, workers: int | None = None) -> None:
        import queue

        self.workers = max(1, workers if workers is not None else default_workers())
        self._tasks: queue.SimpleQueue[tuple[Future[Any], tuple[Any, ...]] | None] = (
            queue.SimpleQueue()
        )
        self._closed = False
        self._alive = self.workers
        self._lock = threading.Lock()
        package_root = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_root, env.get("PYTHONPATH", "")) if p
        )
        self._processes: list[subprocess.Popen[bytes]] = []
        try:
            for _ in range(self.workers):
                self._processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "frtrade._vega"],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        env=env,
                        # Ctrl-C in a terminal goes to the caller alone, which
                        # stops the pool; the processes end when their pipe closes
                        start_new_session=True,
                    )
                )
        except OSError:  # no process at all rather than a half pool
            for process in self._processes:
                process.kill()
                process.wait()
            raise
        for process in self._processes:
            threading.Thread(
                target=self._serve, args=(process,), daemon=True, name="frtrade-render"
            ).start()

    def submit(
        self,
        spec: dict[str, Any],
        formats: Sequence[str],
        *,
        scale: float = 2.0,
        ppi: float | None = None,
    ) -> Future[dict[str, bytes | str]]:
        """Render ``spec`` in ``formats`` in a pool process.

        Parameters
        ----------
        spec
            A spec from :func:`chart_spec`.
        formats
            As in :func:`render_spec`.
        scale, ppi
            PNG resolution.

        Returns
        -------
        concurrent.futures.Future
            Of the :func:`render_spec` result; its exception if the rendering
            failed (:class:`RenderPoolBrokenError` if no process is left).

        Examples
        --------
        >>> spec = {"mark": "point", "data": {"values": [{"a": 1}]}}
        >>> with RenderPool(1) as pool:
        ...     future = pool.submit(spec, ["svg", "png"])
        ...     sorted(future.result())
        ['png', 'svg']
        """
        return self._submit(
            "render_spec", (spec, tuple(formats)), {"scale": scale, "ppi": ppi}
        )

    def submit_titled(
        self,
        spec: dict[str, Any],
        title: dict[str, Any],
        titled_formats: Sequence[str],
        untitled_formats: Sequence[str],
        *,
        scale: float = 2.0,
        ppi: float | None = None,
    ) -> Future[tuple[dict[str, bytes | str], dict[str, bytes | str]]]:
        """:func:`render_titled` in a pool process.

        Parameters
        ----------
        spec, title, titled_formats, untitled_formats
            As in :func:`render_titled`.
        scale, ppi
            PNG resolution.

        Returns
        -------
        concurrent.futures.Future
            Of the :func:`render_titled` pair.

        Examples
        --------
        >>> spec = {"mark": "point", "data": {"values": [{"a": 1}]}}
        >>> with RenderPool(1) as pool:
        ...     future = pool.submit_titled(spec, {"text": "A"}, ["png"], ["svg"])
        ...     titled, untitled = future.result()
        >>> sorted(titled), sorted(untitled)
        (['png'], ['svg'])
        """
        _warn_missing_glyphs({"title": title})
        return self._submit(
            "render_titled",
            (spec, title, tuple(titled_formats), tuple(untitled_formats)),
            {"scale": scale, "ppi": ppi},
        )

    def _submit(
        self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Future[Any]:
        future: Future[Any] = Future()
        if self._closed or self._alive == 0:
            future.set_exception(RenderPoolBrokenError("no render process left"))
            return future
        self._tasks.put((future, (name, args, kwargs)))
        return future

    def _serve(self, process: subprocess.Popen[bytes]) -> None:
        """Feed one process: take a task, send it, wait for its answer."""
        assert process.stdin is not None
        assert process.stdout is not None
        try:
            ok, _ready = _vega.receive(process.stdout)
            while ok:
                task = self._tasks.get()
                if task is None:
                    break
                future, request = task
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    _vega.send(process.stdin, request)
                    done, value = _vega.receive(process.stdout)
                except (OSError, EOFError) as exc:
                    future.set_exception(RenderPoolBrokenError(str(exc)))
                    break
                if done:
                    future.set_result(value)
                else:
                    future.set_exception(value)
        except (OSError, EOFError):
            pass
        finally:
            with self._lock:
                self._alive -= 1
                last = self._alive == 0
            if last:  # nobody left to take the queued tasks
                self._fail_queued()
            with contextlib.suppress(OSError):
                process.stdin.close()

    def _fail_queued(self) -> None:
        import queue

        while True:
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                return
            if task is not None and task[0].set_running_or_notify_cancel():
                task[0].set_exception(RenderPoolBrokenError("render processes stopped"))

    def close(self) -> None:
        """Stop the processes once their current rendering is done.

        Examples
        --------
        >>> pool = RenderPool(1)
        >>> pool.close()
        >>> pool.submit({"mark": "point"}, ["svg"]).exception() is not None
        True
        """
        if self._closed:
            return
        self._closed = True
        for _ in self._processes:
            self._tasks.put(None)
        for process in self._processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_POOL_LOCK = threading.Lock()
_POOL: RenderPool | None = None


def render_pool() -> RenderPool | None:
    """The shared :class:`RenderPool` of the process, started on first call.

    None on a single core, where rendering in this process is as fast. The
    command line calls it before loading data so the processes are ready when
    the charts are; :meth:`frtrade.fiche.Fiche.write` uses it by default.

    Returns
    -------
    RenderPool or None
        The pool (closed when the interpreter exits).

    Examples
    --------
    >>> pool = render_pool()
    >>> pool is None or pool is render_pool()
    True
    """
    global _POOL  # noqa: PLW0603 - one pool per process
    if usable_cores() < 2:
        return None
    with _POOL_LOCK:
        if _POOL is None:
            import atexit

            try:
                _POOL = RenderPool()
            except OSError:  # no interpreter to start (frozen app...): render here
                return None
            atexit.register(shutdown_pool)
        return _POOL


def shutdown_pool() -> None:
    """Stop the shared pool of :func:`render_pool` (a later call starts a new one).

    Called at interpreter exit; the command line calls it before its quick exit.

    Examples
    --------
    >>> shutdown_pool()
    >>> pool_started()
    False
    """
    global _POOL  # noqa: PLW0603
    with _POOL_LOCK:
        if _POOL is not None:
            _POOL.close()
            _POOL = None


def pool_started() -> bool:
    """Whether this process has started its shared pool (a fork would copy its threads).

    Returns
    -------
    bool

    Examples
    --------
    >>> isinstance(pool_started(), bool)
    True
    """
    return _POOL is not None
