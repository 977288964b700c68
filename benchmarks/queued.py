"""What the benchmarks share: one run through the real queue and worker, timed."""
from __future__ import annotations

import time


def run_to_the_end(project: str, dataset: str | None, model: str | None, backend: str | None, overrides: dict, poll_seconds: float = 0.2):
    """Submit a run and schedule the queue, as the app does, until the run is final.
    (the finished run, seconds from submit to final); SystemExit with its log otherwise."""
    from core.runs import queue, store

    started = time.perf_counter()
    run_id = queue.submit(project, dataset, model, backend, overrides)
    while True:
        queue.schedule()
        run = store.load_run(run_id)
        if run.state in store.TERMINAL_STATUSES:
            break
        time.sleep(poll_seconds)
    seconds = time.perf_counter() - started
    if run.state != "finished":
        raise SystemExit(f"{project}/{model} run {run_id} ended {run.state}: {run.status.get('error')}\n{store.log_tail(run.path)}")
    return run, seconds
