"""Progress display for long work (tqdm), quiet when stderr is not a terminal."""

# ruff: noqa: T201  (a command line prints)

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tqdm import tqdm


def interactive() -> bool:
    """True when stderr is a terminal (progress bars are shown)."""
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def bar(
    total: int | None, desc: str, unit: str = "fiche", *, unit_scale: bool = False
) -> tqdm[Any]:
    """A tqdm bar on stderr with rate and time left, disabled off a terminal."""
    import shutil

    from tqdm import tqdm

    size = shutil.get_terminal_size((100, 24))  # a terminal may report 0 x 0
    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        file=sys.stderr,
        disable=not interactive(),
        ncols=min(size.columns or 100, 120),
        nrows=size.lines or 24,
        leave=False,
        unit_scale=unit_scale,
    )


def status(text: str) -> None:
    """A transient one-line status on a terminal (nothing otherwise)."""
    if interactive():
        print(f"\r{text}", end="", file=sys.stderr, flush=True)


def clear_status() -> None:
    """Erase the line :func:`status` wrote."""
    if interactive():
        print("\r\033[K", end="", file=sys.stderr, flush=True)
