"""Build Indre's complete fiche (HTML, PDF, charts, tables, facts) in Python.

Data: frtrade's embedded FICTITIOUS dataset; the fiche says "données fictives".
"""

from __future__ import annotations

import os
from pathlib import Path

import frtrade
from frtrade.fiche import build_fiche

# Pictures go to $FRTRADE_EXAMPLES_OUT (the docs build sets it), else ./example-output.
OUT = Path(os.environ.get("FRTRADE_EXAMPLES_OUT", "example-output"))
OUT.mkdir(parents=True, exist_ok=True)
data = frtrade.load_fictitious_dataset()
fiche = build_fiche(
    data.flows,
    frtrade.Territory.resolve("Indre"),
    report=data.report,
    territoires_industrie=["Châteauroux – Buzançais – Argenton", "Issoudun"],
)
print(fiche.sentence("export"))
written = fiche.write(OUT / "fiche-indre", formats=["html", "pdf", "json"])
print({fmt: [p.name for p in paths] for fmt, paths in written.items()})
