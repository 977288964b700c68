"""The projection service leaves once its app is gone, even in the middle of a warm-up step
(importing keras or compiling UMAP can take a minute on a busy machine), but never with a
job waiting. A real service process whose warm-up is one slow step; a sleeping process
stands in for the app. (Light imports: tests/test_projector.py holds the jobs and page.)"""
from __future__ import annotations

import subprocess
import sys

import pytest
from core_fixtures import REPOSITORY_ROOT, wait_until

from core import filelock
from core.projector import jobs, service
from core.runs import processes, store

pytestmark = pytest.mark.timeout(300)

# The service as ensure_running starts it (its state names the app as its parent), with one
# warm-up step that sleeps for argv[2] seconds instead of importing frameworks.
SLOW_SERVICE = """
import os, sys, time
from core.projector import server, service
from core.runs import processes
app, step_seconds = int(sys.argv[1]), float(sys.argv[2])
service.write_state(pid=os.getpid(), process_start=processes.start_time(os.getpid()), state="starting", started=time.time(), warm=[],
                    parent_pid=app, parent_start=processes.start_time(app))
def slow_step():
    print("slow step begins", flush=True)
    time.sleep(step_seconds)
server._warm_steps = lambda: [("slow", slow_step)]
sys.exit(server.serve())
"""
# Generous bounds on a hang, far below the slow step: the tests measure no speed.
EXIT_DEADLINE_SECONDS = 60
SLOW_STEP_SECONDS = 600


@pytest.fixture
def app(stand_in_worker):
    """A process that stands in for the app the service serves (conftest's stand-in)."""
    return stand_in_worker


def start_service(app: subprocess.Popen, step_seconds: float) -> subprocess.Popen:
    log = open(service.service_dir() / service.LOG_FILE, "wb")  # noqa: SIM115 (the child keeps it)
    process = subprocess.Popen([sys.executable, "-c", SLOW_SERVICE, str(app.pid), str(step_seconds)], cwd=REPOSITORY_ROOT, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    return process


def log_text() -> str:
    return (service.service_dir() / service.LOG_FILE).read_text()


def kill(process: subprocess.Popen) -> None:
    process.kill()
    process.wait()


def test_the_service_leaves_mid_warm_up_once_its_app_is_gone(artifacts, app):
    service.service_dir().mkdir(parents=True, exist_ok=True)
    server = start_service(app, SLOW_STEP_SECONDS)
    try:
        wait_until(lambda: "slow step begins" in log_text(), "the service's slow warm-up step", timeout=120)
        assert service.is_running() and service.read_state()["state"] != "stopped"
        kill(app)
        server.wait(timeout=EXIT_DEADLINE_SECONDS)  # The step sleeps ten times longer.
        state = service.read_state()
        assert state["state"] == "stopped" and "slow" not in state["warm"], state
        assert "the app that started the service is gone" in log_text()
        life = filelock.try_hold(service.service_dir() / service.LIFE_LOCK_FILE)
        assert life is not None  # Released with the process: a new service can start.
        life.close()
    finally:
        kill(server)


def test_the_service_whose_app_is_gone_still_takes_a_waiting_job_first(artifacts, app):
    service.service_dir().mkdir(parents=True, exist_ok=True)
    server = start_service(app, 3.0)
    try:
        wait_until(lambda: "slow step begins" in log_text(), "the service's slow warm-up step", timeout=120)
        # A job for a run deleted meanwhile: the service takes it and drops it.
        missing_run = artifacts / "runs" / "gone"
        jobs.queue_dir().mkdir(parents=True, exist_ok=True)
        store.write_json_atomically(jobs.queue_dir() / "1-gone-key.json", {"run_path": str(missing_run), "key": "key"})
        kill(app)
        server.wait(timeout=EXIT_DEADLINE_SECONDS)
        assert not jobs.has_jobs()
        log = log_text()
        assert "job dropped" in log and log.index("job dropped") < log.index("is gone: exiting"), log
        assert service.read_state()["state"] == "stopped"
        assert not processes.is_alive(server.pid)
    finally:
        kill(server)
