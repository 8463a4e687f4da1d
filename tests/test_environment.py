"""One stack: pyproject.toml, environment.yml and environment-dev.yml tell the same story.

``environment.yml`` is the user's environment (pyproject's ``dependencies``, JupyterLab
included), ``environment-dev.yml`` adds the test tools (pyproject's ``test`` extra).
"""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from eduanalysis import paths

# conda-forge spells a few names differently from PyPI (none at the moment: names are
# compared after PEP 503 normalisation, so jupyter_client and jupyter-client are one)
_CONDA_TO_PIP: dict[str, str] = {}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(spec: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    if match is None:
        raise ValueError(f"not a requirement: {spec!r}")
    return _norm(_CONDA_TO_PIP.get(match.group(1), match.group(1))), match.group(2).replace(" ", "")


def _project() -> dict:
    return tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _pyproject(group: str) -> dict[str, str]:
    project = _project()
    specs = project["dependencies"] if group == "dependencies" else project["optional-dependencies"][group]
    return dict(_split(s) for s in specs)


def _environment(file: str) -> tuple[dict[str, str], str, list[str]]:
    """(packages with floors, python floor, pip lines that are not packages) of a conda file."""
    env = yaml.safe_load((paths.PROJECT_ROOT / file).read_text(encoding="utf-8"))
    deps: dict[str, str] = {}
    python, options = "", []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            for spec in item["pip"]:
                if spec.startswith("-"):
                    options.append(spec)
                    continue
                name, floor = _split(spec)
                deps[name] = floor
            continue
        name, floor = _split(item)
        if name == "python":
            python = floor
        elif name != "pip":
            deps[name] = floor
    return deps, python, options


@pytest.mark.parametrize(
    ("file", "group"), [("environment.yml", "dependencies"), ("environment-dev.yml", "test")], ids=["user", "dev"]
)
def test_same_packages_and_floors(file, group):
    pyproject = _pyproject(group)
    environment, _, _ = _environment(file)
    assert set(environment) == set(pyproject), (
        f"only in pyproject ({group}): {sorted(set(pyproject) - set(environment))}; "
        f"only in {file}: {sorted(set(environment) - set(pyproject))}"
    )
    drift = {n: (pyproject[n], environment[n]) for n in pyproject if pyproject[n] != environment[n]}
    assert drift == {}, f"version floors differ (pyproject, {file}): {drift}"


def test_same_python_floor():
    _, python, _ = _environment("environment.yml")
    assert _project()["requires-python"] == python == ">=3.11"


def test_user_environment_installs_the_project_and_no_test_tool():
    user, _, options = _environment("environment.yml")
    assert options == ["-e ."]
    assert not set(user) & set(_pyproject("test")), "test tools belong in environment-dev.yml"
    _, _, dev_options = _environment("environment-dev.yml")
    assert dev_options == [], "environment-dev.yml adds packages to the user environment only"


def test_the_default_install_carries_the_stack():
    """What the project stands on is in `pip install .` itself, not in an extra."""
    default = _pyproject("dependencies")
    stack = {"jupyterlab", "pandas", "numpy", "scipy", "seaborn", "matplotlib", "papermill", "nbconvert", "ipykernel"}
    assert stack <= set(default), sorted(stack - set(default))
    # the save hook of .jupyter/jupyter_server_config.py imports these two
    assert {"jupyter-server", "nbstripout"} <= set(default)
    assert "dev" not in _project()["optional-dependencies"], "JupyterLab is in the default install now"


def test_declared_packages_are_used():
    """Every default dependency is imported somewhere (pyarrow was declared and never used)."""
    imports = {  # distribution name -> the module it provides, where they differ
        "pyyaml": "yaml",
        "fonttools": "fontTools",
        "jupyter-client": "jupyter_client",
        "jupyter-server": "jupyter_server",
        "noto-cjk-sans-otc": "noto_cjk_sans_otc",
        "python-docx": "docx",
        "beautifulsoup4": "bs4",
    }
    sources = [
        p.read_text(encoding="utf-8")
        for folder in ("eduanalysis", "tests", "benchmarks", ".jupyter")
        for p in (paths.PROJECT_ROOT / folder).rglob("*.py")
    ]
    # used through another package rather than imported: pandas' xlsx engine, papermill's
    # execution engine (render.py judges its exceptions), the python3 kernel, `make lab`
    by_name = {
        "openpyxl": r'engine="openpyxl"',
        "nbclient": r"papermill/nbclient",
        "ipykernel": r'kernel_name: str = "python3"',
        "jupyterlab": r"jupyter lab",
        "lxml": r"BeautifulSoup\(.*\"lxml\"",  # the HTML reader's parser
    }
    text = "\n".join(sources) + (paths.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    unused = []
    for name in _pyproject("dependencies"):
        module = imports.get(name, name.replace("-", "_"))
        imported = re.search(rf"^\s*(?:import|from)\s+{re.escape(module)}\b", text, re.MULTILINE)
        if not imported and not (name in by_name and re.search(by_name[name], text)):
            unused.append(name)
    assert unused == []
