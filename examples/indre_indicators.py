"""Compute the fiche's indicators for Indre from the embedded (fictitious) dataset.

Run: ``python examples/indre_indicators.py``
"""

from __future__ import annotations

import frtrade
from frtrade.formatting import format_meur, format_share

data = frtrade.load_fictitious_dataset()
print(frtrade.FICTITIOUS_NOTICE)
indre = frtrade.Territory.resolve("Indre")

for row in frtrade.shares(data.flows, indre).itertuples():
    print(
        f"{row.flow}: {format_meur(row.value_eur)}, "
        f"{format_share(row.share_of_region)} of the région, "
        f"{format_share(row.share_of_france, 2)} of France"
    )

print(frtrade.partners(data.flows, indre)[["name", "export_eur", "import_eur"]].head())
print(
    frtrade.products(data.flows, indre, flow="export")[["name", "value_eur", "share"]]
)
