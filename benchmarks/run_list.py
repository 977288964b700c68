"""How fast the run list is at 1,000 and 10,000 runs, through the run index.

For each --runs count (default 1000,10000) generates that many finished run folders in a
temporary DLLAB_ARTIFACTS, each with params.json, status.json (results test_accuracy and
test_loss, as the worker writes them) and --metric-lines lines of metrics.jsonl (default
50, the reporter's format), written straight to the folders: the index knows none of them.
Then prints, each against its target as a ratio (<= 1 passes):

1. the first store.list_runs() with no index: the rebuild from the folders, in a fresh process;
2. the first list_runs() of a fresh process with the index in place (a command line's);
3. list_runs() in a process that has listed before (the app's), median of --repeats,
   against 0.05 s at 1,000 runs and 0.3 s at 10,000, and against reading every folder
   (store.scan_runs, what list_runs did before the index);
4. core.runs.queue.schedule() (lock, active runs only, reconcile) against 0.05 s;
5. rendering the Runs page, streamlit.testing.v1.AppTest.from_file('pages/runs.py'): the
   median of later renders (the first warms imports) against 1 s;
6. optionally MLflow's search_runs on a sqlite store holding the same runs and metrics
   (log_batch), when mlflow imports in this interpreter or in the one given by
   --mlflow-python (a throwaway venv: mlflow is not a dependency of dllab).

    .venv/bin/python benchmarks/run_list.py [--runs 1000,10000] [--metric-lines 50] [--mlflow-python /tmp/mlflow-venv/bin/python]
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
# The targets: listing 0.05 s at 1,000 runs and 0.3 s at 10,000; schedule and a render flat.
LIST_TARGETS_SECONDS = {1000: 0.05, 10000: 0.3}
SCHEDULE_TARGET_SECONDS = 0.05
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


def verdict(seconds: float, target: float) -> str:
    ratio = seconds / target
    return f"{seconds:.3f} s; /target {target:g} s = {ratio:.2f}: {'PASS' if ratio <= 1 else 'FAIL'}"


def list_target(run_count: int) -> float:
    """The listing target at this many runs: 0.05 s up to 1,000 runs, 0.3 s beyond."""
    return LIST_TARGETS_SECONDS[1000] if run_count <= 1000 else LIST_TARGETS_SECONDS[10000]


# Times one list_runs() in a fresh interpreter (imports excluded): the cost a new process pays.
FIRST_LISTING_SCRIPT = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from core.runs import store
start = time.perf_counter()
runs = store.list_runs()
print(time.perf_counter() - start, len(runs))
"""


def first_listing_seconds(expected: int) -> float:
    completed = subprocess.run([sys.executable, "-c", FIRST_LISTING_SCRIPT, str(REPOSITORY_ROOT)], capture_output=True, text=True, env=os.environ, check=True)
    seconds, count = completed.stdout.split()
    if int(count) != expected:
        raise RuntimeError(f"a fresh process listed {count} runs, not {expected}")
    return float(seconds)


def time_runs_page(repeats: int, run_count: int) -> float | None:
    """The median of later renders of the Runs page under AppTest; None when it cannot render."""
    import logging

    from streamlit.testing.v1 import AppTest

    # Streamlit warns once about a missing script context when the page's helpers load.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    # Absolute path: AppTest resolves a relative one against this file's folder.
    app = AppTest.from_file(str(RUNS_PAGE), default_timeout=120)
    start = time.perf_counter()
    app.run()
    first = time.perf_counter() - start
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        app.run()
        timings.append(time.perf_counter() - start)
    if app.exception:
        print(f"  Runs page raised: {[item.value for item in app.exception]}")
        return None
    # Check the page did show a page of the runs, so a fast render is not a page that showed nothing.
    shown = [len(frame.value) for frame in app.dataframe]
    from core.analysis import run_table

    if shown != [min(run_table.PAGE_SIZE, run_count)] or not any(f"of {run_count}" in caption.value for caption in app.caption):
        print(f"  note: the Runs page's tables have {shown} rows and say {[caption.value for caption in app.caption]}")
    median = statistics.median(timings)
    print(f"  Runs page render (AppTest, {shown} rows shown): first {first:.3f} s (imports), median of {len(timings)} later renders {verdict(median, RENDER_TARGET_SECONDS)}")
    return median


def measure(run_count: int, arguments) -> dict:
    """Every figure at `run_count` runs, in a temporary artifacts folder of its own."""
    artifacts = Path(tempfile.mkdtemp(prefix=f"dllab-run-list-{run_count}-"))
    os.environ["DLLAB_ARTIFACTS"] = str(artifacts)
    from core import config
    from core.runs import index, queue, store

    figures = {"runs": run_count}
    try:
        start = time.perf_counter()
        mirrored = generate_runs(run_count, arguments.metric_lines)
        print(f"{run_count} finished runs x {arguments.metric_lines} metric lines generated in {time.perf_counter() - start:.1f} s ({artifacts})")
        root = config.runs_dir()
        target = list_target(run_count)
        figures["rebuild"] = first_listing_seconds(run_count)
        print(f"  first list_runs(), no index (rebuilt from the folders, fresh process): {figures['rebuild']:.3f} s")
        figures["cold"] = first_listing_seconds(run_count)
        print(f"  first list_runs() of a fresh process, index in place (a command line's; parses every row once): {figures['cold']:.3f} s, "
              f"{figures['cold'] / target:.2f}x the warm target")
        runs = store.list_runs()
        if len(runs) != run_count or any(run.state != "finished" or run.test_accuracy is None for run in runs):
            raise RuntimeError(f"list_runs saw {len(runs)} runs, not {run_count} finished ones with results")
        figures["list"] = median_seconds(store.list_runs, arguments.repeats)
        figures["scan"] = median_seconds(lambda: store.scan_runs(root), max(1, arguments.repeats // 2))
        print(f"  list_runs(), warm (median of {arguments.repeats}): {verdict(figures['list'], target)}; "
              f"reading every folder (scan_runs, before the index) {figures['scan']:.3f} s, list_runs/scan = {figures['list'] / figures['scan']:.3f}")
        figures["schedule"] = median_seconds(queue.schedule, arguments.repeats)
        print(f"  queue.schedule() (lock, active runs, reconcile): {verdict(figures['schedule'], SCHEDULE_TARGET_SECONDS)}")
        one = runs[0].path
        figures["read_metrics_one"] = median_seconds(lambda: store.read_metrics(one), arguments.repeats)
        print(f"  for the record, read_metrics() of one run ({arguments.metric_lines} lines): {figures['read_metrics_one'] * 1000:.2f} ms; "
              f"index file {index.index_path(root).stat().st_size / 1e6:.1f} MB")
        figures["render"] = time_runs_page(max(3, arguments.repeats // 2), run_count)
        compare_mlflow(find_mlflow_python(arguments.mlflow_python), mirrored, figures["list"], max(3, arguments.repeats // 2))
    finally:
        if arguments.keep:
            print(f"  artifacts kept in {artifacts}")
        else:
            shutil.rmtree(artifacts, ignore_errors=True)
    return figures


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
    completed = subprocess.run([python, "-c", MLFLOW_SCRIPT, str(repeats)], check=False, input=json.dumps(mirrored), capture_output=True, text=True)
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
    parser.add_argument("--runs", default="1000,10000", help="run counts, comma-separated")
    parser.add_argument("--metric-lines", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=7, help="timed calls per figure; the median is printed")
    parser.add_argument("--mlflow-python", help="an interpreter that has mlflow (e.g. /tmp/mlflow-venv/bin/python)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary artifacts folders")
    arguments = parser.parse_args(argv)
    counts = [int(count) for count in arguments.runs.split(",") if count.strip()]

    # Pages import `app.ui` and `core`; .streamlit/config.toml is read from the working directory.
    sys.path.insert(0, str(REPOSITORY_ROOT))
    os.chdir(REPOSITORY_ROOT)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (timings here vary up to 2x with load)")
    results = [measure(count, arguments) for count in counts]
    print("\nsummary (seconds; ratio to the target in brackets, <= 1 passes):")
    print(f"{'runs':>7} {'rebuild':>8} {'cold list':>15} {'list':>15} {'scan':>7} {'schedule':>15} {'render':>15}")
    for figures in results:
        target = list_target(figures["runs"])
        render = figures["render"]
        print(f"{figures['runs']:>7} {figures['rebuild']:>8.3f} {figures['cold']:>7.3f} [{figures['cold'] / target:4.2f}] {figures['list']:>7.3f} [{figures['list'] / target:4.2f}] "
              f"{figures['scan']:>7.3f} {figures['schedule']:>7.3f} [{figures['schedule'] / SCHEDULE_TARGET_SECONDS:4.2f}] "
              + (f"{render:>7.3f} [{render / RENDER_TARGET_SECONDS:4.2f}]" if render is not None else "    n/a"))
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = large["runs"] / small["runs"]
        print(f"growth x{growth:g} runs: list x{large['list'] / small['list']:.1f}, schedule x{large['schedule'] / small['schedule']:.1f}, "
              f"render x{large['render'] / small['render']:.1f}" if small["render"] and large["render"] else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
