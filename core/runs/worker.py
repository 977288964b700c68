"""The worker: one run in two processes, `python -m core.runs.worker RUN_DIR`.

The process the queue starts is the run's supervisor. It stays small (no framework), starts
the trainer (`python -m core.runs.worker --train RUN_DIR`), passes a cancel on to it, and
writes the run `failed` at once when the trainer dies without a final status (SIGKILL, the
out-of-memory killer); then it starts the next queued run. The trainer owns the run folder
while it lives: it trains, writes metrics, a heartbeat, the checkpoint and eval/, then the
final status. status.json's pid is the trainer's, so cancel signals the trainer itself.

Imports stay light here, so the supervisor installs its SIGTERM handler within moments of
its start; a cancel before that kills it, which reconcile reads as cancelled.

A warm pair (core.runs.warm: `--warm FRAMEWORK RUNS_ROOT`, and `--train --warm ...` for its
trainer) is the same two processes started before any run: the trainer imports its framework
and waits on its stdin; once schedule() claims the pair for a run, the supervisor hands the
run folder over and supervises it exactly as above.
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
WARM_FLAG = "--warm"
PR_SET_PDEATHSIG = 1  # From linux/prctl.h.
# Set in the trainer's environment: the pid of the supervisor it must not outlive.
SUPERVISOR_VARIABLE = "DLLAB_RUN_SUPERVISOR"

__all__ = ["Cancelled", "RunContext", "main", "run", "run_warm", "supervise", "supervise_warm"]


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

    def phase(self, name: str) -> None:
        """Say which part of the run this is (core.runs.reporter.PHASES): shown on the Run
        page at once, so a start never looks frozen; "training" starts the ETA's clock."""
        self.reporter.set_phase(name)
        with self.status_lock:
            store.write_status(self.path, phase=name)
        print(f"phase: {name}", flush=True)

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
                    store.write_status(self.path, heartbeat=time.time(), progress=self.reporter.progress(), learning=self.reporter.learning_warning(), phase=self.reporter.phase)


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
    from core.runs import queue, warm

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
    framework = warm.framework_of(params.get("backend"))
    # "taken": this trainer has begun the run (a warm pair whose trainer died before is given the run back).
    reporter.set_phase("loading_data" if warm.framework_loaded(framework) else "loading_framework")
    store.write_status(path, taken=time.time(), phase=reporter.phase)
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
        # The framework first (a warm trainer has it already): then loading the data is only that.
        warm.load_framework(framework)
        if reporter.phase != "loading_data":
            reporter.set_phase("loading_data")
            with status_lock:
                store.write_status(path, phase="loading_data")
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


def _start_trainer(arguments: list[str], stdin=subprocess.DEVNULL) -> subprocess.Popen:
    """The trainer's process (`--train ARGUMENTS`), told who its supervisor is; it inherits
    the caller's signal mask (SIGTERM blocked: a cancel waits until the trainer has its handler)."""
    return subprocess.Popen(
        [sys.executable, "-m", "core.runs.worker", TRAIN_FLAG, *arguments],
        cwd=config.REPOSITORY_ROOT,
        stdin=stdin,  # stdout and stderr: the supervisor's, the run's log.
        env={**os.environ, SUPERVISOR_VARIABLE: str(os.getpid())},
    )


def _redirect_output(log_path: Path) -> None:
    """From now on this process' stdout and stderr (the file descriptors, so TensorFlow's own
    messages too) append to `log_path`: a warm process writes the log of the run it took."""
    sys.stdout.flush()
    sys.stderr.flush()
    descriptor = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(descriptor, 1)
    os.dup2(descriptor, 2)
    os.close(descriptor)


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
    or failed, with the log's tail. A run a warm trainer never began (it died while idle, as
    the run was handed to it) goes back to the queue, once."""
    from core.runs import queue

    try:
        with queue.queue_lock(path.parent):
            status = store.read_status(path)
            if status.get("status") != "running" or status.get("pid") not in pids:
                return  # The trainer wrote its end, or reconcile did.
            if status.get("warm") and "taken" not in status and not status.get("requeued") and not (_cancel_received or cancel_requested(path)):
                print(f"the warm worker died ({_death_of(returncode)['error']}) before it began this run: queued again", flush=True)
                store.write_status(path, status="queued", pid=None, process_start=None, supervisor_pid=None, supervisor_start=None, phase=None, warm=None, requeued=True)
                return
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
                _trainer = _start_trainer([str(path)])
                pids += (_trainer.pid,)
                store.write_status(path, pid=_trainer.pid, process_start=processes.start_time(_trainer.pid), supervisor_pid=os.getpid(), supervisor_start=processes.start_time(os.getpid()))
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # A cancel that came meanwhile is passed on now.
        returncode = _trainer.wait()
    _write_end_if_missing(path, pids, returncode)
    ownership.close()
    _after_run(path)
    return 0


def _after_run(path: Path) -> None:
    """Start the next queued run, then a warm worker for the run after this one (now, not
    while it trained: on two cores a framework import beside a run slows the run down)."""
    from core.runs import queue, warm

    queue.schedule(path.parent)
    try:
        warm.ensure(warm.framework_of(store.read_params(path).get("backend")), path.parent)
    except (OSError, ValueError, store.RunNotFound) as error:
        print(f"no warm worker started: {error}", flush=True)


# A warm supervisor: idle until claimed, then the supervisor of one run.
_serving_run = False
_leave_requested = False


def _on_warm_signal(signal_number, frame):
    """SIGTERM to an idle warm supervisor asks it to leave; once it serves a run, it is a cancel."""
    global _leave_requested
    if _serving_run:
        _pass_cancel_on(signal_number, frame)
    else:
        _leave_requested = True


def _stop_trainer(trainer: subprocess.Popen, ready: bool, wait_seconds: float = 5.0) -> None:
    """An idle warm trainer leaves when its stdin closes; one still importing its framework
    reads stdin only after (up to a minute on a busy machine): killed at once, it holds no run."""
    try:
        trainer.stdin.close()
    except OSError:
        pass
    try:
        trainer.wait(timeout=wait_seconds if ready else 0)
    except subprocess.TimeoutExpired:
        trainer.kill()
        trainer.wait()


def _wait_for_claim(framework: str, root: Path, trainer: subprocess.Popen) -> tuple[Path | None, bool]:
    """Poll for the claim file until a run comes (its folder) or a reason to leave (None,
    the pair's registry entry removed under the queue lock); and whether the trainer had
    said it was ready. The supervisor imports no framework, so it polls on while its trainer
    imports: a pair whose app is gone leaves mid-import too."""
    from core.runs import queue, warm

    pid = os.getpid()
    idle_limit = config.warm_idle_seconds()
    began = time.monotonic()
    polls = 0
    while True:
        claim = warm.read_claim(root, pid)
        if claim is not None:
            return claim, True
        reason = None
        if trainer.poll() is not None:
            reason = f"its trainer ended ({_death_of(trainer.returncode)['error']})"
        elif _leave_requested:
            reason = "asked to leave"
        elif not root.is_dir():
            print(f"warm {framework} worker {pid}: the runs folder is gone: leaving", flush=True)
            return None, False  # A test's temporary folder: nothing to lock or clean.
        elif time.monotonic() - began > idle_limit:
            reason = f"idle for {idle_limit:g} s"
        elif polls % 10 == 0:  # Twice a second: is the app it serves still there?
            entry = warm.read_entry(root, pid)
            if entry is not None and not warm.parent_alive(entry):
                reason = "the app it served is gone"
        polls += 1
        if reason is not None:
            entry = {}
            with queue.queue_lock(root):
                claim = warm.read_claim(root, pid)  # A claim that came meanwhile wins.
                if claim is None:
                    entry = warm.read_entry(root, pid) or {}
                    warm.remove_entry(root, pid)
                    if trainer.poll() is not None and entry.get("ready") is None and trainer.returncode > 0:
                        warm.mark_broken(root, framework)  # Its import failed: say so, do not respawn at once.
            if claim is not None:
                return claim, True
            ready = entry.get("ready") is not None
            print(f"warm {framework} worker {pid}: {reason}{'' if ready else ' (its trainer was still importing)'}: leaving", flush=True)
            return None, ready
        time.sleep(warm.POLL_SECONDS)


def supervise_warm(framework: str, root: Path) -> int:
    """A warm pair's supervisor: start a trainer that imports `framework` and waits; hand it
    the run schedule() claims for the pair, then supervise that run as supervise() does."""
    global _trainer, _serving_run
    from core.runs import queue, warm

    pid = os.getpid()
    with queue.queue_lock(root):
        pass  # The launcher writes our registry entry under the lock.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        trainer = _start_trainer([WARM_FLAG, framework, str(root)], stdin=subprocess.PIPE)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    with queue.queue_lock(root):
        if warm.read_entry(root, pid) is not None:
            warm.write_entry(root, pid, trainer_pid=trainer.pid, trainer_start=processes.start_time(trainer.pid))
    path, ready = _wait_for_claim(framework, root, trainer)
    warm_log = warm.warm_dir(root) / f"{pid}.log"
    if path is None:
        _stop_trainer(trainer, ready)
        warm_log.unlink(missing_ok=True)
        return 0
    _serving_run = True
    _trainer = trainer
    _redirect_output(path / store.LOG_FILE)
    try:  # What the pair said while it warmed (its import time) belongs to the run's story.
        print(warm_log.read_text().rstrip(), flush=True)
        warm_log.unlink()
    except OSError:
        pass
    ownership = filelock.try_hold(path / ".worker.lock")  # Kept open: held for the run's life.
    status = store.read_status(path)
    handed = ownership is not None and status.get("status") == "running" and status.get("supervisor_pid") == pid and status.get("pid") == trainer.pid
    if not handed:
        print(f"{path} was not handed to this process (status {status.get('status')}, supervisor {status.get('supervisor_pid')})", flush=True)
    try:
        if handed:
            trainer.stdin.write(f"{path}\n".encode())
            trainer.stdin.flush()
        trainer.stdin.close()  # Not handed: end of input, the trainer leaves.
    except OSError:
        pass  # The trainer is gone: its end is written below.
    returncode = trainer.wait()
    if handed:
        _write_end_if_missing(path, (pid, trainer.pid), returncode)
    with queue.queue_lock(root):
        warm.remove_entry(root, pid)
    if ownership is not None:
        ownership.close()
    _after_run(path)
    return 0


def run_warm(framework: str, root: Path) -> int:
    """A warm trainer: import `framework` and what runs need, say it is ready, wait on stdin
    for a run folder, then train it as run() does. End of input: leave."""
    # Held from the start as a cold trainer's is: a cancel sent as the run is handed over
    # waits for run()'s handler. An idle trainer is stopped by closing its stdin instead.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    from core import frameworks
    from core.runs import queue, warm

    frameworks.single_framework_process = True
    supervisor = os.environ.pop(SUPERVISOR_VARIABLE, "")
    if supervisor and not _die_with_supervisor(int(supervisor)):
        print(f"the warm supervisor {supervisor} is gone", flush=True)
        return 3
    began = time.monotonic()
    try:
        warm.preload(framework)
    except Exception:
        traceback.print_exc()
        return 1
    with queue.queue_lock(root):
        if supervisor and warm.read_entry(root, int(supervisor)) is not None:
            warm.write_entry(root, int(supervisor), ready=time.time())
    print(f"warm: {framework} loaded in {time.monotonic() - began:.1f} s by trainer {os.getpid()}", flush=True)
    line = sys.stdin.readline().strip()
    if not line:
        return 0
    path = Path(line)
    _redirect_output(path / store.LOG_FILE)
    return run(path)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    training = bool(argv) and argv[0] == TRAIN_FLAG
    arguments = argv[1:] if training else argv
    warming = bool(arguments) and arguments[0] == WARM_FLAG
    if not training:
        # First: the next thing may take a while.
        signal.signal(signal.SIGTERM, _on_warm_signal if warming else _pass_cancel_on)
    if warming:
        if len(arguments) != 3 or arguments[1] not in _warm_frameworks():
            print(f"usage: python -m core.runs.worker [--train] --warm {{{','.join(_warm_frameworks())}}} RUNS_ROOT", file=sys.stderr)
            return 2
        root = Path(arguments[2]).resolve()
        return run_warm(arguments[1], root) if training else supervise_warm(arguments[1], root)
    if len(arguments) != 1:
        print("usage: python -m core.runs.worker [--train] RUN_DIR", file=sys.stderr)
        return 2
    path = Path(arguments[0]).resolve()
    if not path.is_dir():
        print(f"run folder not found: {path}", file=sys.stderr)
        return 2
    return run(path) if training else supervise(path)


def _warm_frameworks() -> tuple[str, ...]:
    from core.runs import warm

    return tuple(warm.FRAMEWORKS)


if __name__ == "__main__":
    sys.exit(main())
