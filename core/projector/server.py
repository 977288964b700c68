"""The projection service's process (`python -m core.projector serve`): it runs projection
jobs, so only its first minute pays the imports and UMAP's compilation.

umap-learn compiles its numba code again in every new process (6-9 s here even with the
neighbours precomputed, 60-90 s with pynndescent); a warm process projects 5,000 points in
2-5 s. The app starts the service when it starts (core.projector.service); the service
imports torch and umap and fits a tiny UMAP while the user is still choosing, then takes
job files from artifacts/projections/queue/ one at a time, and exits after a long idle time,
or as soon as it has no job once the app that started it (its recorded parent) is gone.
One warm-up step (importing keras, compiling UMAP) can take a minute on a busy machine: a
watcher thread checks every WATCH_SECONDS, so the service leaves mid-step too.

Imports go one way: server -> jobs -> service.
"""
from __future__ import annotations

import os
import threading
import time

from core import filelock
from core.projector import jobs, service
from core.runs import processes

POLL_SECONDS = 0.2
IDLE_SECONDS = 30 * 60
# How often the watcher looks whether the service is still wanted while a warm-up step runs.
WATCH_SECONDS = 1.0


def idle_seconds() -> float:
    """How long the service waits for a job before it exits ($DLLAB_PROJECTOR_IDLE_SECONDS)."""
    value = os.environ.get("DLLAB_PROJECTOR_IDLE_SECONDS", str(IDLE_SECONDS))
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"DLLAB_PROJECTOR_IDLE_SECONDS must be a number of seconds, got {value!r}") from None


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


class _Work:
    """What the main loop and the watcher share: the time of the last job, and a lock held
    while a job is taken and run or the state file is written, so the watcher never leaves
    with a job in hand nor lets a late "ready" overwrite "stopped"."""

    def __init__(self):
        self.lock = threading.Lock()
        self.last = time.monotonic()


def _leave_if_unwanted(work: _Work, idle_limit: float) -> str | None:
    """Under the launch lock: when the service sat idle past `idle_limit`, or its app is gone,
    and no job waits, write "stopped" and return why; else None. A job submitted meanwhile
    sees "stopped" and starts a new service; a new app that adopted this one is seen."""
    idle = time.monotonic() - work.last > idle_limit
    if not (idle or service.parent_gone()):
        return None
    with service.launch_lock():
        orphaned = service.parent_gone()
        if (idle or orphaned) and not jobs.has_jobs():
            service.write_state(state="stopped", stopped=time.time())
            return "the app that started the service is gone" if orphaned else "idle"
    return None


def _watch(work: _Work, idle_limit: float) -> None:
    """The watcher thread: leaves for the whole process (os._exit: the main thread may be deep
    in an import that cannot be interrupted) once the service is unwanted; skips a turn while
    a job runs. The life lock goes with the process."""
    while True:
        time.sleep(WATCH_SECONDS)
        if not service.service_dir().is_dir():
            os._exit(0)  # Its artifacts folder was deleted (a test's temporary folder).
        if not work.lock.acquire(blocking=False):
            continue  # A job is under way: the main loop decides after it.
        try:
            reason = _leave_if_unwanted(work, idle_limit)
            if reason is not None:
                print(f"{reason}: exiting (watcher)", flush=True)
                os._exit(0)
        finally:
            work.lock.release()


def serve(idle_limit: float | None = None) -> int:
    """The service's loop: a job when there is one, else the next warm-up step, else wait."""
    idle_limit = idle_seconds() if idle_limit is None else idle_limit
    with service.launch_lock():
        # Started by hand rather than by ensure_running: say who we are.
        if service.read_state().get("pid") != os.getpid():
            service.write_state(pid=os.getpid(), process_start=processes.start_time(os.getpid()), state="starting", started=time.time(), warm=[], parent_pid=None, parent_start=None)
    life = filelock.try_hold(service.service_dir() / service.LIFE_LOCK_FILE)  # Never closed: held until the process ends.
    if life is None:
        print("another projection service runs", flush=True)
        return 3
    print(f"projection service {os.getpid()} for {service.service_dir()}", flush=True)
    steps, done = _warm_steps(), []
    work = _Work()
    threading.Thread(target=_watch, args=(work, idle_limit), name="watcher", daemon=True).start()
    while True:
        with work.lock:
            job = jobs.take_job()
            if job is not None:
                jobs.run_job(*job)
                work.last = time.monotonic()
        if job is not None:
            continue
        orphaned = service.parent_gone()
        if steps and not orphaned:
            name, step = steps.pop(0)
            began = time.monotonic()
            try:
                step()
            except Exception as error:  # A job needing it will say why; the others go on.
                print(f"warm: {name} failed: {type(error).__name__}: {error}", flush=True)
            else:
                done.append(name)
                print(f"warm: {name} in {time.monotonic() - began:.1f} s", flush=True)
            with work.lock:
                service.write_state(state="warming" if steps else "ready", warm=done)
            continue
        if not service.service_dir().is_dir():
            return 0  # Its artifacts folder was deleted (a test's temporary folder).
        with work.lock:
            reason = _leave_if_unwanted(work, idle_limit)
        if reason is not None:
            print(f"{reason}: exiting", flush=True)
            return 0
        time.sleep(POLL_SECONDS)
