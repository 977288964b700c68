"""Generative-model targets of issue 5 (project cvae), through the real run path.

- Conditioning: "a classifier trained on the real images labels the CVAE's samples as the
  class asked for in >= 80% of cases", on the digits and on the Fashion-MNIST sample of
  ../shared/data (the run's own `conditional_accuracy`, 100 samples per class).
- Training time: "the default CVAE on digits trains in <= 60 s on these 2 cores", from
  the moment the run is queued to its final status, with the worker's own time (its start,
  TensorFlow's import included, to its end) beside it.
- Sampling: "generating a 10 x 5 sample grid takes <= 1 s once the model is loaded",
  median of `--repeats` calls of `generation.sample_grid` after one warm call.

Every run goes to a temporary DLLAB_ARTIFACTS. Each figure is printed with its target and
its ratio to it (< 1 is within the target for times, >= 1 for accuracies).

    .venv/bin/python benchmarks/generation.py [--seeds 0 1] [--repeats 20] [--models cvae conv_cvae]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from queued import run_to_the_end  # noqa: E402 (benchmarks/ is the script's own folder)

SHARED_DATA = REPOSITORY.parent / "shared" / "data"
CONDITIONAL_TARGET = 0.80
TRAINING_TARGET_SECONDS = 60.0
GRID_TARGET_SECONDS = 1.0


def train(project_dataset: str, model: str, seed: int) -> tuple[dict, float, float, Path]:
    """Queue the default run, wait for it; (results, seconds queued to finished, the worker's seconds, its folder)."""
    run, wall = run_to_the_end("cvae", project_dataset, model, None, {"seed": seed})
    return run.status["results"], wall, run.training_seconds or float("nan"), run.path


def grid_seconds(path: Path, repeats: int) -> tuple[float, float]:
    """(load seconds, median seconds of a 10 x 5 grid) for the run's checkpoint."""
    from core import frameworks, inference
    from core.kinds.generation import train as generation

    frameworks.torch()
    started = time.perf_counter()
    loaded = inference.load_model(path)
    loading = time.perf_counter() - started
    generation.sample_grid(loaded, 5, 0)  # Warm: the first call builds the graph.
    times = []
    for seed in range(repeats):
        started = time.perf_counter()
        grid = generation.sample_grid(loaded, 5, seed)
        times.append(time.perf_counter() - started)
    assert grid.shape[:2] == (10, 5)
    return loading, statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--models", nargs="+", default=["cvae", "conv_cvae"])
    parser.add_argument("--repeats", type=int, default=20)
    arguments = parser.parse_args()
    os.environ["DLLAB_ARTIFACTS"] = tempfile.mkdtemp(prefix="dllab-generation-")
    print(f"load average before: {os.getloadavg()[0]:.2f}; runs in {os.environ['DLLAB_ARTIFACTS']}")
    datasets = ["digits"]
    if (SHARED_DATA / "fashion_mnist").is_dir():
        os.environ["DLLAB_DATA_DIR"] = str(SHARED_DATA)
        datasets.append("fashion_mnist")
    else:
        print(f"{SHARED_DATA / 'fashion_mnist'} is absent: Fashion-MNIST skipped")
    first_path = None
    for dataset in datasets:
        for model in arguments.models:
            for seed in arguments.seeds:
                results, wall, training, path = train(dataset, model, seed)
                first_path = first_path or path
                accuracy = results["conditional_accuracy"]
                line = (f"{dataset:14} {model:10} seed {seed}: conditional_accuracy {accuracy:.3f} (target >= {CONDITIONAL_TARGET}, ratio {accuracy / CONDITIONAL_TARGET:.2f}); "
                        f"judge on real test images {results['judge_accuracy']:.3f}; test loss {results['test_loss']:.2f}; ")
                line += f"queued to finished {wall:.1f} s, worker {training:.1f} s"
                if dataset == "digits" and model == "cvae":
                    line += f" (target <= {TRAINING_TARGET_SECONDS:.0f} s, ratio {wall / TRAINING_TARGET_SECONDS:.2f})"
                print(line, flush=True)
    loading, grid = grid_seconds(first_path, arguments.repeats)
    print(f"10 x 5 grid once loaded: median {grid * 1000:.1f} ms of {arguments.repeats} (target <= {GRID_TARGET_SECONDS:.0f} s, ratio {grid / GRID_TARGET_SECONDS:.3f}); loading the checkpoint took {loading:.1f} s")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
