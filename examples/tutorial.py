"""The documentation's tutorial, end to end: from the DGDDI files to a fiche.

docs/tutorial.md (French) and docs/tutorial.en.md (English) show the sections
between the ``--8<-- [start:NAME]`` / ``[end:NAME]`` markers, in this order; run
as a script, the file writes its charts and the fiche into the current folder.

Data: frtrade's embedded FICTITIOUS dataset.
"""

from __future__ import annotations

# --8<-- [start:load]
import frtrade
from frtrade.charts import butterfly_chart, sankey_chart, treemap_chart
from frtrade.fiche import build_fiche
from frtrade.render import save_chart

data = frtrade.load_fictitious_dataset()
print(data.report.summary())
flows = data.flows
# --8<-- [end:load]

# --8<-- [start:indicators]
indre = frtrade.Territory.resolve("Indre")

print(frtrade.totals(flows, indre))
print(frtrade.shares(flows, indre))

partners = frtrade.partners(flows, indre)
print(partners[["name", "export_eur", "import_eur", "balance_eur"]].head())

products = frtrade.products(flows, indre, flow="export")
print(products[["name", "value_eur", "share"]])

links = frtrade.sankey_links(flows, indre, flow="export")
facts = frtrade.headline_facts(flows, indre, report=data.report)
# --8<-- [end:indicators]

# --8<-- [start:butterfly]
save_chart(butterfly_chart(partners), "partenaires_indre.svg")
# --8<-- [end:butterfly]

# --8<-- [start:treemap]
all_products = frtrade.products(flows, indre)  # both flows
save_chart(treemap_chart(all_products), "produits_indre.svg")
# --8<-- [end:treemap]

# --8<-- [start:sankey]
save_chart(sankey_chart(links), "flux_export_indre.svg")
# --8<-- [end:sankey]

# --8<-- [start:fiche]
fiche = build_fiche(flows, indre, report=data.report)
print(fiche.sentence("export"))
written = fiche.write("fiche-indre", formats=["html", "pdf", "csv", "json"])
print(written["html"], written["pdf"])
# --8<-- [end:fiche]
