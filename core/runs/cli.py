"""The command line: python -m core {projects, train, explain, generate, runs, cancel}."""
from __future__ import annotations

import argparse
import json
import sys
import time

from core import hyperparams, i18n, pictures
from core.projects import PROJECTS, headline_result
from core.runs import queue, store

EXIT_BAD_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    def error(self, message):  # One line and exit code 2, like every other bad input.
        print(f"error: {message}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def number(text: str) -> float:
    """An argument read as core.hyperparams reads a typed number: "0,5" is 0.5; "1_0" and nan
    are refused. Its name is argparse's word in "invalid number value"."""
    return hyperparams.parse_number(text, float)


def whole_number(text: str) -> int:
    return hyperparams.parse_number(text, int)


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m core", description="dllab's engine from the command line")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    commands.add_parser("projects", help="list the projects")
    train = commands.add_parser("train", help="queue a training run and print its id")
    train.add_argument("project")
    train.add_argument("--model")
    train.add_argument("--backend")
    train.add_argument("--dataset")
    train.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a hyperparameter")
    train.add_argument("--wait", action="store_true", help="show progress; end with the test metrics as JSON")
    explain = commands.add_parser("explain", help="save where a finished run's model looks on an image (a CAM overlay)")
    explain.add_argument("run_id")
    explain.add_argument("--method", default="gradcam_plus_plus", choices=_explanation_methods())
    explain.add_argument("--layer", help="the convolution to weigh (default: the last one)")
    explain.add_argument("--class", dest="class_name", help="the class to explain, by name or index (default: the predicted one)")
    source = explain.add_mutually_exclusive_group()
    source.add_argument("--image", help="an image file (default: the first test image)")
    source.add_argument("--test-index", type=whole_number, default=0, help="a test image of the run")
    explain.add_argument("--opacity", type=number, default=0.5)
    explain.add_argument("--out", default="explanation.png", help="where to write the overlay (PNG)")
    generate = commands.add_parser("generate", help="save samples of a finished VAE or CVAE run as a grid (a row per class)")
    generate.add_argument("run_id")
    generate.add_argument("--class", dest="class_name", help="one class only, by name or index (a CVAE only)")
    generate.add_argument("--count", type=whole_number, default=5, help="samples per class (per row for a VAE), 1 to 100")
    generate.add_argument("--seed", type=whole_number, default=0, help="the same seed gives the same samples")
    generate.add_argument("--out", default="samples.png", help="where to write the grid (PNG)")
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


def _explanation_methods() -> list[str]:
    from core import explanations

    return list(explanations.METHODS)


def _explain(arguments) -> None:
    """Writes the overlay and prints the answer and what was explained, as JSON."""
    from pathlib import Path

    from PIL import Image

    from core import explanations, images, inference

    path = store.run_dir(arguments.run_id)
    loaded = inference.load_model(path)
    if arguments.image:
        image_path = Path(arguments.image)
        if not image_path.is_file():
            raise ValueError(f"image not found: {image_path}")
        pixels = images.prepare(image_path.read_bytes(), loaded.input_shape, loaded.preparation).pixels
    else:
        evaluation = inference.load_predictions(path)
        if not 0 <= arguments.test_index < len(evaluation["labels"]):
            raise ValueError(f"--test-index must be from 0 to {len(evaluation['labels']) - 1}, got {arguments.test_index}")
        pixels = pictures.as_float(evaluation["images"][arguments.test_index])
    classes = None
    if arguments.class_name is not None:
        names = loaded.class_names
        classes = names.index(arguments.class_name) if arguments.class_name in names else int(arguments.class_name) if arguments.class_name.lstrip("-").isdigit() else None
        if classes is None:
            raise ValueError(f"unknown class {arguments.class_name!r}; valid: {', '.join(names)}")
    result = explanations.explain(loaded, pixels[None], arguments.method, arguments.layer, classes)
    Image.fromarray(explanations.overlay(pixels, result.maps[0], arguments.opacity)).save(arguments.out)
    predicted = int(result.probabilities[0].argmax())
    print(json.dumps({
        "predicted": loaded.class_names[predicted], "probability": round(float(result.probabilities[0][predicted]), 4),
        "explained": loaded.class_names[int(result.class_indices[0])], "method": result.method, "layer": result.layer, "out": arguments.out,
    }))


def _generate(arguments) -> None:
    """Writes the grid and prints its shape as JSON."""
    from PIL import Image

    from core import inference
    from core.kinds.generation import analysis as generation_views
    from core.kinds.generation import train as generation

    path = store.run_dir(arguments.run_id)
    # Checked from checkpoint.json first: a wrong class or count is said before the framework loads.
    described = inference.LoadedModel(model=None, backend=None, description=inference.read_description(path))
    if "latent_dim" not in described.description:
        raise ValueError(f"run {arguments.run_id} is not a generative model (project cvae): it cannot generate")
    wanted = generation.class_index(described, arguments.class_name)
    generation.check_count(arguments.count)
    loaded = inference.load_model(path)
    grid = generation.sample_grid(loaded, arguments.count, arguments.seed)
    if wanted is not None:
        grid = grid[wanted : wanted + 1]
    Image.fromarray(generation_views.grid_picture(grid, cell=32)).save(arguments.out)
    rows = [loaded.class_names[wanted]] if wanted is not None else loaded.class_names if generation.is_conditional_model(loaded) else []
    print(json.dumps({"rows": rows or len(grid), "per_row": int(grid.shape[1]), "seed": arguments.seed, "out": arguments.out}))


def _headline(run: store.RunSummary) -> str:
    """The run's headline test result as name=value (accuracy for a classifier, loss for a VAE)."""
    name, value = headline_result(run)
    return "" if value is None else f"{name}={value:.4f}"


def _print_runs() -> None:
    queue.schedule()  # Reconciles dead workers, so the list tells the truth.
    print(f"{'id':24} {'project':10} {'model':9} {'backend':7} {'status':9} result")
    for run in store.list_runs():
        print(f"{run.id:24} {run.project:10} {run.model:9} {run.backend:7} {run.state:9} {_headline(run)}")


def _print_cancel(run_id: str, outcome: queue.CancelOutcome) -> None:
    from core import i18n

    if outcome.stop_requested:
        print(i18n.t("runs_cancel_requested", "en", run_id=run_id))
    else:
        print(i18n.t("runs_cancel_result", "en", run_id=run_id, state=outcome.state))


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
        if state in store.TERMINAL_STATUSES:
            break
        if state == "running":
            queue.schedule()  # Notices a dead worker.
        time.sleep(0.5)
    if state == "finished":
        if status.get("learning"):  # Finished, but at chance level: say it as the Run page does.
            print("warning: " + i18n.t(status["learning"]["key"], **status["learning"]["values"]), file=sys.stderr)
        print(json.dumps(status.get("results", {})))
        return 0
    if status.get("bad_input"):  # The run's data was refused: its sentence says what to change.
        print(f"run {run_id} {state}: {status.get('error', '')}", file=sys.stderr)
        return EXIT_BAD_INPUT
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
        elif arguments.command == "explain":
            _explain(arguments)
        elif arguments.command == "generate":
            _generate(arguments)
        elif arguments.command == "cancel":
            _print_cancel(arguments.run_id, queue.cancel(arguments.run_id))
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
