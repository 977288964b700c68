"""The worker: one run in two processes, `python -m core.runs.worker RUN_DIR`.

The process the queue starts is the run's supervisor. It stays small (no framework), starts
the trainer (`python -m core.runs.worker --train RUN_DIR`), passes a cancel on to it, and
writes the run `failed` at once when the trainer dies without a final status (SIGKILL, the
out-of-memory killer); then it starts the next queued run. The trainer owns the run folder
while it lives: it trains, writes metrics, a heartbeat, the checkpoint and eval/, then the
final status. status.json's pid is the trainer's, so cancel signals the trainer itself.

Imports stay light here, so the supervisor installs its SIGTERM handler within moments of
its start; a cancel before that kills it, which reconcile reads as cancelled.
"""
from __future__ import annotations

import dataclasses
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core import config, filelock
from core.i18n import TranslatableError
from core.runs import processes, store
from core.runs.reporter import Cancelled, Diverged, Reporter

if TYPE_CHECKING:
    from core.projects.base import Project

HEARTBEAT_SECONDS = 1.0
TRAIN_FLAG = "--train"
PR_SET_PDEATHSIG = 1  # From linux/prctl.h.
# Set in the trainer's environment: the pid of the supervisor it must not outlive.
SUPERVISOR_VARIABLE = "DLLAB_RUN_SUPERVISOR"

__all__ = ["Cancelled", "RunContext", "main", "run", "supervise"]


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
                    store.write_status(self.path, heartbeat=time.time(), progress=self.reporter.progress(), learning=self.reporter.learning_warning())


def _raise_cancelled(signal_number, frame):
    raise Cancelled()


def cancel_requested(path: Path) -> bool:
    """queue.cancel touches this marker before it signals: a signal that came too early to
    be handled (or was lost) still cancels."""
    return (path / store.CANCEL_REQUEST_FILE).exists()


def run(path: Path) -> int:
    """The trainer: train the run handed to this process (status running, our pid) and write
    its final status."""
    # Until the handler is in place and the try below has begun, a cancel waits (blocked).
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGTERM, _raise_cancelled)
    from core import frameworks, hyperparams
    from core.projects import get_project
    from core.runs import queue

    frameworks.single_framework_process = True
    supervisor = os.environ.pop(SUPERVISOR_VARIABLE, "")
    if supervisor and not _die_with_supervisor(int(supervisor)):
        print(f"the supervisor {supervisor} of {path.name} is gone", flush=True)
        return 3
    # The supervisor that started us holds the lock until it has written our pid.
    with queue.queue_lock(path.parent):
        pass
    status = store.read_status(path)
    if status.get("status") != "running" or status.get("pid") != os.getpid():
        print(f"{path} was not handed to this process (status {status.get('status')}, pid {status.get('pid')})", flush=True)
        return 3

    params = store.read_params(path)
    reporter = Reporter(path, int(params["hyperparameters"].get("epochs", 1)))
    status_lock = threading.Lock()
    heartbeat = Heartbeat(path, reporter, status_lock)
    heartbeat.start()
    final: dict
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # A cancel sent while we started lands here.
        if cancel_requested(path):
            raise Cancelled()
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
        final = {"status": "failed", "error": "diverged", "detail": str(error), "error_key": "run_error_diverged", "error_values": {"detail": str(error)}}
        print(f"diverged: {error}", flush=True)
    except TranslatableError as error:  # Bad input the run met (a folder, an image): one sentence, no trace.
        print(f"failed: {error}", flush=True)
        final = {"status": "failed", "error": str(error), "error_key": error.key, "error_values": _stored_values(error.values), "bad_input": True}
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
        store.write_status(path, finished=time.time(), heartbeat=time.time(), progress=reporter.progress(), peak_memory_mb=round(peak_memory_mb, 1), learning=reporter.learning_warning(), **final)
    return 0


# The supervisor's trainer, and whether a cancel came before it existed (for the handler).
_trainer: subprocess.Popen | None = None
_cancel_received = False


def _pass_cancel_on(signal_number, frame):
    global _cancel_received
    _cancel_received = True
    if _trainer is not None:
        try:
            _trainer.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass


def _start_trainer(path: Path) -> subprocess.Popen:
    """The trainer's process, told who its supervisor is; it inherits the caller's signal
    mask (SIGTERM blocked: a cancel waits until the trainer has its handler)."""
    return subprocess.Popen(
        [sys.executable, "-m", "core.runs.worker", TRAIN_FLAG, str(path)],
        cwd=config.REPOSITORY_ROOT,
        stdin=subprocess.DEVNULL,  # stdout and stderr: the supervisor's, the run's log.
        env={**os.environ, SUPERVISOR_VARIABLE: str(os.getpid())},
    )


def _die_with_supervisor(supervisor_pid: int) -> bool:
    """Ask Linux to kill this process when its supervisor dies, so no trainer trains on
    unwatched; False when the supervisor is gone already."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # Not Linux: a killed supervisor leaves the trainer to finish on its own.
    return os.getppid() == supervisor_pid


def _stored_values(values: dict) -> dict:
    """An error's values as status.json can hold them (a path or a number as its text)."""
    return {name: value if isinstance(value, (str, int, float, bool)) or value is None else str(value) for name, value in values.items()}


def _death_of(returncode: int | None) -> dict:
    """The failed status of a trainer that ended without writing its own."""
    from core.i18n import t

    if returncode is not None and returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        key, values = "run_error_killed", {"signal": name}
    else:
        key, values = "run_error_exited", {"code": returncode}
    return {"status": "failed", "error": t(key, **values), "error_key": key, "error_values": values}


def _write_end_if_missing(path: Path, pids: tuple[int, ...], returncode: int | None) -> None:
    """After the trainer exited: a run it left `running` ends cancelled (a cancel was sent)
    or failed, with the log's tail."""
    from core.runs import queue

    try:
        with queue.queue_lock(path.parent):
            status = store.read_status(path)
            if status.get("status") != "running" or status.get("pid") not in pids:
                return  # The trainer wrote its end, or reconcile did.
            if _cancel_received or cancel_requested(path):
                final = {"status": "cancelled"}
                print("cancelled by the user", flush=True)
            else:
                final = _death_of(returncode)
                print(f"failed: {final['error']}", flush=True)
            store.write_status(path, finished=time.time(), log_tail=store.log_tail(path), **final)
    except (FileNotFoundError, store.RunNotFound):
        pass  # The run was deleted meanwhile.


def supervise(path: Path) -> int:
    """The run's first process: start the trainer, wait for it, make sure the run ends with
    a terminal status, then start the next queued run."""
    global _trainer
    from core.runs import queue

    # The scheduler that started us holds the lock until it has written our pid.
    with queue.queue_lock(path.parent):
        pass
    ownership = filelock.try_hold(path / ".worker.lock")  # Kept open: held for the run's life.
    if ownership is None:
        print(f"another worker owns {path}", flush=True)
        return 3
    status = store.read_status(path)
    if status.get("status") != "running" or status.get("pid") != os.getpid():
        print(f"{path} was not handed to this process (status {status.get('status')}, pid {status.get('pid')})", flush=True)
        return 3
    pids: tuple[int, ...] = (os.getpid(),)
    returncode = None
    if not (_cancel_received or cancel_requested(path)):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            with queue.queue_lock(path.parent):
                # Under the lock, so cancel() reads either our pid (and we pass it on) or the trainer's.
                _trainer = _start_trainer(path)
                pids += (_trainer.pid,)
                store.write_status(path, pid=_trainer.pid, process_start=processes.start_time(_trainer.pid), supervisor_pid=os.getpid(), supervisor_start=processes.start_time(os.getpid()))
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # A cancel that came meanwhile is passed on now.
        returncode = _trainer.wait()
    _write_end_if_missing(path, pids, returncode)
    ownership.close()
    queue.schedule(path.parent)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    training = bool(argv) and argv[0] == TRAIN_FLAG
    if not training:
        signal.signal(signal.SIGTERM, _pass_cancel_on)  # First: the next thing may take a while.
    arguments = argv[1:] if training else argv
    if len(arguments) != 1:
        print("usage: python -m core.runs.worker [--train] RUN_DIR", file=sys.stderr)
        return 2
    path = Path(arguments[0]).resolve()
    if not path.is_dir():
        print(f"run folder not found: {path}", file=sys.stderr)
        return 2
    return run(path) if training else supervise(path)


if __name__ == "__main__":
    sys.exit(main())
