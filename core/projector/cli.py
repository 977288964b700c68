"""The command line: python -m core.projector {serve, project, list}."""
from __future__ import annotations

import argparse
import json
import sys
import time

from core.projector import methods, results
from core.runs import store
from core.runs.cli import EXIT_BAD_INPUT, OneLineParser


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m core.projector", description="projections of a finished run's features (a generative run's latent codes)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    serve = commands.add_parser("serve", help="run the projection service (the app starts it)")
    serve.add_argument("--idle-seconds", type=float, help="exit after this long without a job")
    project = commands.add_parser("project", help="project a run's test images; print the result's json")
    project.add_argument("run_id")
    project.add_argument("--method", choices=list(methods.METHODS), default="umap")
    project.add_argument("--layer", help="a layer name (default: the one before the classifier; latent, the only one, for a generative run)")
    project.add_argument("--count", type=int, default=2000, help="test images, at most 10,000")
    project.add_argument("--seed", type=int, default=0)
    project.add_argument("--no-wait", action="store_true", help="print the queued job's json and return")
    listing = commands.add_parser("list", help="the projections stored in a run")
    listing.add_argument("run_id")
    return parser


def _project(arguments) -> int:
    from core import inference, inspection
    from core.projector import features, jobs

    path = store.run_dir(arguments.run_id)
    if features.is_generative(path):
        # A generative run's codes are stored with it: no model to load.
        loaded, layer = None, arguments.layer or features.LATENT_LAYER
    else:
        loaded = inference.load_model(path)
        layer = arguments.layer or inspection.penultimate_layer(loaded)
    request = results.Request(layer, arguments.method, arguments.count, arguments.seed)
    info = jobs.submit(path, request, loaded)
    shown = ""
    while not arguments.no_wait and info["state"] in results.ACTIVE_STATES:
        line = f"{info['state']} {info.get('stage')} {100 * (info.get('fraction') or 0):.0f}%"
        if line != shown:
            print(line, file=sys.stderr, flush=True)
            shown = line
        time.sleep(0.25)
        info = jobs.status(path, request.key)
    print(json.dumps(info))
    return 1 if info["state"] == "failed" else 0


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command == "serve":
            from core.projector import server

            return server.serve(arguments.idle_seconds)
        if arguments.command == "list":
            for info in results.list_projections(store.load_run(arguments.run_id).path):
                ari = "" if info.get("ari") is None else f"ARI {info['ari']:.3f}"
                print(f"{info['key']:36} {info['state']:8} {info['method']:5} {info['layer']:16} n={info['count']} seed={info['seed']} {ari}")
            return 0
        return _project(arguments)
    except (ValueError, store.RunNotFound, FileNotFoundError) as error:
        message = error.args[0] if error.args else str(error)
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
