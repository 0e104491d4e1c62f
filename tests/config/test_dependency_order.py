"""The apps import each other in one direction only (pyproject.toml, [tool.importlinter]):
maturity ← assessments ← results ← training ← improvement ← reports ← front. import-linter
reads every import, including those inside functions, so a late import cannot hide a cycle."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "maturity",
    "assessments",
    "results",
    "training",
    "improvement",
    "reports",
    "front",
    "accounts",
)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_tree(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.yaml", "*.md", "*.ttf", "content"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_apps_keep_their_dependency_order():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_an_import_against_the_order_breaks_the_contract(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    selectors = tree / "assessments" / "selectors.py"
    # Hidden inside a function, as the old home page and demo imports were.
    selectors.write_text(
        selectors.read_text() + "\n\ndef _late():\n    from results import loader  # noqa\n"
    )
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "Apps depend only on the apps below them BROKEN" in result.stdout
    assert "assessments.selectors -> results.loader" in result.stdout


def test_login_protection_imports_no_app(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    (tree / "accounts" / "probe.py").write_text("import assessments.models  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "Login protection stands alone BROKEN" in result.stdout
