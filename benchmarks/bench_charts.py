"""Benchmark: spec build and render time of each chart and format, renderer warm-up.

Usage: ``python benchmarks/bench_charts.py`` (embedded dataset, Indre and France).
"""

from __future__ import annotations

import statistics
import time
from typing import TYPE_CHECKING

import frtrade
from frtrade.charts import butterfly_chart, sankey_chart, treemap_chart
from frtrade.render import chart_spec, render_chart

if TYPE_CHECKING:
    from collections.abc import Callable


def timed(call: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    start = time.perf_counter()
    import vl_convert as vlc

    vlc.vegalite_to_svg({"mark": "point"})
    print(
        f"renderer warm-up (first conversion in the process): {time.perf_counter() - start:.2f} s"
    )
    data = frtrade.load_fictitious_dataset()
    flows = data.flows
    for code in ("36", "FR"):
        t = (
            frtrade.Territory.france()
            if code == "FR"
            else frtrade.Territory.resolve(code)
        )
        factories = {
            "butterfly": lambda t=t: butterfly_chart(frtrade.partners(flows, t)),
            "treemap": lambda t=t: treemap_chart(frtrade.products(flows, t)),
            "sankey": lambda t=t: sankey_chart(
                frtrade.sankey_links(flows, t, flow="export")
            ),
        }
        for name, factory in factories.items():
            build, chart = timed(factory)
            spec_s, spec = timed(lambda chart=chart: chart_spec(chart))
            size = len(str(spec)) / 1000
            cells = [f"build {build:.2f} s", f"spec {spec_s:.2f} s ({size:.0f} KB)"]
            for fmt in ("svg", "png", "pdf", "html"):
                took, out = timed(lambda chart=chart, fmt=fmt: render_chart(chart, fmt))
                cells.append(f"{fmt} {took:.2f} s ({len(out) / 1000:.0f} KB)")
            print(f"{t.name:<10} {name:<9} " + " | ".join(cells))


if __name__ == "__main__":
    main()
