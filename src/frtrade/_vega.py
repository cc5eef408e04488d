"""The Vega side of rendering, light enough to be a render process on its own.

Only this module calls ``vl_convert``; it imports neither pandas nor Altair,
so ``python -m frtrade._vega`` starts in a few hundredths of a second. Run
that way it is a worker of :class:`frtrade.render.RenderPool`: it reads
length-prefixed pickled requests on stdin and answers each on stdout.
"""

from __future__ import annotations

import pickle
import sys
import threading
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import ModuleType

#: Vega-Lite version every chart is rendered with.
VEGALITE_VERSION = "6.4"
#: Output formats understood by the renderer.
FORMATS = ("svg", "png", "pdf", "html")

_FONTS_LOCK = threading.Lock()
_fonts_registered = False


def vl_convert() -> ModuleType:
    """``vl_convert``, with frtrade's shipped font registered once per process.

    Registering :data:`frtrade.fonts.FONT_DIR` before the first conversion makes
    "Liberation Sans" resolve to the shipped files whatever the machine has
    installed, so SVG metrics, PNG and PDF are the same everywhere.
    """
    global _fonts_registered  # noqa: PLW0603 - one registration per process
    import vl_convert as vlc

    if not _fonts_registered:
        with _FONTS_LOCK:
            if not _fonts_registered:
                from frtrade.fonts import FONT_DIR

                vlc.register_font_directory(str(FONT_DIR))
                _fonts_registered = True
    return vlc


def render_spec(
    spec: dict[str, Any],
    formats: Sequence[str],
    *,
    scale: float = 2.0,
    ppi: float | None = None,
) -> dict[str, bytes | str]:
    """Render a themed Vega-Lite spec: one Vega run to SVG, PNG and PDF from it.

    See :func:`frtrade.render.render_spec` (the public name).
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; use one of {FORMATS}")
    vlc = vl_convert()
    out: dict[str, bytes | str] = {}
    wanted = set(formats)
    if wanted & {"svg", "png", "pdf"}:
        svg = str(vlc.vegalite_to_svg(spec, vl_version=VEGALITE_VERSION))
        if "svg" in wanted:
            out["svg"] = svg
        if "png" in wanted:
            out["png"] = bytes(vlc.svg_to_png(svg, scale=scale, ppi=ppi))
        if "pdf" in wanted:
            out["pdf"] = bytes(vlc.svg_to_pdf(svg))
    if "html" in wanted:
        out["html"] = str(
            vlc.vegalite_to_html(spec, vl_version=VEGALITE_VERSION, bundle=True)
        )
    return {fmt: out[fmt] for fmt in formats}


def warm_up() -> None:
    """Start Vega (the first conversion of a process costs ~0.4 s)."""
    vl_convert().vegalite_to_svg(
        {"mark": "point", "data": {"values": []}}, vl_version=VEGALITE_VERSION
    )


# ----------------------------------------------------------------- the protocol


def send(stream: IO[bytes], message: object) -> None:
    """Write one length-prefixed pickled message."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "little") + data)
    stream.flush()


def receive(stream: IO[bytes]) -> tuple[Any, ...]:
    """Read one message (EOFError when the other side has closed)."""
    header = stream.read(8)
    if len(header) < 8:
        raise EOFError("render process closed")
    size = int.from_bytes(header, "little")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("render process closed mid-message")
    message: tuple[Any, ...] = pickle.loads(data)  # our own parent/child pipe
    return message


def _answer(request: tuple[Any, ...]) -> tuple[bool, object]:
    spec, formats, scale, ppi = request
    try:
        return True, render_spec(spec, formats, scale=scale, ppi=ppi)
    except Exception as exc:  # sent back and raised in the parent
        try:
            pickle.dumps(exc)
        except Exception:
            return False, RuntimeError(f"{type(exc).__name__}: {exc}")
        return False, exc


def serve() -> None:  # pragma: no cover - runs in the render processes
    """Answer requests until stdin closes (Ctrl-C is left to the parent)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not break the protocol
    warm_up()
    send(answers, (True, "ready"))
    while True:
        try:
            request = receive(requests)
        except EOFError:
            return
        send(answers, _answer(request))


if __name__ == "__main__":  # pragma: no cover
    serve()
