"""The projection service seen from outside: start it (ensure_running), ask whether it
runs, read its state, stop it. The process itself is core.projector.server.

One service at most: the launcher checks and starts it under the launch lock, and the
service holds another lock for its whole life.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from core import config, filelock
from core.runs import processes, store

STATE_FILE = "service.json"
LOG_FILE = "service.log"
# Held while the service is checked and started, and while an idle service decides to stop.
LAUNCH_LOCK_FILE = ".launch.lock"
# Held by the service for its whole life.
LIFE_LOCK_FILE = ".service.lock"

# Children of this process, kept so they are reaped (no zombies in a long-lived server).
_children: list[subprocess.Popen] = []


def service_dir() -> Path:
    return config.artifacts_dir() / "projections"


def launch_lock():
    return filelock.exclusive(service_dir() / LAUNCH_LOCK_FILE)


def read_state() -> dict:
    """service.json: pid, process_start, state (starting, warming, ready, stopped), warm steps done."""
    try:
        return store.read_json(service_dir() / STATE_FILE)
    except (FileNotFoundError, ValueError):
        return {}


def write_state(**changes) -> None:
    store.write_json_atomically(service_dir() / STATE_FILE, {**read_state(), **changes})


def parent_gone(state: dict | None = None) -> bool:
    """Whether the process that last asked for the service (the app, recorded by
    ensure_running) has ended: the service then leaves once it has no job. False when
    none is recorded (a service started by hand)."""
    state = read_state() if state is None else state
    return bool(state.get("parent_pid")) and not processes.is_alive(state["parent_pid"], state.get("parent_start"))


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
    """Start the service unless it runs; return its pid. Cheap when it runs (a lock and a read).
    This process becomes the service's parent: the service leaves when it is gone."""
    for child in list(_children):
        if child.poll() is not None:
            _children.remove(child)
    parent = {"parent_pid": os.getpid(), "parent_start": processes.start_time(os.getpid())}
    with launch_lock():
        state = read_state()
        if state.get("state") != "stopped" and processes.is_alive(state.get("pid"), state.get("process_start")):
            if {key: state.get(key) for key in parent} != parent:
                write_state(**parent)  # A new app (or a restarted one) keeps the running service.
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
        store.write_json_atomically(service_dir() / STATE_FILE, {"pid": child.pid, "process_start": processes.start_time(child.pid), "state": "starting", "started": time.time(), "warm": [], **parent})
        return child.pid
