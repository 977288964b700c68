"""How fast the run list is with 1,000 finished runs.

Generates --runs finished run folders (default 1,000) in a temporary DLLAB_ARTIFACTS, each
with params.json, status.json (results test_accuracy and test_loss, as the worker writes
them) and --metric-lines lines of metrics.jsonl (default 200, the reporter's format).
Then times, each the median of --repeats calls:

1. core.runs.store.list_runs() against the 0.3 s target, and against a baseline that
   reads the same files (every params.json and status.json) with plain json.load;
2. core.runs.queue.schedule(), which lists and reconciles under the queue lock (the app
   calls it every few seconds from every page);
3. rendering the Runs page, streamlit.testing.v1.AppTest.from_file('pages/runs.py'):
   the second at.run() (the first warms imports) against the 1 s target;
4. optionally MLflow's search_runs on a sqlite store holding the same runs and metrics
   (log_batch), when mlflow imports in this interpreter or in the one given by
   --mlflow-python (a throwaway venv: mlflow is not a dependency of dllab).

    .venv/bin/python benchmarks/run_list.py [--runs 1000] [--metric-lines 200] [--mlflow-python /tmp/mlflow-venv/bin/python]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
LIST_TARGET_SECONDS = 0.3
RENDER_TARGET_SECONDS = 1.0
RUNS_PAGE = REPOSITORY_ROOT / "pages" / "runs.py"


def median_seconds(function, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def metric_records(line_count: int, epochs: int, started: float, rng: random.Random) -> list[dict]:
    """Lines in the order core.runs.reporter.Reporter writes them, ending with the test lines."""
    records, step, now = [], 0, started
    loss, accuracy = 2.3, 0.1
    epoch = 0
    while len(records) < line_count - 2:
        # Two running batch writes, then the epoch's train, validation and time lines.
        for fraction in (0.4, 0.8):
            step += 10
            now += 0.25
            loss, accuracy = loss * 0.97, min(0.999, accuracy + 0.02)
            for name, value in (("loss", loss), ("accuracy", accuracy)):
                records.append({"step": step, "epoch": epoch + fraction, "split": "train", "name": name, "value": value, "time": now, "scope": "batch"})
        epoch += 1
        for split in ("train", "validation"):
            for name, value in (("loss", loss * rng.uniform(0.9, 1.1)), ("accuracy", accuracy * rng.uniform(0.97, 1.0))):
                records.append({"step": step, "epoch": epoch, "split": split, "name": name, "value": value, "time": now, "scope": "epoch"})
        records.append({"step": step, "epoch": epoch, "split": "time", "name": "elapsed", "value": now - started, "time": now, "scope": "epoch"})
    records = records[: line_count - 2]
    test_accuracy, test_loss = rng.uniform(0.9, 0.99), rng.uniform(0.03, 0.3)
    for name, value in (("accuracy", test_accuracy), ("loss", test_loss)):
        records.append({"step": step, "epoch": epochs, "split": "test", "name": name, "value": value, "time": now, "scope": "epoch"})
    return records


def generate_runs(count: int, line_count: int) -> list[dict]:
    """Write `count` finished runs into config.runs_dir(); return what MLflow needs to mirror them."""
    from core import config
    from core.runs import queue, store

    root = config.runs_dir()
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    base_time = time.time() - count * 60
    mirrored = []
    for index in range(count):
        backend, model = rng.choice((("keras", "cnn"), ("keras", "mlp"), ("torch", "cnn")))
        epochs = rng.choice((10, 20, 30))
        params = queue.build_params("digits", "digits", model, backend, {"epochs": epochs, "seed": index % 5})
        created = base_time + index * 60
        run_id = time.strftime("%Y%m%d-%H%M%S", time.localtime(created)) + f"-{index:06x}"
        params.update(run_id=run_id, created=created, device="CPU", versions={"tensorflow": "2.21.0", "keras": "3.15.1"} if backend == "keras" else {"torch": "2.14.1"})
        path = root / run_id
        path.mkdir()
        store.write_json_atomically(path / store.PARAMS_FILE, params)
        records = metric_records(line_count, epochs, created + 1, rng)
        (path / store.METRICS_FILE).write_text("".join(json.dumps(record) + "\n" for record in records))
        finished = records[-1]["time"]
        results = {"test_" + record["name"]: record["value"] for record in records if record["split"] == "test"}
        status = {
            "status": "finished",
            "created": created,
            "pid": 100000 + index,
            "process_start": 1000 + index,
            "started": created + 0.5,
            "heartbeat": finished,
            "progress": {"epoch": epochs, "epochs": epochs, "fraction": 1.0, "elapsed": finished - created, "eta": 0.0},
            "finished": finished,
            "results": results,
        }
        store.write_json_atomically(path / store.STATUS_FILE, status)
        (path / store.LOG_FILE).write_text(f"run {run_id}\nfinished\n")
        mirrored.append({"run_id": run_id, "params": params, "status": status, "metrics": records})
    return mirrored


def baseline_read(root: Path) -> list[tuple[dict, dict]]:
    """The same files list_runs reads, with plain json.load and nothing else."""
    rows = []
    for name in os.listdir(root):
        if name.startswith("."):
            continue
        with open(os.path.join(root, name, "params.json")) as stream:
            params = json.load(stream)
        with open(os.path.join(root, name, "status.json")) as stream:
            status = json.load(stream)
        rows.append((params, status))
    return rows


def time_runs_page(repeats: int, run_count: int) -> None:
    if not RUNS_PAGE.exists():
        print("pages/runs.py not present: skipped")
        return
    import logging

    from streamlit.testing.v1 import AppTest

    # Streamlit warns once about a missing script context when the page's helpers load.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    # Absolute path: AppTest resolves a relative one against this file's folder.
    app = AppTest.from_file(str(RUNS_PAGE), default_timeout=120)
    start = time.perf_counter()
    app.run()
    first = time.perf_counter() - start
    if app.exception:
        print(f"Runs page raised on the first render: {[item.value for item in app.exception]}")
        return
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        app.run()
        timings.append(time.perf_counter() - start)
    if app.exception:
        print(f"Runs page raised on a later render: {[item.value for item in app.exception]}")
        return
    # Check the page did list the runs, so a fast render is not a page that showed nothing.
    shown = [len(frame.value) for frame in app.dataframe]
    if run_count not in shown:
        print(f"note: the Runs page's tables have {shown} rows, not {run_count}")
    second, median = timings[0], statistics.median(timings)
    verdict = "PASS" if second <= RENDER_TARGET_SECONDS else "FAIL"
    print(f"Runs page render (AppTest): first {first:.3f} s (imports), second {second:.3f} s, median of {len(timings)} later renders {median:.3f} s; "
          f"second/target = {second / RENDER_TARGET_SECONDS:.2f} (target <= {RENDER_TARGET_SECONDS} s): {verdict}")


# Runs in whichever interpreter has mlflow. Reads the runs as JSON on stdin, prints timings as JSON.
MLFLOW_SCRIPT = r"""
import json, os, statistics, sys, tempfile, time, logging
logging.getLogger("mlflow").setLevel(logging.ERROR)
import mlflow
from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient
runs = json.load(sys.stdin)
repeats = int(sys.argv[1])
folder = tempfile.mkdtemp(prefix="dllab-mlflow-")
uri = "sqlite:///" + os.path.join(folder, "mlflow.db")
mlflow.set_tracking_uri(uri)
client = MlflowClient(uri)
experiment_id = client.create_experiment("run_list", artifact_location="file://" + os.path.join(folder, "artifacts"))
start = time.perf_counter()
for run in runs:
    created = run["params"]["created"]
    created_run = client.create_run(experiment_id, start_time=int(created * 1000), run_name=run["run_id"])
    params = [Param(key, str(value)) for key, value in run["params"].items() if key not in ("hyperparameters", "versions")]
    params += [Param("hp_" + key, str(value)) for key, value in run["params"]["hyperparameters"].items()]
    metrics = [Metric(record["split"] + "_" + record["name"], record["value"], int(record["time"] * 1000), index) for index, record in enumerate(run["metrics"])]
    client.log_batch(created_run.info.run_id, metrics=metrics, params=params, tags=[RunTag("status", run["status"]["status"])])
    client.set_terminated(created_run.info.run_id, "FINISHED", end_time=int(run["status"]["finished"] * 1000))
logged = time.perf_counter() - start
def timed(function):
    timings = []
    for _ in range(repeats):
        begin = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - begin)
    return statistics.median(timings), result
frame_seconds, frame = timed(lambda: mlflow.search_runs(experiment_ids=[experiment_id]))
def all_pages():
    found, token = [], None
    while True:
        page = client.search_runs([experiment_id], max_results=1000, page_token=token)
        found += page
        token = page.token
        if not token:
            return found
client_seconds, found = timed(all_pages)
history_seconds, history = timed(lambda: client.get_metric_history(found[0].info.run_id, "validation_accuracy"))
import shutil
shutil.rmtree(folder, ignore_errors=True)
print(json.dumps({"version": mlflow.__version__, "log_seconds": logged, "search_runs_dataframe": frame_seconds, "rows": len(frame),
                  "client_search_runs": client_seconds, "client_rows": len(found), "metric_history_one_run": history_seconds}))
"""


def find_mlflow_python(given: str | None) -> str | None:
    try:
        import mlflow  # noqa: F401  (optional: only to know whether this interpreter has it)

        return sys.executable
    except ImportError:
        pass
    candidate = given or os.environ.get("DLLAB_MLFLOW_PYTHON")
    if candidate and Path(candidate).exists():
        return candidate
    return None


def compare_mlflow(python: str | None, mirrored: list[dict], list_seconds: float, repeats: int) -> None:
    if python is None:
        print("MLflow: not importable here and no --mlflow-python given: skipped")
        return
    start = time.perf_counter()
    completed = subprocess.run([python, "-c", MLFLOW_SCRIPT, str(repeats)], input=json.dumps(mirrored), capture_output=True, text=True)
    if completed.returncode != 0:
        print(f"MLflow comparison failed: skipped ({completed.stderr.strip().splitlines()[-1:]})")
        return
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    print(f"MLflow {result['version']} (sqlite, log_batch): logging {len(mirrored)} runs took {result['log_seconds']:.1f} s "
          f"(whole comparison {time.perf_counter() - start:.1f} s)")
    print(f"  mlflow.search_runs (DataFrame, {result['rows']} rows): {result['search_runs_dataframe']:.3f} s; "
          f"list_runs/search_runs = {list_seconds / result['search_runs_dataframe']:.3f}")
    print(f"  MlflowClient.search_runs (all pages, {result['client_rows']} runs): {result['client_search_runs']:.3f} s; "
          f"list_runs/client.search_runs = {list_seconds / result['client_search_runs']:.3f}")
    print(f"  MlflowClient.get_metric_history, one run, one metric: {result['metric_history_one_run'] * 1000:.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--metric-lines", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=7, help="timed calls per figure; the median is printed")
    parser.add_argument("--mlflow-python", help="an interpreter that has mlflow (e.g. /tmp/mlflow-venv/bin/python)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary artifacts folder")
    arguments = parser.parse_args(argv)

    artifacts = Path(tempfile.mkdtemp(prefix="dllab-run-list-"))
    os.environ["DLLAB_ARTIFACTS"] = str(artifacts)
    # Pages import `app.ui` and `core`; .streamlit/config.toml is read from the working directory.
    sys.path.insert(0, str(REPOSITORY_ROOT))
    os.chdir(REPOSITORY_ROOT)
    from core import config
    from core.runs import queue, store

    try:
        start = time.perf_counter()
        mirrored = generate_runs(arguments.runs, arguments.metric_lines)
        print(f"generated {arguments.runs} finished runs x {arguments.metric_lines} metric lines in {time.perf_counter() - start:.1f} s ({artifacts})")
        root = config.runs_dir()
        runs = store.list_runs()
        if len(runs) != arguments.runs or any(run.state != "finished" or run.test_accuracy is None for run in runs):
            raise RuntimeError(f"list_runs saw {len(runs)} runs, not {arguments.runs} finished ones with results")

        list_seconds = median_seconds(store.list_runs, arguments.repeats)
        baseline_seconds = median_seconds(lambda: baseline_read(root), arguments.repeats)
        verdict = "PASS" if list_seconds <= LIST_TARGET_SECONDS else "FAIL"
        print(f"list_runs(): {list_seconds:.3f} s (median of {arguments.repeats}); list_runs/target = {list_seconds / LIST_TARGET_SECONDS:.2f} "
              f"(target <= {LIST_TARGET_SECONDS} s): {verdict}")
        print(f"baseline (os.listdir + json.load of params.json and status.json): {baseline_seconds:.3f} s; list_runs/baseline = {list_seconds / baseline_seconds:.2f}")
        schedule_seconds = median_seconds(queue.schedule, arguments.repeats)
        print(f"queue.schedule() (lock, list, reconcile): {schedule_seconds:.3f} s; schedule/list_runs = {schedule_seconds / list_seconds:.2f}")
        metrics_seconds = median_seconds(lambda: [store.read_metrics(run.path) for run in runs], max(1, arguments.repeats // 2))
        print(f"for the record, read_metrics() of every run ({arguments.runs * arguments.metric_lines:,} lines): {metrics_seconds:.3f} s "
              f"(a page must not do this per render); one run: {metrics_seconds / arguments.runs * 1000:.2f} ms")

        time_runs_page(max(3, arguments.repeats // 2), arguments.runs)
        compare_mlflow(find_mlflow_python(arguments.mlflow_python), mirrored, list_seconds, max(3, arguments.repeats // 2))
    finally:
        if arguments.keep:
            print(f"artifacts kept in {artifacts}")
        else:
            shutil.rmtree(artifacts, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
