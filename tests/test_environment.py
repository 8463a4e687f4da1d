"""pyproject.toml and environment.yml must describe the same dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml

from eduanalysis import paths

# conda-forge spells a few names differently from PyPI
_CONDA_TO_PIP = {"jupyter_client": "jupyter-client"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(spec: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    assert match, spec
    return _norm(_CONDA_TO_PIP.get(match.group(1), match.group(1))), match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    specs = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    return dict(_split(s) for s in specs)


def _environment() -> tuple[dict[str, str], str]:
    env = yaml.safe_load((paths.PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps: dict[str, str] = {}
    python = ""
    for item in env["dependencies"]:
        if isinstance(item, dict):
            for spec in item["pip"]:
                if spec.startswith("-e"):
                    continue
                name, floor = _split(spec)
                deps[name] = floor
            continue
        name, floor = _split(item)
        if name == "python":
            python = floor
        elif name != "pip":
            deps[name] = floor
    return deps, python


def test_same_packages_and_floors():
    pyproject = _pyproject()
    environment, _ = _environment()
    assert set(environment) == set(pyproject), (
        f"only in pyproject: {sorted(set(pyproject) - set(environment))}; "
        f"only in environment.yml: {sorted(set(environment) - set(pyproject))}"
    )
    drift = {n: (pyproject[n], environment[n]) for n in pyproject if pyproject[n] != environment[n]}
    assert drift == {}, f"version floors differ (pyproject, environment.yml): {drift}"


def test_same_python_floor():
    data = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    _, python = _environment()
    assert data["project"]["requires-python"] == python == ">=3.11"


def test_environment_installs_the_project_itself():
    env = yaml.safe_load((paths.PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_items = [i for i in env["dependencies"] if isinstance(i, dict)][0]["pip"]
    assert "-e ." in pip_items
