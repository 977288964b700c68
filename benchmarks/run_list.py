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
4. core.runs.queue.schedule() (lock, active runs only, reconcile) against 0.05 s; and, for
   the record, list_runs() while the index file cannot be opened (an index kept in memory);
5. rendering the Runs page, streamlit.testing.v1.AppTest.from_file('pages/runs.py'): the
   median of later renders (the first warms imports) against 1 s; and the Run page on a run
   from the middle of the list (?run=), against 1 s too;
6. what other pages list at every rerun, for the record (no target of their own yet),
   before and after the pickers went through the index, in the same run and under the same
   load (printed beside them): a picker of finished runs (Explain, Predict, Inside,
   Projector, Generate, Anomalies, Enrich) with its labels, before (every run listed, the
   checkpoint.json of each looked for, a label for each) and after
   (core.inference.finished_choices: the newest store.PICKER_SIZE and the chosen one);
   the newest finished run app.ui.caches.warm_default_model warms, before (every finished
   run listed) and after (finished_runs(limit=1)); finished_runs with no limit (Projector and
   Inside still list every run themselves); schedule() with the runs folder just changed
   (the folder names compared with the index, as at every call before); the Compare page's
   render, before (pages/compare.py as git HEAD has it, on the listing of that time) and
   after; core.studies.list_studies (the Studies page) and the Studies page's render;
7. optionally MLflow's search_runs on a sqlite store holding the same runs and metrics
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
PAGES = REPOSITORY_ROOT / "pages"


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
        # What core.inference.has_checkpoint looks for: the pages that load a model offer the run.
        store.write_json_atomically(path / "checkpoint.json", {"backend": backend, "model": model, "file": "model.weights", "input_shape": [8, 8, 1], "class_names": [str(digit) for digit in range(10)]})
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


def time_page(name: str, repeats: int, query: dict | None = None, script: Path | None = None) -> tuple[float | None, object]:
    """(median of later renders of pages/<name>.py (or `script`) under AppTest, the AppTest);
    the median is None when the page raised."""
    import logging

    from streamlit.testing.v1 import AppTest

    # Streamlit warns once about a missing script context when the page's helpers load.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    # Absolute path: AppTest resolves a relative one against this file's folder.
    app = AppTest.from_file(str(script or PAGES / f"{name}.py"), default_timeout=120)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    start = time.perf_counter()
    app.run()
    first = time.perf_counter() - start
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        app.run()
        timings.append(time.perf_counter() - start)
    if app.exception:
        print(f"  {name} page raised: {[item.value for item in app.exception]}")
        return None, app
    median = statistics.median(timings)
    print(f"  {name} page render (AppTest): first {first:.3f} s (imports), median of {len(timings)} later renders {verdict(median, RENDER_TARGET_SECONDS)}")
    return median, app


def time_runs_page(repeats: int, run_count: int) -> float | None:
    """The Runs page's render, checked to show a page of the runs."""
    from core.analysis import run_table

    median, app = time_page("runs", repeats)
    # A fast render must not be a page that showed nothing.
    shown = [len(frame.value) for frame in app.dataframe]
    if shown != [min(run_table.PAGE_SIZE, run_count)] or not any(f"of {run_count}" in caption.value for caption in app.caption):
        print(f"  note: the Runs page's tables have {shown} rows and say {[caption.value for caption in app.caption]}")
    return median


def time_run_page(repeats: int, run_id: str) -> float | None:
    """The Run page's render on `run_id` (?run=), checked to show that run and its curves."""
    median, app = time_page("run", repeats, {"run": run_id})
    pickers = [box for box in app.selectbox if box.key.startswith("run_choice")]
    if not pickers or pickers[0].value != run_id or not app.get("plotly_chart"):
        print(f"  note: the Run page shows {[box.value for box in pickers]}, not {run_id}, or no curves")
    else:
        print(f"    its picker offers {len(pickers[0].options)} runs")
    return median


def time_without_index_file(root: Path, run_count: int, repeats: int) -> dict:
    """list_runs() while the index file cannot be opened (a read-only or locked folder): the
    first listing fills an index in memory from what this process has parsed, later ones stat."""
    import sqlite3

    from core.runs import index, store

    def refused(path):
        raise sqlite3.OperationalError("unable to open database file")

    opened, connections = index._open, dict(index._connections)
    index._open = refused
    index._connections.clear()
    try:
        start = time.perf_counter()
        listed = len(store.list_runs())
        first = time.perf_counter() - start
        warm = median_seconds(store.list_runs, repeats)
    finally:
        index._open = opened
        index._connections.update(connections)
        index._memories.pop(str(root), None)
    if listed != run_count:
        raise RuntimeError(f"without the index file list_runs saw {listed} runs, not {run_count}")
    print(f"  without a usable index file (in memory): first list_runs() {first:.3f} s, later ones (median of {repeats}) {warm:.3f} s")
    return {"no_file_first": first, "no_file_list": warm}


def settle_schedule() -> None:
    """The steady state of a server: the queue's lock file made by a first schedule(), and no
    folder added since index.SETTLED_SECONDS, so the runs folder's mtime is trusted."""
    from core.runs import index, queue

    queue.schedule()
    time.sleep(index.SETTLED_SECONDS + 0.2)
    queue.schedule()


def load_text() -> str:
    return "load " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def finished_runs_before(page: str | None) -> list:
    """core.inference.finished_runs as it was before the pickers used the index: every run
    listed, then the checkpoint.json of every finished one looked for."""
    from core import inference, kinds
    from core.runs import store

    wanted = kinds.kinds_for_page(page) if page else tuple(kinds.KINDS)
    return [run for run in store.list_runs() if run.state == "finished" and inference.has_checkpoint(run.path) and getattr(kinds.kind_of(run), "name", None) in wanted]


def picker_before(chosen: str) -> int:
    """What app.ui.widgets.finished_run_choice did at each rerun before: every finished run
    listed and labelled (the selectbox then formats each label)."""
    from app.ui import widgets

    finished = finished_runs_before("explain")
    labels = widgets.run_labels(finished, with_status=False)
    by_id = {run.id: run for run in finished}
    texts = [" · ".join(filter(None, (labels[run_id], widgets.headline_text(by_id[run_id])))) for run_id in by_id]
    return len(texts) if chosen in by_id else -1


def picker_after(chosen: str) -> int:
    """The same picker now: the newest runs and the chosen one, labelled."""
    from app.ui import widgets
    from core import inference

    choices = inference.finished_choices("explain", [chosen])
    labels = widgets.run_labels(choices.related, with_status=False)
    texts = [" · ".join(filter(None, (labels[run.id], widgets.headline_text(run)))) for run in choices.runs]
    return len(texts) if choices.chosen else -1


def time_compare_before(repeats: int) -> float | None:
    """The Compare page as git HEAD has it, rendered on the listing of that time."""
    from core import inference

    try:
        source = subprocess.run(["git", "show", "HEAD:pages/compare.py"], cwd=REPOSITORY_ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        print("  Compare page before: git HEAD not readable, skipped")
        return None
    folder = Path(tempfile.mkdtemp(prefix="dllab-compare-before-"))
    (folder / "compare_before.py").write_text(source)
    original = inference.finished_runs
    inference.finished_runs = lambda page, limit=None: finished_runs_before(page)
    try:
        median, _ = time_page("compare_before", repeats, script=folder / "compare_before.py")
    finally:
        inference.finished_runs = original
        shutil.rmtree(folder, ignore_errors=True)
    return median


def time_other_listings(repeats: int, runs: list) -> dict:
    """What other pages list at every rerun, before and after the pickers went through the index."""
    from core import config, inference, studies
    from core.runs import queue, store

    figures, root, oldest = {}, config.runs_dir(), runs[-1].id
    offered_before, offered_after = picker_before(oldest), picker_after(oldest)
    # A fast picker must still offer the run chosen: -1 says it did not.
    if offered_before != len(runs) or offered_after != min(store.PICKER_SIZE + 1, len(runs)):
        print(f"  note: the pickers offer {offered_before} runs before and {offered_after} after, not {len(runs)} and {store.PICKER_SIZE + 1}")
    print(f"  a picker of finished runs (Explain, Predict, Inside, Projector, Generate, Anomalies, Enrich), the oldest run chosen ({load_text()}):")
    figures["picker_before"] = median_seconds(lambda: picker_before(oldest), repeats)
    figures["picker_after"] = median_seconds(lambda: picker_after(oldest), repeats)
    print(f"    before (every run listed and labelled, {offered_before} offered): {figures['picker_before']:.3f} s; "
          f"after (finished_choices, {offered_after} offered): {figures['picker_after']:.4f} s; after/before {figures['picker_after'] / figures['picker_before']:.3f}")
    figures["warm_before"] = median_seconds(lambda: finished_runs_before("explain")[:1], repeats)
    figures["warm_after"] = median_seconds(lambda: inference.finished_runs("explain", limit=1), repeats)
    figures["finished_all"] = median_seconds(lambda: inference.finished_runs(None), repeats)
    print(f"  the newest finished run (caches.warm_default_model, once per server process): before {figures['warm_before']:.3f} s, "
          f"after (finished_runs(limit=1)) {figures['warm_after']:.4f} s; finished_runs(None) with no limit (Projector, Inside list it themselves): {figures['finished_all']:.3f} s ({load_text()})")

    def schedule_changed():
        os.utime(root)  # The runs folder just changed: the names are compared, as before at every call.
        queue.schedule()

    figures["schedule_changed"] = median_seconds(schedule_changed, repeats)
    settle_schedule()
    figures["schedule_settled"] = median_seconds(queue.schedule, repeats)
    print(f"  queue.schedule(): runs folder unchanged {verdict(figures['schedule_settled'], SCHEDULE_TARGET_SECONDS)}; "
          f"just changed (names compared, as at every call before) {verdict(figures['schedule_changed'], SCHEDULE_TARGET_SECONDS)} ({load_text()})")
    figures["list_studies"] = median_seconds(studies.list_studies, repeats)
    print(f"  studies.list_studies (Studies): {figures['list_studies']:.3f} s")
    page_repeats = max(1, repeats // 2)
    print(f"  the Compare page, before then after ({load_text()}):")
    figures["compare_before"] = time_compare_before(page_repeats)
    figures["compare"], app = time_page("compare", page_repeats)
    if app is not None and app.multiselect:
        print(f"    its picker offers {len(app.multiselect[0].options)} runs now")
    figures["studies"], _ = time_page("studies", page_repeats)
    return figures


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
        settle_schedule()
        figures["schedule"] = median_seconds(queue.schedule, arguments.repeats)
        print(f"  queue.schedule() (lock, active runs, reconcile): {verdict(figures['schedule'], SCHEDULE_TARGET_SECONDS)}")
        one = runs[0].path
        figures["read_metrics_one"] = median_seconds(lambda: store.read_metrics(one), arguments.repeats)
        print(f"  for the record, read_metrics() of one run ({arguments.metric_lines} lines): {figures['read_metrics_one'] * 1000:.2f} ms; "
              f"index file {index.index_path(root).stat().st_size / 1e6:.1f} MB")
        figures.update(time_without_index_file(root, run_count, arguments.repeats))
        figures["render"] = time_runs_page(max(3, arguments.repeats // 2), run_count)
        figures["run_render"] = time_run_page(max(3, arguments.repeats // 2), runs[len(runs) // 2].id)
        if not arguments.skip_other_pages:
            figures.update(time_other_listings(max(3, arguments.repeats // 2), runs))
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
    parser.add_argument("--skip-other-pages", action="store_true", help="time only the Runs and Run pages")
    arguments = parser.parse_args(argv)
    counts = [int(count) for count in arguments.runs.split(",") if count.strip()]

    # Pages import `app.ui` and `core`; .streamlit/config.toml is read from the working directory.
    sys.path.insert(0, str(REPOSITORY_ROOT))
    os.chdir(REPOSITORY_ROOT)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (timings here vary up to 2x with load; {load_text()})")
    results = [measure(count, arguments) for count in counts]
    print("\nsummary (seconds; ratio to the target in brackets, <= 1 passes):")
    print(f"{'runs':>7} {'rebuild':>8} {'cold list':>15} {'list':>15} {'scan':>7} {'schedule':>15} {'Runs page':>15} {'Run page':>15}")
    for figures in results:
        target = list_target(figures["runs"])
        render = figures["render"]
        print(f"{figures['runs']:>7} {figures['rebuild']:>8.3f} {figures['cold']:>7.3f} [{figures['cold'] / target:4.2f}] {figures['list']:>7.3f} [{figures['list'] / target:4.2f}] "
              f"{figures['scan']:>7.3f} {figures['schedule']:>7.3f} [{figures['schedule'] / SCHEDULE_TARGET_SECONDS:4.2f}] "
              + " ".join(f"{seconds:>7.3f} [{seconds / RENDER_TARGET_SECONDS:4.2f}]" if seconds is not None else f"{'n/a':>15}" for seconds in (render, figures["run_render"])))
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = large["runs"] / small["runs"]
        print(f"growth x{growth:g} runs: list x{large['list'] / small['list']:.1f}, schedule x{large['schedule'] / small['schedule']:.1f}, "
              f"render x{large['render'] / small['render']:.1f}" if small["render"] and large["render"] else "")
    pickers = [figures for figures in results if "picker_before" in figures]
    if pickers:
        print("\nbefore -> after the pickers went through the index (seconds, same run, same load):")
        print(f"{'runs':>7} {'picker':>17} {'warm model':>17} {'Compare page':>17} {'schedule, folder changed/unchanged':>36}")
        for figures in pickers:
            compare_pair = f"{figures['compare_before']:.3f} -> {figures['compare']:.3f}" if figures.get("compare_before") and figures.get("compare") else "n/a"
            print(f"{figures['runs']:>7} {figures['picker_before']:>7.3f} -> {figures['picker_after']:<6.4f} {figures['warm_before']:>7.3f} -> {figures['warm_after']:<6.4f} "
                  f"{compare_pair:>17} {figures['schedule_changed']:>16.4f} / {figures['schedule_settled']:<.4f}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end ({load_text()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
