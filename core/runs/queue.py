"""The job queue: runs wait as `queued` folders; schedule() starts workers up to the limit.

Every process that may start workers (the app, the command line, a worker that just
finished) calls schedule(); a file lock makes those calls take turns, so two launches at
the same moment never start two workers on one folder.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from core import config, filelock
from core.runs import processes, store, warm

# Children of this process, kept so they are reaped (no zombies in a long-lived server).
_children: list[subprocess.Popen] = []


def queue_lock(root: Path | None = None):
    """The lock that schedule(), cancel() and a starting worker take turns on."""
    return filelock.exclusive((root or config.runs_dir()) / ".queue.lock")


def build_params(project_id: str, dataset: str | None, model: str | None, backend: str | None, overrides: dict | None) -> dict:
    """Check every choice and hyperparameter; return what params.json will hold. Raises ValueError."""
    import dataclasses

    # Here rather than at the top: a run's supervisor imports this module and stays small.
    from core import hyperparams
    from core.projects import get_project

    project = get_project(project_id)
    dataset = dataset or project.default_dataset
    model = model or project.models[0]
    # An unknown model has no backends: leave it to check_choice to name the valid models.
    backend = backend or next(iter(project.backends_for(model)), None)
    project.check_choice(dataset, model, backend)
    resolved = hyperparams.resolve(project.parameters, overrides)
    project.check_parameters(resolved, dataset, model, backend)
    return {
        "project": project.id,
        "dataset": dataset,
        "model": model,
        "backend": backend,
        "hyperparameters": dataclasses.asdict(resolved),
        "seed": resolved.seed,
        "device": None,  # Filled in by the worker, which is the one that knows.
        "versions": None,
        "created": time.time(),
    }


def submit(project_id: str, dataset: str | None = None, model: str | None = None, backend: str | None = None, overrides: dict | None = None, root: Path | None = None, study: dict | None = None) -> str:
    """Validate, create a queued run and start it if a worker slot is free. Returns the run id.
    `study` tags the run as one point of a study (core.studies)."""
    params = build_params(project_id, dataset, model, backend, overrides)
    if study is not None:
        params["study"] = study
    config.max_workers()  # A bad DLLAB_WORKERS fails here, before a run folder exists.
    run_id = store.create_run(params, root)
    schedule(root)
    return run_id


def _reap_children() -> None:
    for child in list(_children):
        if child.poll() is not None:
            _children.remove(child)


def _launch_worker(path: Path) -> subprocess.Popen:
    log = open(path / store.LOG_FILE, "ab")
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "core.runs.worker", str(path)],
            cwd=config.REPOSITORY_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Survives the app's restart and its Ctrl-C.
            env={**os.environ, "PYTHONUNBUFFERED": "1", **warm.parent_environment()},
        )
    finally:
        log.close()
    _children.append(child)
    return child


def _fail_dead(run: store.RunSummary) -> str:
    """End a run whose worker is gone: cancelled if a cancel was sent, else failed. Returns the state."""
    tail = store.log_tail(run.path)
    if (run.path / store.CANCEL_REQUEST_FILE).exists():
        # SIGTERM kills a worker still starting up, before it installs its handler.
        store.write_status(run.path, status="cancelled", finished=time.time(), log_tail=tail)
        return "cancelled"
    from core.i18n import t

    store.write_status(run.path, status="failed", finished=time.time(), error=t("run_error_worker_gone"), error_key="run_error_worker_gone", error_values={}, log_tail=tail)
    return "failed"


def reconcile_locked(runs: list[store.RunSummary]) -> list[store.RunSummary]:
    """Mark running runs whose worker is gone as failed; call with the queue lock held. A run
    whose supervisor (core.runs.worker) lives is left to it: it writes the end itself."""
    for run in runs:
        if run.state != "running" or processes.is_alive(run.status.get("supervisor_pid"), run.status.get("supervisor_start")):
            continue
        if not processes.is_alive(run.status.get("pid"), run.status.get("process_start")):
            # The worker may have just written its final status: read again before judging.
            run.status = store.read_status(run.path)
            if run.state == "running":
                _fail_dead(run)
                run.status = store.read_status(run.path)
    return runs


def schedule(root: Path | None = None) -> list[str]:
    """Reconcile dead workers and start queued runs, oldest first, while slots are free."""
    _reap_children()
    started = []
    runs_root = root or config.runs_dir()
    with queue_lock(root):
        runs = reconcile_locked(store.list_active_runs(root))  # Ended runs are not read: the cost stays flat.
        running = sum(1 for run in runs if run.state == "running")
        queued = [run for run in reversed(runs) if run.state == "queued"]
        free = max(0, config.max_workers() - running)
        for run in queued[:free]:
            # A warm worker of the run's framework if one waits (it has paid its import), else a cold start.
            if not warm.claim_locked(run, runs_root):
                child = _launch_worker(run.path)
                # Written under the lock, before the worker (which waits for the lock) writes.
                store.write_status(run.path, status="running", pid=child.pid, process_start=processes.start_time(child.pid), started=time.time(), heartbeat=time.time(), phase="loading_framework")
            started.append(run.id)
        _warm_for_waiting(queued[free:], runs_root)
    return started


def _warm_for_waiting(waiting: list[store.RunSummary], root: Path) -> None:
    """Warm workers for the runs still queued, so each starts warm when a slot frees."""
    if not waiting or config.warm_workers() == 0:
        return
    counts: dict[str, int] = {}
    for run in waiting:
        framework = warm.framework_of(run.backend)
        if framework is not None:
            counts[framework] = counts.get(framework, 0) + 1
    for framework, count in counts.items():
        warm.ensure_locked(root, framework, wanted=count)


@dataclass(frozen=True)
class CancelOutcome:
    """What cancel() did. `state` is the run's status right after (one of store.STATUSES);
    with `stop_requested` the worker was signalled and will end the run `cancelled` soon."""

    state: str
    stop_requested: bool = False


def cancel(run_id: str, root: Path | None = None) -> CancelOutcome:
    """Cancel a queued run at once, or signal a running worker to stop; an ended run is left as it is."""
    run = store.load_run(run_id, root)
    with queue_lock(root):
        status = store.read_status(run.path)
        state = status.get("status")
        if state == "queued":
            store.write_status(run.path, status="cancelled", finished=time.time())
            return CancelOutcome("cancelled")
        if state == "running":
            pid = status.get("pid")
            if processes.is_alive(pid, status.get("process_start")):
                (run.path / store.CANCEL_REQUEST_FILE).touch()
                os.kill(pid, signal.SIGTERM)
                return CancelOutcome("running", stop_requested=True)
            if processes.is_alive(status.get("supervisor_pid"), status.get("supervisor_start")):
                # The trainer is gone and its supervisor is writing the end: the marker makes it cancelled.
                (run.path / store.CANCEL_REQUEST_FILE).touch()
                return CancelOutcome("running", stop_requested=True)
            return CancelOutcome(_fail_dead(run))
    return CancelOutcome(state)


def delete(run_id: str, root: Path | None = None, wait_seconds: float = 10.0) -> None:
    """Delete a run; a running one is cancelled first and given time to stop."""
    run = store.load_run(run_id, root)
    if run.state in store.ACTIVE_STATUSES:
        cancel(run_id, root)
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            status = store.read_status(run.path)
            if status.get("status") not in store.ACTIVE_STATUSES or not processes.is_alive(status.get("pid"), status.get("process_start")):
                break
            time.sleep(0.1)
        else:
            status = store.read_status(run.path)
            if processes.is_alive(status.get("pid"), status.get("process_start")):
                os.kill(status["pid"], signal.SIGKILL)
    store.delete_run(run_id, root)
    schedule(root)
