"""core.filelock: the one file-lock helper, and the modules that lock through it."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from core import filelock

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


def test_exclusive_excludes_try_hold_until_released(tmp_path):
    path = tmp_path / "folder" / ".lock"  # The folder is made when missing.
    with filelock.exclusive(path):
        assert filelock.try_hold(path) is None
    held = filelock.try_hold(path)
    assert held is not None
    try:
        # Another process cannot take it while this one holds it.
        other = subprocess.run([sys.executable, "-c", f"from pathlib import Path; from core import filelock; print(filelock.try_hold(Path({str(path)!r})) is None)"], cwd=REPOSITORY_ROOT, capture_output=True, text=True, timeout=60)
        assert other.stdout.strip() == "True", other.stderr
    finally:
        held.close()
    assert filelock.try_hold(path) is not None


def test_only_the_helper_calls_fcntl():
    callers = []
    for path in sorted((REPOSITORY_ROOT / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module] if isinstance(node, ast.ImportFrom) else []
            if "fcntl" in names:
                callers.append(str(path.relative_to(REPOSITORY_ROOT)))
    assert callers == ["core/filelock.py"]
