"""The layer contracts (pyproject.toml, docs/architecture.md) hold; a backward import breaks them.

`make lint` runs the same `lint-imports`; these tests make the contracts part of `make test` too,
and show on a copy of the package that a backward import is refused, naming the line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed")


def lint(src: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports with the project's contracts over the `grassroots` package under `src`."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(  # noqa: S603 (our own tool, fixed arguments)
        [str(LINT), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def copy_of_package(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "grassroots",
        src / "grassroots",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates"),
    )
    return src


def test_the_package_keeps_every_contract():
    result = lint(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "refused"),
    [
        # the core keeps no domain
        ("core/probe.py", "from grassroots.areas import models", "grassroots.core"),
        # people sits below cases
        ("people/probe.py", "from grassroots.cases import models", "grassroots.people"),
        # the faces do not import one another
        ("dashboard/probe.py", "from grassroots.open311 import models", "grassroots.dashboard"),
        # a function-level import counts too
        (
            "cases/probe.py",
            "def f():\n    from grassroots.dashboard import selectors",
            "grassroots.cases",
        ),
    ],
)
def test_a_backward_import_breaks_the_layers(tmp_path, module, line, refused):
    # given a copy of the package with one import against the layers
    src = copy_of_package(tmp_path)
    (src / "grassroots" / module).write_text(line + "\n", encoding="utf-8")
    # when the contracts are checked
    result = lint(src)
    # then the lint fails and names the importing module
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert f"{refused}.probe ->" in result.stdout


def test_a_private_module_is_private_to_its_app(tmp_path):
    src = copy_of_package(tmp_path)
    (src / "grassroots" / "cases" / "_internal.py").write_text("X = 1\n", encoding="utf-8")
    (src / "grassroots" / "dashboard" / "probe.py").write_text(
        "from grassroots.cases._internal import X\n", encoding="utf-8"
    )
    result = lint(src)
    assert result.returncode != 0
    assert "grassroots.dashboard.probe -> grassroots.cases._internal" in result.stdout
