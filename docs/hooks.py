"""MkDocs hook: run the gallery scripts of examples/ so the pictures are made at build time."""

from __future__ import annotations

import contextlib
import io
import os
import runpy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "docs" / "assets" / "gallery"


def on_pre_build(config: Any) -> None:  # noqa: ANN401 - MkDocs passes its config object
    """Run every ``examples/gallery_*.py`` and ``examples/indre_fiche.py`` into docs/assets."""
    del config
    GALLERY.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get("FRTRADE_EXAMPLES_OUT")
    os.environ["FRTRADE_EXAMPLES_OUT"] = str(GALLERY)
    try:
        for script in sorted((ROOT / "examples").glob("gallery_*.py")):
            with contextlib.redirect_stdout(io.StringIO()):  # keep the build log quiet
                runpy.run_path(str(script), run_name="__main__")
    finally:
        if previous is None:
            os.environ.pop("FRTRADE_EXAMPLES_OUT", None)
        else:
            os.environ["FRTRADE_EXAMPLES_OUT"] = previous
