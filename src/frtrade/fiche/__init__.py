"""The "indicateurs clés : commerce extérieur" fiche of a territory.

:func:`build_fiche` gathers every number, table, sentence and chart of the
fiche into a :class:`Fiche`; :meth:`Fiche.document` is the one ordered
document (sections of headings, paragraphs, key figures, charts, notes) that
the HTML page and the A4 PDF (typst, vector charts) both render, so they say
the same sentences. :meth:`Fiche.write` writes the page, the PDF, each chart
as SVG/PNG, the table behind each chart as CSV and ``facts.json`` into a
staging folder, then moves the complete folder into place. Everything is in
French and works offline.
"""

from __future__ import annotations

from ._batch import BatchResult, territory_from_slug, write_all_fiches
from ._fiche import (
    FICHE_FORMATS,
    ChartCache,
    Fiche,
    SankeyPanel,
    build_fiche,
    flow_sentence,
)
from ._model import Document
from ._overrides import FicheOverrides, OverridesError, load_overrides
from ._texts import typo
from ._write import WriteContext, Writer, register_writer, registered_formats

__all__ = [
    "FICHE_FORMATS",
    "BatchResult",
    "ChartCache",
    "Document",
    "Fiche",
    "FicheOverrides",
    "OverridesError",
    "SankeyPanel",
    "WriteContext",
    "Writer",
    "build_fiche",
    "flow_sentence",
    "load_overrides",
    "register_writer",
    "registered_formats",
    "territory_from_slug",
    "typo",
    "write_all_fiches",
]
