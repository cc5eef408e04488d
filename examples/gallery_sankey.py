"""Gallery: product → country (exports) and country → product (imports) Sankeys.

Data: frtrade's embedded FICTITIOUS dataset.
"""

from __future__ import annotations

import os
from pathlib import Path

import frtrade
from frtrade.charts import sankey_chart
from frtrade.render import save_chart

# Pictures go to $FRTRADE_EXAMPLES_OUT (the docs build sets it), else ./example-output.
OUT = Path(os.environ.get("FRTRADE_EXAMPLES_OUT", "example-output"))
OUT.mkdir(parents=True, exist_ok=True)
data = frtrade.load_fictitious_dataset()
for code in ("36", "13"):
    territory = frtrade.Territory.resolve(code)
    for flow in ("export", "import"):
        links = frtrade.sankey_links(data.flows, territory, flow=flow)
        save_chart(sankey_chart(links), OUT / f"sankey_{flow}_{code}.svg")
        print(
            territory.name,
            flow,
            f"{len(links)} links, {int(links.highlight.sum())} in red",
        )
