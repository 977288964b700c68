"""Settings for the whole test session, and the fixtures every test file shares."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The app starts the projection service (app/ui/navigation.py's warm_projector). In tests it skips its
# warm-up and exits soon after its last job, so no test leaves a warm 1.5 GB process behind.
os.environ.setdefault("DLLAB_PROJECTOR_WARM", "")
os.environ.setdefault("DLLAB_PROJECTOR_IDLE_SECONDS", "10")
# Warm workers (core.runs.warm) only where a test asks for them (tests/test_warm_workers.py):
# elsewhere a run starts cold, as those tests expect, and no idle trainer outlives a test.
os.environ.setdefault("DLLAB_WARM_WORKERS", "0")
os.environ.setdefault("DLLAB_WARM_MODELS", "0")  # No model loaded behind a test's back.


@pytest.fixture
def runs_root(monkeypatch, tmp_path) -> Path:
    """An empty runs folder in a temporary DLLAB_ARTIFACTS (tmp_path / "artifacts"), one
    worker slot, no local data configured; the workers a test started are stopped after it."""
    from core_fixtures import stop_workers

    monkeypatch.setenv("DLLAB_ARTIFACTS", str(tmp_path / "artifacts"))
    monkeypatch.setenv("DLLAB_WORKERS", "1")
    monkeypatch.delenv("DLLAB_DATA_DIR", raising=False)
    monkeypatch.delenv("DLLAB_MNIST_PATH", raising=False)
    root = tmp_path / "artifacts" / "runs"
    root.mkdir(parents=True)
    yield root
    stop_workers(root)


@pytest.fixture
def artifacts(runs_root) -> Path:
    """The DLLAB_ARTIFACTS folder holding runs_root (the projector's queue and state go there)."""
    return runs_root.parent


@pytest.fixture
def stand_in_worker():
    """A live process whose pid a 'running' run can claim (never a real worker)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    yield process
    process.kill()
    process.wait()


@pytest.fixture(scope="session")
def one_epoch_cvae_root(tmp_path_factory) -> Path:
    """A runs folder holding one CVAE trained for one epoch (its KL barely used): trained once
    per session, copied into a test's own runs folder (generative_fixtures.copy_runs)."""
    from generative_fixtures import make_generative_run

    root = tmp_path_factory.mktemp("one_epoch_cvae") / "artifacts" / "runs"
    root.mkdir(parents=True)
    make_generative_run(root, "cvae", epochs=1)
    return root
