"""Gallery: the colour-blind-safe palette (Okabe-Ito) and short labels.

Data: frtrade's embedded FICTITIOUS dataset.
"""

from __future__ import annotations

import os
from pathlib import Path

import frtrade
from frtrade.charts import sankey_chart, treemap_chart
from frtrade.render import save_chart

# Pictures go to $FRTRADE_EXAMPLES_OUT (the docs build sets it), else ./example-output.
OUT = Path(os.environ.get("FRTRADE_EXAMPLES_OUT", "example-output"))
OUT.mkdir(parents=True, exist_ok=True)
data = frtrade.load_fictitious_dataset()
indre = frtrade.Territory.resolve("36")
short = {"C30C": "Aéro", "C29B": "Équip. auto"}
treemap = treemap_chart(
    frtrade.products(data.flows, indre), colors="colorblind", short_labels=short
)
save_chart(treemap, OUT / "treemap_36_colorblind.svg")
links = frtrade.sankey_links(data.flows, indre, flow="export")
save_chart(
    sankey_chart(links, colors="colorblind"),
    OUT / "sankey_export_36_colorblind.svg",
)
print("written with the colour-blind palette")
