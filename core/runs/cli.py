"""The command line: python -m core {projects, train, runs, cancel}."""
from __future__ import annotations

import argparse
import json
import sys
import time

from core import hyperparams
from core.projects import PROJECTS
from core.runs import queue, store

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # One line and exit code 2, like every other bad input.
        print(f"error: {message}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m core", description="dllab's engine from the command line")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("projects", help="list the projects")
    train = commands.add_parser("train", help="queue a training run and print its id")
    train.add_argument("project")
    train.add_argument("--model")
    train.add_argument("--backend")
    train.add_argument("--dataset")
    train.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a hyperparameter")
    train.add_argument("--wait", action="store_true", help="show progress; end with the test metrics as JSON")
    commands.add_parser("runs", help="list the runs")
    cancel = commands.add_parser("cancel", help="cancel a queued or running run")
    cancel.add_argument("run_id")
    return parser


def _print_projects() -> None:
    from core import i18n

    for project in PROJECTS.values():
        specs = ", ".join(f"{spec.name}={spec.default}" for spec in hyperparams.field_specs(project.parameters))
        print(f"{project.id}: {i18n.t(project.title, 'en')}")
        print(f"  datasets: {', '.join(project.datasets)}; models: {', '.join(project.models)}; backends: {', '.join(project.backends)}")
        print(f"  hyperparameters: {specs}")


def _print_runs() -> None:
    queue.schedule()  # Reconciles dead workers, so the list tells the truth.
    print(f"{'id':24} {'project':10} {'model':6} {'backend':7} {'status':9} test_accuracy")
    for run in store.list_runs():
        accuracy = "" if run.test_accuracy is None else f"{run.test_accuracy:.4f}"
        print(f"{run.id:24} {run.project:10} {run.model:6} {run.backend:7} {run.state:9} {accuracy}")


def _wait(run_id: str) -> int:
    path = store.run_dir(run_id)
    shown = ""
    while True:
        status = store.read_status(path)
        state = status.get("status")
        progress = status.get("progress") or {}
        line = f"{state}"
        if progress:
            eta = progress.get("eta")
            line += f" epoch {progress.get('epoch')}/{progress.get('epochs')} {100 * progress.get('fraction', 0):.0f}%"
            line += f" eta {eta:.0f}s" if eta is not None else ""
        if line != shown:
            print(line, file=sys.stderr, flush=True)
            shown = line
        if state in ("finished", "failed", "cancelled"):
            break
        if state == "running":
            queue.schedule()  # Notices a dead worker.
        time.sleep(0.5)
    if state == "finished":
        print(json.dumps(status.get("results", {})))
        return 0
    print(f"run {run_id} {state}: {status.get('error', '')}", file=sys.stderr)
    if status.get("log_tail"):
        print(status["log_tail"], file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command == "projects":
            _print_projects()
        elif arguments.command == "runs":
            _print_runs()
        elif arguments.command == "cancel":
            print(queue.cancel(arguments.run_id))
        elif arguments.command == "train":
            overrides = hyperparams.parse_assignments(arguments.set)
            run_id = queue.submit(arguments.project, arguments.dataset, arguments.model, arguments.backend, overrides)
            print(run_id, flush=True)
            if arguments.wait:
                return _wait(run_id)
    except (ValueError, store.RunNotFound) as error:
        message = error.args[0] if error.args else str(error)
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
