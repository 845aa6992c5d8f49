"""Cold start (issue 20): ``import asiakasarvo_engine`` loads nothing heavy; the public
names still resolve, lazily, to the objects of the modules that define them."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import asiakasarvo_engine

HEAVY = ("pydantic", "jsonschema", "importlib.metadata", "yaml", "ruamel", "click", "jinja2")


def _modules_after(code: str) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    return list(json.loads(out.stdout))


def test_import_loads_nothing_heavy() -> None:
    loaded = _modules_after("import asiakasarvo_engine")
    heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []
    ours = [m for m in loaded if m.startswith("asiakasarvo_engine")]
    assert ours == ["asiakasarvo_engine"]


def test_every_public_name_resolves_to_its_module_object() -> None:
    for name, module in asiakasarvo_engine._EXPORTS.items():
        value = getattr(asiakasarvo_engine, name)
        assert value is getattr(importlib.import_module(f"asiakasarvo_engine.{module}"), name)
    assert sorted(asiakasarvo_engine.__all__) == sorted(asiakasarvo_engine._EXPORTS)
    assert set(asiakasarvo_engine.__all__) <= set(dir(asiakasarvo_engine))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        asiakasarvo_engine.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_version_is_the_installed_one() -> None:
    from importlib.metadata import version

    assert asiakasarvo_engine.__version__ == version("asiakasarvo-engine")
