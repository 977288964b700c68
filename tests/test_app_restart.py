"""A run outlives the process that launched it (the app, restarted) and is shown live again."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.runs import processes, queue, store

PAGES = Path(__file__).resolve().parent.parent / "pages"


def _wait_for(predicate, seconds: float = 180.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_run_survives_its_launcher_and_is_shown_live(tmp_path, monkeypatch):
    monkeypatch.setenv("DLLAB_ARTIFACTS", str(tmp_path))
    # The launcher stands in for the app: it submits, then is killed like a stopped server.
    launcher = subprocess.Popen(
        [sys.executable, "-c", "import time\nfrom core.runs import queue\nprint(queue.submit('digits', 'digits', 'cnn', 'torch', {'epochs': 200}), flush=True)\ntime.sleep(600)"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "DLLAB_ARTIFACTS": str(tmp_path)},
    )
    run_id = launcher.stdout.readline().strip()
    path = tmp_path / "runs" / run_id
    try:
        _wait_for(lambda: (store.read_status(path).get("progress") or {}).get("fraction", 0) > 0)
        launcher.send_signal(signal.SIGKILL)
        launcher.wait()

        status = store.read_status(path)
        assert status["status"] == "running"
        assert processes.is_alive(status["pid"], status["process_start"])

        # A new app process: the Run page finds the run running and follows its progress.
        app = AppTest.from_file(str(PAGES / "run.py"), default_timeout=120)
        app.session_state["selected_run"] = run_id
        app.run()
        assert not app.exception
        first_percent = app.get("progress")[0].value  # st.progress keeps whole percents.
        _wait_for(lambda: (store.read_status(path).get("progress") or {}).get("fraction", 0) * 100 >= first_percent + 2)
        app.run()
        assert app.get("progress")[0].value > first_percent

        assert queue.cancel(run_id).stop_requested
        _wait_for(lambda: store.read_status(path)["status"] == "cancelled", 60)
    finally:
        launcher.kill()
        if store.read_status(path)["status"] in store.ACTIVE_STATUSES:
            queue.cancel(run_id)  # Leave no worker behind when an assertion failed.
