"""The projection service: one long-lived process (`python -m core.projector serve`) that
runs projection jobs, so only its first minute pays the imports and UMAP's compilation.

umap-learn compiles its numba code again in every new process (6-9 s here even with the
neighbours precomputed, 60-90 s with pynndescent); a warm process projects 5,000 points in
2-5 s. The app starts the service when it starts; the service imports torch and umap and
fits a tiny UMAP while the user is still choosing, then takes job files from
artifacts/projections/queue/ one at a time, and exits after a long idle time.

One service at most: the launcher checks and starts it under a lock, and the service holds
another lock for its whole life.
"""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from core import config
from core.runs import processes, store

STATE_FILE = "service.json"
LOG_FILE = "service.log"
POLL_SECONDS = 0.2
IDLE_SECONDS = 30 * 60

# Children of this process, kept so they are reaped (no zombies in a long-lived server).
_children: list[subprocess.Popen] = []


def service_dir() -> Path:
    return config.artifacts_dir() / "projections"


def idle_seconds() -> float:
    """How long the service waits for a job before it exits ($DLLAB_PROJECTOR_IDLE_SECONDS)."""
    value = os.environ.get("DLLAB_PROJECTOR_IDLE_SECONDS", str(IDLE_SECONDS))
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"DLLAB_PROJECTOR_IDLE_SECONDS must be a number of seconds, got {value!r}") from None


@contextmanager
def _lock(name: str):
    service_dir().mkdir(parents=True, exist_ok=True)
    with open(service_dir() / name, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def read_state() -> dict:
    """service.json: pid, process_start, state (starting, warming, ready, stopped), warm steps done."""
    try:
        return store.read_json(service_dir() / STATE_FILE)
    except (FileNotFoundError, ValueError):
        return {}


def _write_state(**changes) -> None:
    store.write_json_atomically(service_dir() / STATE_FILE, {**read_state(), **changes})


def is_running() -> bool:
    state = read_state()
    return state.get("state") != "stopped" and processes.is_alive(state.get("pid"), state.get("process_start"))


def stop(wait_seconds: float = 10.0) -> None:
    """End the service if it runs (its pid checked against its start time, so a reused pid
    is never signalled), waiting up to `wait_seconds` for it to exit."""
    import signal

    state = read_state()
    pid, started = state.get("pid"), state.get("process_start")
    if not processes.is_alive(pid, started):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait_seconds
    while processes.is_alive(pid, started) and time.monotonic() < deadline:
        time.sleep(0.05)


def ensure_running() -> int:
    """Start the service unless it runs; return its pid. Cheap when it runs (a lock and a read)."""
    for child in list(_children):
        if child.poll() is not None:
            _children.remove(child)
    with _lock(".launch.lock"):
        state = read_state()
        if state.get("state") != "stopped" and processes.is_alive(state.get("pid"), state.get("process_start")):
            return state["pid"]
        with open(service_dir() / LOG_FILE, "wb") as log:
            child = subprocess.Popen(
                [sys.executable, "-m", "core.projector", "serve"],
                cwd=config.REPOSITORY_ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # Survives the app's restart and its Ctrl-C.
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        _children.append(child)
        # Written under the lock, before the service (which waits for the lock) reads it.
        store.write_json_atomically(service_dir() / STATE_FILE, {"pid": child.pid, "process_start": processes.start_time(child.pid), "state": "starting", "started": time.time(), "warm": []})
        return child.pid


def _warm_umap() -> None:
    """Compile UMAP's numba code on a tiny fit that takes the same code path as real jobs."""
    import numpy as np

    from core.projector import methods

    methods.project("umap", np.random.default_rng(0).normal(size=(64, 8)).astype(np.float32), seed=0)


def _warm_steps() -> list:
    """What the service does before the first job: ($DLLAB_PROJECTOR_WARM, names separated
    by commas, "" for none: the tests, or a machine short of memory)."""
    from core import frameworks
    from core.projector import methods

    # Keras last: TensorFlow's import is only needed for Keras runs and a job may come first.
    steps = {"torch": frameworks.torch, "umap": methods.import_umap, "umap_compiled": _warm_umap, "keras": frameworks.keras}
    wanted = os.environ.get("DLLAB_PROJECTOR_WARM", ",".join(steps))
    names = [name.strip() for name in wanted.split(",") if name.strip()]
    unknown = sorted(set(names) - set(steps))
    if unknown:
        raise ValueError(f"DLLAB_PROJECTOR_WARM: unknown step(s) {', '.join(unknown)}; valid: {', '.join(steps)}")
    return [(name, steps[name]) for name in names]


def serve(idle_limit: float | None = None) -> int:
    """The service's loop: a job when there is one, else the next warm-up step, else wait."""
    from core.projector import jobs

    idle_limit = idle_seconds() if idle_limit is None else idle_limit
    with _lock(".launch.lock"):
        # Started by hand rather than by ensure_running: say who we are.
        if read_state().get("pid") != os.getpid():
            _write_state(pid=os.getpid(), process_start=processes.start_time(os.getpid()), state="starting", started=time.time(), warm=[])
    life = open(service_dir() / ".service.lock", "w")
    try:
        fcntl.flock(life, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("another projection service runs", flush=True)
        return 3
    print(f"projection service {os.getpid()} for {service_dir()}", flush=True)
    steps, done = _warm_steps(), []
    last_work = time.monotonic()
    while True:
        job = jobs.take_job()
        if job is not None:
            jobs.run_job(*job)
            last_work = time.monotonic()
            continue
        if steps:
            name, step = steps.pop(0)
            began = time.monotonic()
            try:
                step()
            except Exception as error:  # A job needing it will say why; the others go on.
                print(f"warm: {name} failed: {type(error).__name__}: {error}", flush=True)
            else:
                done.append(name)
                print(f"warm: {name} in {time.monotonic() - began:.1f} s", flush=True)
            _write_state(state="warming" if steps else "ready", warm=done)
            continue
        if not service_dir().is_dir():
            return 0  # Its artifacts folder was deleted (a test's temporary folder).
        if time.monotonic() - last_work > idle_limit:
            with _lock(".launch.lock"):
                # Under the launch lock: a job submitted now sees "stopped" and starts a new service.
                if not jobs.has_jobs():
                    _write_state(state="stopped", stopped=time.time())
                    print("idle: exiting", flush=True)
                    return 0
        time.sleep(POLL_SECONDS)
