"""A 12-run study of the default CNN on the CIFAR-like offline set, end to end (issue 3).

Target: "A 12-run study of the default CNN on the CIFAR-like offline set completes on these
2 cores within 15 minutes, with its comparison view built from the run folders."

In a temporary DLLAB_ARTIFACTS: core.studies.submit_study on project cifar10, dataset
shapes, its default model (get_project("cifar10").models[0]) and backend, default epochs,
axes optimizer (sgd, momentum, rmsprop, adam) x learning_rate (0.001, 0.003, 0.01): the
TP2 question "which optimizer, at which step size?", where every run does the same work
(batch size stays the default). Then, as the app does, core.runs.queue.schedule() every
few seconds until every run is final; wall time is from submit to the last final status.
Then the comparison view, from the run folders: list_studies + study_table +
metric_by_axis + overlaid_curves + parallel_coordinates, timed in this process (the first
build pays the pandas and plotly imports, as a fresh server would; the second is warm).

The full study takes about 15 minutes and keeps both cores busy: for a quick check of the
script, `--epochs 1 --optimizers 2 --learning-rates 1` (2 runs).

    .venv/bin/python benchmarks/study.py [--epochs N] [--optimizers 4] [--learning-rates 3] [--workers 1]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 900.0
TARGET_RUNS = 12
SCHEDULE_SECONDS = 2.0  # app/ui/navigation.py's SCHEDULE_INTERVAL_SECONDS: how often the app calls schedule().
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
LEARNING_RATES = (0.001, 0.003, 0.01)


def wait_for_study(study_id: str, deadline_seconds: float, start: float):
    """schedule() every few seconds until every run of the study is final (or the deadline).
    Returns the study and the moment its last run became final (perf_counter)."""
    from core import studies
    from core.runs import queue

    last_report = start
    while True:
        queue.schedule()
        study = next(study for study in studies.list_studies() if study.id == study_id)
        now = time.perf_counter()
        if not study.active:
            return study, now
        if now - start > deadline_seconds:
            return study, None
        if now - last_report >= 60:
            states = [run.state for run in study.runs]
            print(f"  {now - start:5.0f} s: {states.count('finished')} finished, {states.count('running')} running, {states.count('queued')} queued", flush=True)
            last_report = now
        time.sleep(SCHEDULE_SECONDS)


def build_view(study_id: str) -> tuple[float, object]:
    """The comparison view of the Studies page, from the run folders; returns (seconds, table)."""
    from core import studies
    from core.analysis import studies as study_views

    start = time.perf_counter()
    study = next(study for study in studies.list_studies() if study.id == study_id)
    table = study_views.study_table(study)
    study_views.metric_by_axis(table, study.axes, "test_accuracy", {"metric": "test accuracy"})
    study_views.overlaid_curves(study, "accuracy", "validation", {"epoch": "epoch", "metric": "validation accuracy"})
    from core.projects import get_project

    labels = {column: column.replace("_", " ") for column in study_views.result_columns(get_project(study.project))}
    study_views.parallel_coordinates(table, study.axes, ["test_accuracy", "generalisation_gap"], labels)
    return time.perf_counter() - start, table


def stop_study(study_id: str) -> None:
    """Cancel what is left (queued runs at once, running ones by signal), so nothing outlives us."""
    from core import studies
    from core.runs import queue

    study = next(study for study in studies.list_studies() if study.id == study_id)
    for run in study.runs:
        if run.state == "queued":
            queue.cancel(run.id)
    for run in study.runs:
        if run.state == "running":
            queue.cancel(run.id)
    for child in list(queue._children):
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=None, help="default: the cifar10 project's default")
    parser.add_argument("--optimizers", type=int, default=len(OPTIMIZERS), choices=range(1, len(OPTIMIZERS) + 1), help=f"the first N of {', '.join(OPTIMIZERS)}")
    parser.add_argument("--learning-rates", type=int, default=len(LEARNING_RATES), choices=range(1, len(LEARNING_RATES) + 1), help=f"the first N of {', '.join(map(str, LEARNING_RATES))}")
    parser.add_argument("--workers", type=int, default=None, help="DLLAB_WORKERS (default: the app's, 1)")
    parser.add_argument("--deadline", type=float, default=3 * TARGET_SECONDS, help="give up (and cancel what is left) after this many seconds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary artifacts folder")
    arguments = parser.parse_args(argv)

    artifacts = Path(tempfile.mkdtemp(prefix="dllab-study-"))
    os.environ["DLLAB_ARTIFACTS"] = str(artifacts)
    if arguments.workers is not None:
        os.environ["DLLAB_WORKERS"] = str(arguments.workers)
    sys.path.insert(0, str(REPOSITORY_ROOT))
    from core import config, hyperparams, studies
    from core.projects import get_project

    project = get_project("cifar10")
    dataset, model = "shapes", project.models[0]
    backend = project.backends_for(model)[0]
    base = {} if arguments.epochs is None else {"epochs": arguments.epochs}
    epochs = hyperparams.resolve(project.parameters, base).epochs
    axes = [studies.Axis("optimizer", OPTIMIZERS[: arguments.optimizers]), studies.Axis("learning_rate", LEARNING_RATES[: arguments.learning_rates])]
    run_count = arguments.optimizers * arguments.learning_rates
    print(f"study: cifar10 {model} ({backend}) on {dataset}, {epochs} epochs, optimizer {axes[0].values} x learning_rate {axes[1].values} = {run_count} runs, "
          f"{config.max_workers()} worker(s), artifacts in {artifacts}", flush=True)
    load_before = os.getloadavg()[0]
    study_id = None
    try:
        start = time.perf_counter()
        study_id = studies.submit_study("benchmark", project.id, dataset, model, backend, base, axes)
        study, ended = wait_for_study(study_id, arguments.deadline, start)
        if ended is None:
            print(f"deadline of {arguments.deadline:.0f} s reached: cancelling what is left", flush=True)
            stop_study(study_id)
            study = next(study for study in studies.list_studies() if study.id == study_id)
        wall = (ended or time.perf_counter()) - start
        view_seconds, table = build_view(study_id)
        warm_seconds, _ = build_view(study_id)
        load_after = os.getloadavg()[0]

        finished = study.finished
        failed = sum(run.state == "failed" for run in study.runs)
        accuracies = table["test_accuracy"].dropna()
        best = f"{accuracies.max():.4f}" if len(accuracies) else "none"
        if failed:
            for run in study.runs:
                if run.state == "failed":
                    print(f"  failed {run.id}: {run.status.get('error')}", flush=True)
        cores = os.cpu_count() or 1
        if max(load_before, load_after) > cores:
            print(f"load average (1 min) before {load_before:.2f}, after {load_after:.2f}: above {cores} cores, other processes shared the CPU", flush=True)
        complete = ended is not None and finished == run_count
        passed = complete and wall <= TARGET_SECONDS
        full_size = run_count == TARGET_RUNS and arguments.epochs in (None, project.parameters().epochs)
        verdict = ("PASS" if passed else "FAIL") + ("" if full_size else f" (a smaller study than the target's {TARGET_RUNS} runs of {project.parameters().epochs} epochs)")
        print(
            f"runs {run_count}, finished {finished}, failed {failed}, wall {wall:.1f} s, {wall / run_count:.1f} s per run, "
            f"view {view_seconds:.2f} s (warm {warm_seconds:.2f} s), target {TARGET_SECONDS:.0f} s, wall/target {wall / TARGET_SECONDS:.3f}, "
            f"best test accuracy {best}: {verdict}",
            flush=True,
        )
    except BaseException:
        if study_id is not None:
            stop_study(study_id)
        raise
    finally:
        if arguments.keep:
            print(f"artifacts kept in {artifacts}")
        else:
            shutil.rmtree(artifacts, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
