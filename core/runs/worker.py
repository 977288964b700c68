"""The worker: one process per run, `python -m core.runs.worker RUN_DIR`.

It owns the run folder while it lives: it trains, writes metrics, a heartbeat, the
checkpoint and eval/, then the final status, and starts the next queued run.
"""
from __future__ import annotations

import dataclasses
import os
import resource
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from core import filelock, frameworks, hyperparams
from core.projects import get_project
from core.projects.base import Project
from core.runs import queue, store
from core.runs.reporter import Diverged, Reporter

HEARTBEAT_SECONDS = 1.0


class Cancelled(Exception):
    """SIGTERM arrived: the user cancelled the run."""


@dataclass
class RunContext:
    """What a project's train function gets."""

    path: Path
    params: dict
    project: Project
    parameters: object  # the project's resolved hyperparameter dataclass
    reporter: Reporter
    status_lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    @property
    def eval_dir(self) -> Path:
        path = self.path / store.EVAL_DIR
        path.mkdir(exist_ok=True)
        return path

    def warn(self, message: str) -> None:
        """Something the user must see on the Run page (and in the log), e.g. a fallback taken."""
        print(f"warning: {message}", flush=True)
        with self.status_lock:
            warnings = store.read_status(self.path).get("warnings", [])
            store.write_status(self.path, warnings=[*warnings, message])

    def record_environment(self, device: str, versions: dict) -> None:
        """Fill params.json's device and versions, once, as soon as the framework is up."""
        self.params = {**self.params, "device": device, "versions": versions}
        store.write_json_atomically(self.path / store.PARAMS_FILE, self.params)
        print(f"device: {device}; versions: {versions}", flush=True)


class Heartbeat(threading.Thread):
    def __init__(self, path: Path, reporter: Reporter, lock: threading.Lock):
        super().__init__(daemon=True)
        self.path, self.reporter, self.lock = path, reporter, lock
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(HEARTBEAT_SECONDS):
            with self.lock:
                if not self.stopped.is_set():
                    store.write_status(self.path, heartbeat=time.time(), progress=self.reporter.progress())


def _raise_cancelled(signal_number, frame):
    raise Cancelled()


def run(path: Path) -> int:
    frameworks.single_framework_process = True
    # The scheduler that started us holds the lock until it has written our pid.
    with queue.queue_lock(path.parent):
        pass
    ownership = filelock.try_hold(path / ".worker.lock")  # Kept open: held for the worker's life.
    if ownership is None:
        print(f"another worker owns {path}", flush=True)
        return 3
    status = store.read_status(path)
    if status.get("status") != "running" or status.get("pid") != os.getpid():
        print(f"{path} was not handed to this process (status {status.get('status')}, pid {status.get('pid')})", flush=True)
        return 3

    signal.signal(signal.SIGTERM, _raise_cancelled)
    params = store.read_params(path)
    reporter = Reporter(path, int(params["hyperparameters"].get("epochs", 1)))
    status_lock = threading.Lock()
    heartbeat = Heartbeat(path, reporter, status_lock)
    heartbeat.start()
    final: dict
    try:
        project = get_project(params["project"])
        parameters = hyperparams.resolve(project.parameters, params["hyperparameters"])
        print(f"run {path.name}: {project.id} {params['model']} on {params['dataset']} with {params['backend']}", flush=True)
        print("hyperparameters: " + str(dataclasses.asdict(parameters)), flush=True)
        context = RunContext(path=path, params=params, project=project, parameters=parameters, reporter=reporter, status_lock=status_lock)
        results = project.train(context)
        final = {"status": "finished", "results": results}
        print("finished: " + " ".join(f"{name}={value:.4f}" for name, value in results.items()), flush=True)
    except Cancelled:
        final = {"status": "cancelled"}
        print("cancelled by the user", flush=True)
    except Diverged as error:
        final = {"status": "failed", "error": "diverged", "detail": str(error)}
        print(f"diverged: {error}", flush=True)
    except Exception as error:
        traceback.print_exc()
        sys.stdout.flush()
        final = {"status": "failed", "error": f"{type(error).__name__}: {error}"}
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # Too late to cancel: let the status land.
        heartbeat.stopped.set()
        reporter.close()
    with status_lock:
        if final["status"] == "failed":
            final["log_tail"] = store.log_tail(path)
        # ru_maxrss is in KiB on Linux: the Compare page shows it as peak memory.
        peak_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        store.write_status(path, finished=time.time(), heartbeat=time.time(), progress=reporter.progress(), peak_memory_mb=round(peak_memory_mb, 1), **final)
    ownership.close()
    queue.schedule(path.parent)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m core.runs.worker RUN_DIR", file=sys.stderr)
        return 2
    path = Path(argv[0]).resolve()
    if not path.is_dir():
        print(f"run folder not found: {path}", file=sys.stderr)
        return 2
    return run(path)


if __name__ == "__main__":
    sys.exit(main())
