"""MkDocs hook: the home page shows Indre's fiche, built at docs-build time.

The fiche (HTML page and A4 PDF) is built from the embedded fictitious dataset,
once per build process, and added to the site as ``assets/fiche-indre/``. On the
home page (each language), the ``<div class="frtrade-fiche"></div>`` placeholder
becomes an ``<iframe>`` of the HTML fiche.
"""

from __future__ import annotations

import re
import tempfile
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ASSETS = "assets/fiche-indre"
PLACEHOLDER = re.compile(r'<div class="frtrade-fiche">\s*</div>')
_built: dict[str, bytes] = {}


def fiche_files() -> dict[str, bytes]:
    """Indre's fiche as ``{file name: content}``, built on the first call only.

    Returns
    -------
    dict
        ``fiche.html`` and ``fiche.pdf``.
    """
    if not _built:
        import frtrade
        from frtrade.fiche import build_fiche

        data = frtrade.load_fictitious_dataset()
        fiche = build_fiche(
            data.flows, frtrade.Territory.resolve("36"), report=data.report
        )
        with tempfile.TemporaryDirectory(prefix="frtrade-docs-") as tmp:
            written = fiche.write(tmp, formats=["html", "pdf"])
            for paths in written.values():
                _built.update({path.name: path.read_bytes() for path in paths})
    return _built


@event_priority(-100)  # after mkdocs-static-i18n has sorted the pages by language
def on_files(files: Files, config: Any) -> Files:  # noqa: ANN401 - MkDocs config
    """Add the fiche's files to the site (in every language build)."""
    for name, content in fiche_files().items():
        uri = f"{ASSETS}/{name}"
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, content=content))
    return files


def on_page_content(
    html: str,
    page: Any,  # noqa: ANN401 - mkdocs Page
    config: Any,  # noqa: ANN401 - MkDocs config
    files: Files,
) -> str:
    """Replace the placeholder with an ``<iframe>`` of the HTML fiche."""
    del config
    if not PLACEHOLDER.search(html):
        return html
    fiche = files.get_file_from_path(f"{ASSETS}/fiche.html")
    if fiche is None:  # pragma: no cover - on_files always adds it
        raise RuntimeError("hooks_home: the fiche was not added to the site")
    src = fiche.url_relative_to(page.file)
    frame = (
        f'<iframe class="frtrade-fiche" src="{src}" loading="lazy" '
        'title="Indre (36) – fiche commerce extérieur, données fictives" '
        'style="width:100%;height:56rem;border:1px solid #ccc;border-radius:4px">'
        "</iframe>"
    )
    return PLACEHOLDER.sub(frame, html, count=1)
