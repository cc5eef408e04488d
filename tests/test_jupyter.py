"""The offline Altair renderer and the example notebook."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from frtrade.jupyter import RENDERER, enable

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "notebook.ipynb"


@pytest.fixture
def restore_renderer():
    before = alt.renderers.active
    yield
    alt.renderers.enable(before)


def _chart() -> alt.Chart:
    return (
        alt.Chart(pd.DataFrame({"x": [0.5, 1.5, 2.5], "y": ["a", "b", "c"]}))
        .mark_bar()
        .encode(x="x:Q", y="y:N")
    )


def test_svg_renderer_is_offline_and_french(restore_renderer):
    enable()
    assert alt.renderers.active == RENDERER
    bundle = _chart()._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    svg = bundle["image/svg+xml"]
    assert svg.startswith("<svg")
    assert "1,5" in svg  # the French theme's decimal comma
    assert "1.5<" not in svg
    assert "Liberation Sans" in svg
    assert "<script" not in svg
    assert "http" not in svg.replace("http://www.w3.org", "")  # no CDN, no remote asset


def test_png_renderer(restore_renderer):
    enable("png", scale=1.0)
    bundle = _chart()._repr_mimebundle_()
    png = base64.b64decode(bundle["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_notebook_picture_is_the_fiche_picture(restore_renderer):
    import frtrade
    from frtrade.charts import butterfly_chart
    from frtrade.render import render_chart

    data = frtrade.load_fictitious_dataset()
    chart = butterfly_chart(
        frtrade.partners(data.flows, frtrade.Territory.resolve("36"))
    )
    enable()
    svg = chart._repr_mimebundle_()["image/svg+xml"]
    assert svg == render_chart(chart, "svg").decode("utf-8")
    assert "États-Unis" in svg
    assert "375,7" in svg


def test_other_user_config_is_kept(restore_renderer):
    enable()
    chart = _chart().configure_mark(color="#123456")
    svg = chart._repr_mimebundle_()["image/svg+xml"]
    assert "#123456" in svg


def test_bad_format(restore_renderer):
    with pytest.raises(ValueError, match="unknown image format"):
        enable("pdf")  # type: ignore[arg-type]


def test_notebook_is_committed_without_outputs():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == []
            assert cell["execution_count"] is None


@pytest.mark.slow
def test_notebook_executes_offline(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # the kernel may not reach the network: a socket connect to anything but
    # localhost fails (the kernel itself talks to this process over localhost)
    guard = tmp_path / "sitecustomize.py"
    guard.write_text(
        "import socket\n"
        "_connect = socket.socket.connect\n"
        "def connect(self, address):\n"
        "    host = address[0] if isinstance(address, tuple) else address\n"
        "    if isinstance(host, str) and host not in ('127.0.0.1', 'localhost', '::1')"
        " and not host.startswith('/'):\n"
        "        raise OSError('network disabled in the notebook test: ' + str(host))\n"
        "    return _connect(self, address)\n"
        "socket.socket.connect = connect\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    )
    nb = nbformat.read(NOTEBOOK, as_version=4)
    probe = nbformat.v4.new_code_cell(
        "import urllib.request\n"
        "try:\n"
        "    urllib.request.urlopen('http://192.0.2.1/', timeout=3)\n"
        "except OSError as exc:\n"
        "    print('offline:', exc)"
    )
    nb.cells.append(probe)  # proves the guard is active in the kernel
    client = nbclient.NotebookClient(
        nb,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    nbformat.write(nb, tmp_path / "executed.ipynb")
    assert "offline: " in probe.outputs[0]["text"]
    assert "network disabled" in probe.outputs[0]["text"]
    code = [c for c in nb.cells if c.cell_type == "code" and c is not probe]
    assert all(o.get("output_type") != "error" for c in code for o in c.outputs), [
        o for c in code for o in c.outputs if o.get("output_type") == "error"
    ]
    text = "\n".join(
        o.get("text", "")
        for c in code
        for o in c.outputs
        if o.get("output_type") == "stream"
    )
    assert "DONNÉES FICTIVES" in text
    assert "Exportations : 1\u202f274,7\u202fM€" in text
    assert "Taux de couverture : 113,9\u202f%" in text
    chart_outputs = [
        o for c in code for o in c.outputs if "image/svg+xml" in o.get("data", {})
    ]
    assert len(chart_outputs) == 1
    svg = chart_outputs[0]["data"]["image/svg+xml"]
    assert "États-Unis" in svg
    assert "application/vnd.vegalite" not in json.dumps(
        [o for c in code for o in c.outputs]
    )
    table = code[-1].outputs[0]["data"]
    assert "<table" in table["text/html"]
    assert "Viandes" in table["text/html"]
