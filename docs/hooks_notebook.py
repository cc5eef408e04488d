"""MkDocs hook: execute ``examples/notebook.ipynb`` offline and publish it as ``notebook.html``.

The notebook is run once per build with the ``python3`` kernel (no network needed:
frtrade's Jupyter renderer draws the charts with vl-convert) and exported to a
standalone HTML page at the root of the site, which the Jupyter how-to links to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "notebook.ipynb"
_done: set[str] = set()


def on_post_build(config: Any) -> None:  # noqa: ANN401 - MkDocs config
    """Execute the notebook and write ``notebook.html`` in the site (once per build)."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    site = Path(config["site_dir"])
    # the i18n plugin builds the English site inside the French one: one copy at the root
    root = site.parent if site.name == "en" else site
    if str(root) in _done:
        return
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT)}},
    ).execute()
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    (root / "notebook.html").write_text(body, encoding="utf-8")
    _done.add(str(root))
