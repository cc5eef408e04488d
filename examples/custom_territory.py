"""A Territoire d'industrie spanning two départements (Cher and Indre).

Data: frtrade's embedded FICTITIOUS dataset.
"""

from __future__ import annotations

import frtrade
from frtrade.formatting import format_meur, format_share

data = frtrade.load_fictitious_dataset()
berry = frtrade.Territory.group(["18", "36"], name="Berry (Cher et Indre)")
print(
    berry.name,
    "– région parente :",
    berry.parent_region.name if berry.parent_region else "–",
)
for row in frtrade.shares(data.flows, berry).itertuples():
    region_share = format_share(row.share_of_region)
    print(f"{row.flow}: {format_meur(row.value_eur)}, {region_share} de la région")
