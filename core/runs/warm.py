"""Warm workers: a trainer that has imported its framework waits for the next run, so a
Launch does not pay TensorFlow's ~10 s import after the click.

A warm pair is a supervisor (`python -m core.runs.worker --warm FRAMEWORK RUNS_ROOT`: small,
no framework) and its trainer (`--train --warm FRAMEWORK RUNS_ROOT`), started as a cold
run's pair is (the trainer with SIGTERM blocked, killed when its supervisor dies). The pair
is registered as <runs>/.warm/<supervisor pid>.json. schedule(), under the queue lock,
claims an idle pair for a queued run of its framework: it writes the run's status as for a
cold launch (running, pid = the trainer, supervisor_pid) and then the claim file
<supervisor pid>.claim naming the run folder. The supervisor sees the claim, sends the
folder to the trainer on its stdin and is from then on that run's supervisor, as a cold one
is: it passes a cancel on and writes `failed` when the trainer dies.

One run per process (isolation, memory given back when it ends). A pair leaves after
DLLAB_WARM_IDLE_SECONDS without a run, or at once when idle and the process that asked for
it (the app, the command line: its "parent") is gone, so none is orphaned forever.

Every change of the registry is made under the queue lock (core.runs.queue.queue_lock).
"""
from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from core import config
from core.runs import processes, store

WARM_DIR = ".warm"
# How often an idle supervisor looks for its claim: the delay between Launch and training.
POLL_SECONDS = 0.05
# Set in every worker's environment: "pid:start" of the app (or CLI) the workers serve.
PARENT_VARIABLE = "DLLAB_WARM_PARENT"
# A framework whose warm trainer died before it was ready is not warmed again for this long
# (a broken install must not respawn a process every few seconds).
BROKEN_BACKOFF_SECONDS = 60.0

# Framework -> the function of core.frameworks that imports it; a backend's name is its
# framework's. A run of any other backend always starts cold.
FRAMEWORKS = {"torch": "torch", "keras": "keras"}

# Children of this process, kept so they are reaped (no zombies in a long-lived server).
_children: list[subprocess.Popen] = []


def framework_of(backend: str | None) -> str | None:
    """The framework a run of `backend` imports, or None when no warm worker serves it."""
    return backend if backend in FRAMEWORKS else None


def warm_dir(root: Path | None = None) -> Path:
    return (root or config.runs_dir()) / WARM_DIR


def load_framework(framework: str | None) -> None:
    """Import `framework` (through core.frameworks, which keeps torch before TensorFlow)."""
    if framework is None:
        return
    from core import frameworks

    getattr(frameworks, FRAMEWORKS[framework])()


def framework_loaded(framework: str | None) -> bool:
    """Whether this process has imported `framework` already (a warm trainer has)."""
    return framework is None or {"torch": "torch", "keras": "keras"}[framework] in sys.modules


def preload(framework: str) -> None:
    """What a warm trainer pays before any run: the framework, its backend, the project
    registry (and the train paths it names) and the parts of scikit-learn they use."""
    from core import backends, projects

    load_framework(framework)
    backend = backends.get_backend(framework)
    projects.get_project(next(iter(projects.PROJECTS)))
    for name in ("sklearn.model_selection", "sklearn.metrics", "sklearn.datasets", "sklearn.linear_model"):
        importlib.import_module(name)
    backend.warm_up()  # What the framework sets up on its first fit, paid before any run too.


# The parent: whom the warm workers serve.


def parent() -> dict:
    """The app (or command line) this process works for: inherited by a worker, else itself."""
    inherited = os.environ.get(PARENT_VARIABLE, "")
    pid, _, start = inherited.partition(":")
    if pid.isdigit():
        return {"parent_pid": int(pid), "parent_start": int(start) if start.isdigit() else None}
    return {"parent_pid": os.getpid(), "parent_start": processes.start_time(os.getpid())}


def parent_environment() -> dict:
    """The environment variable that tells a worker whom it serves."""
    own = parent()
    return {PARENT_VARIABLE: f"{own['parent_pid']}:{own['parent_start'] or ''}"}


def parent_alive(entry: dict) -> bool:
    return processes.is_alive(entry.get("parent_pid"), entry.get("parent_start"))


# The registry: <runs>/.warm/<supervisor pid>.json, changed under the queue lock.


def entry_path(root: Path, supervisor_pid: int) -> Path:
    return warm_dir(root) / f"{supervisor_pid}.json"


def claim_path(root: Path, supervisor_pid: int) -> Path:
    return warm_dir(root) / f"{supervisor_pid}.claim"


def read_entry(root: Path, supervisor_pid: int) -> dict | None:
    try:
        return json.loads(entry_path(root, supervisor_pid).read_text())
    except (OSError, ValueError):
        return None


def write_entry(root: Path, pid: int, **changes) -> None:
    """Merge `changes` into the entry of the pair whose supervisor is `pid`."""
    entry = read_entry(root, pid) or {}
    store.write_json_atomically(entry_path(root, pid), {**entry, **changes})


def remove_entry(root: Path, supervisor_pid: int) -> None:
    for path in (entry_path(root, supervisor_pid), claim_path(root, supervisor_pid)):
        path.unlink(missing_ok=True)


def read_claim(root: Path, supervisor_pid: int) -> Path | None:
    """The run folder schedule() handed to this pair, or None."""
    try:
        text = claim_path(root, supervisor_pid).read_text().strip()
    except OSError:
        return None
    return Path(text) if text else None


def idle_entries(root: Path | None = None, framework: str | None = None) -> list[dict]:
    """The registered pairs not yet claimed whose supervisor lives, oldest first; the files
    of dead ones are removed (call with the queue lock held)."""
    folder = warm_dir(root)
    try:
        paths = list(folder.glob("*.json"))
    except OSError:
        return []
    entries = []
    for path in paths:
        try:
            entry = json.loads(path.read_text())
        except (OSError, ValueError):
            continue  # Being written by the launcher (it holds the lock) or damaged: skip it.
        if not processes.is_alive(entry.get("supervisor_pid"), entry.get("supervisor_start")):
            path.unlink(missing_ok=True)
            continue
        if claim_path(folder.parent, entry["supervisor_pid"]).exists():
            continue
        if framework is None or entry.get("framework") == framework:
            entries.append(entry)
    return sorted(entries, key=lambda entry: entry.get("started", 0))


def broken_recently(root: Path, framework: str) -> bool:
    marker = warm_dir(root) / f"{framework}.broken"
    try:
        return time.time() - marker.stat().st_mtime < BROKEN_BACKOFF_SECONDS
    except OSError:
        return False


def mark_broken(root: Path, framework: str) -> None:
    (warm_dir(root) / f"{framework}.broken").touch()


# Starting and claiming.


def _reap_children() -> None:
    for child in list(_children):
        if child.poll() is not None:
            _children.remove(child)


def _start_pair(root: Path, framework: str) -> int:
    """Launch a warm supervisor (call with the queue lock held: it waits for it)."""
    folder = warm_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / f"starting-{os.getpid()}.log"
    with open(log_path, "ab") as log:
        child = subprocess.Popen(
            [sys.executable, "-m", "core.runs.worker", "--warm", framework, str(root.resolve())],
            cwd=config.REPOSITORY_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Survives the app's restart and its Ctrl-C, as a run's worker does.
            env={**os.environ, "PYTHONUNBUFFERED": "1", **parent_environment()},
        )
    os.replace(log_path, folder / f"{child.pid}.log")  # The open file follows its new name.
    _children.append(child)
    write_entry(root, child.pid, framework=framework, supervisor_pid=child.pid, supervisor_start=processes.start_time(child.pid), trainer_pid=None, trainer_start=None, ready=None, started=time.time(), **parent())
    return child.pid


def ensure_locked(root: Path, framework: str | None, wanted: int = 1) -> list[int]:
    """Start warm pairs of `framework` until `wanted` (at most DLLAB_WARM_WORKERS) are idle;
    call with the queue lock held. Returns the supervisors started. Nothing when warming is
    off, the framework has no warm workers, or the app they would serve is gone."""
    _reap_children()
    if framework is None or framework not in FRAMEWORKS:
        return []
    limit = min(wanted, config.warm_workers())
    own = parent()
    if limit <= 0 or not parent_alive(own) or broken_recently(root, framework):
        return []
    idle = idle_entries(root, framework)
    for entry in idle:
        if not parent_alive(entry):  # Adopted by the app asking now (a restarted app keeps them).
            write_entry(root, entry["supervisor_pid"], **own)
    return [_start_pair(root, framework) for _ in range(limit - len(idle))]


def ensure(framework: str | None, root: Path | None = None, wanted: int = 1) -> list[int]:
    """ensure_locked under the queue lock: what the app calls when a page shows a project of
    that framework, cheap when the warm workers are there (a lock and a folder listing)."""
    from core.runs import queue

    root = root or config.runs_dir()
    if framework is None or config.warm_workers() == 0:
        return []
    with queue.queue_lock(root):
        return ensure_locked(root, framework, wanted)


def claim_locked(run: store.RunSummary, root: Path) -> bool:
    """Hand queued `run` to an idle warm pair of its framework, if one is there (call with the
    queue lock held): its status says running with the trainer's pid, as a cold launch's does."""
    framework = framework_of(run.backend)
    if framework is None:
        return False
    for entry in sorted(idle_entries(root, framework), key=lambda entry: entry.get("ready") is None):
        if not processes.is_alive(entry.get("trainer_pid"), entry.get("trainer_start")):
            continue  # Still starting its trainer, or the trainer died: its supervisor cleans up.
        # The trainer may still be importing: claimed now, it starts the run once its import is done.
        store.write_status(
            run.path, status="running", pid=entry["trainer_pid"], process_start=entry["trainer_start"],
            supervisor_pid=entry["supervisor_pid"], supervisor_start=entry["supervisor_start"],
            started=time.time(), heartbeat=time.time(), phase="loading_framework" if entry.get("ready") is None else "loading_data", warm=True,
        )
        # Written last: the supervisor acts on the claim, and the status is ready for it.
        temporary = claim_path(root, entry["supervisor_pid"]).with_suffix(".claim-tmp")
        temporary.write_text(str(run.path.resolve()))
        os.replace(temporary, claim_path(root, entry["supervisor_pid"]))
        return True
    return False


# Seen from outside: what is warm, how much memory it holds; stopping (tests, benchmarks).


def resident_megabytes(pid: int | None) -> float:
    """A process' resident memory (VmRSS), 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def idle_memory_megabytes(root: Path | None = None) -> float:
    """The resident memory of every idle warm pair (supervisor and trainer)."""
    return sum(resident_megabytes(entry.get(key)) for entry in idle_entries(root) for key in ("supervisor_pid", "trainer_pid"))


def stop_idle(root: Path | None = None, wait_seconds: float = 10.0) -> None:
    """Ask every idle warm pair to leave (SIGTERM to its supervisor) and wait for them."""
    from core.runs import queue

    root = root or config.runs_dir()
    with queue.queue_lock(root):
        entries = idle_entries(root)
    for entry in entries:
        try:
            os.kill(entry["supervisor_pid"], signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + wait_seconds
    for entry in entries:
        for key in ("supervisor_pid", "trainer_pid"):
            start = entry.get(key.replace("_pid", "_start"))
            while processes.is_alive(entry.get(key), start) and time.monotonic() < deadline:
                _reap_children()
                time.sleep(0.05)
    _reap_children()
