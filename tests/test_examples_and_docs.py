from __future__ import annotations

import importlib
import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(
    p for p in (ROOT / "examples").glob("*.py") if not p.name.startswith("_")
)


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that write into the current folder
    monkeypatch.setenv("FRTRADE_EXAMPLES_OUT", str(tmp_path))
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    assert out.strip()


PUBLIC_MODULES = (
    "frtrade",
    "frtrade.charts",
    "frtrade.layouts",
    "frtrade.render",
    "frtrade.fiche",
    "frtrade.reference",
    "frtrade.testing",
    "frtrade.formatting",
)


def test_every_public_name_has_a_docs_entry():
    text = "\n".join(p.read_text() for p in (ROOT / "docs" / "reference").glob("*.md"))
    targets = set(re.findall(r"^::: ([\w.]+)", text, flags=re.M))
    missing = []
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        if module_name in targets and module_name != "frtrade":
            continue  # the whole module is documented
        for name in module.__all__:
            if name == "__version__":
                continue
            if (
                f"{module_name}.{name}" not in targets
                and f"frtrade.{name}" not in targets
            ):
                missing.append(f"{module_name}.{name}")
    assert not missing, f"public names without a docs entry: {missing}"


def test_every_public_function_has_an_example():
    import inspect

    missing = []
    for module_name in (*PUBLIC_MODULES, "frtrade.dgddi", "frtrade.labels", "frtrade.indicators",
                        "frtrade.territories", "frtrade.datasets", "frtrade.cli"):  # fmt: skip
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            members = [(name, obj)]
            if inspect.isclass(obj):
                members += [
                    (f"{name}.{k}", v.__func__ if isinstance(v, classmethod) else v)
                    for k, v in vars(obj).items()
                    if not k.startswith("_")
                    and (inspect.isfunction(v) or isinstance(v, classmethod))
                ]
            for label, member in members:
                if inspect.isfunction(member) and ">>>" not in (
                    inspect.getdoc(member) or ""
                ):
                    missing.append(f"{module_name}.{label}")
    assert not missing, f"public functions without an example: {sorted(set(missing))}"
