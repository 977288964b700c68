"""Real-data targets of issue 3 on ../shared/data: MNIST small CNN >= 98.5%, and the CIFAR-10
CPU preset at least 10 points above the course's minimal CNN.

Each run goes through the queue and a worker, as from the app, on the 10,000-image test
sets (8,000 train and validate, 2,000 held out: core.data.TEST_FRACTION). Run from the
repository root: .venv/bin/python benchmarks/real_data.py [--only mnist|cifar10] [--epochs N]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED_DATA = REPOSITORY.parent / "shared" / "data"
sys.path.insert(0, str(REPOSITORY))

from queued import run_to_the_end  # noqa: E402 (benchmarks/ is the script's own folder)

MNIST_TARGET = 0.985
CIFAR_MARGIN = 0.10


def train(project: str, dataset: str, model: str, overrides: dict) -> tuple[float, float, dict]:
    """(test accuracy, seconds from submit to finished, results) of one run through the queue."""
    run, seconds = run_to_the_end(project, dataset, model, "keras", overrides, poll_seconds=1.0)
    return run.status["results"]["test_accuracy"], seconds, run.status["results"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("mnist", "cifar10"))
    parser.add_argument("--epochs", type=int, help="override every run's epochs (a quick check, not the target)")
    arguments = parser.parse_args()
    if not SHARED_DATA.is_dir():
        print(f"SKIP: {SHARED_DATA} is absent")
        return 0
    os.environ["DLLAB_DATA_DIR"] = str(SHARED_DATA)
    os.environ.setdefault("DLLAB_ARTIFACTS", tempfile.mkdtemp(prefix="dllab-real-data-"))
    from core.projects import get_project

    presets = get_project("cifar10").presets
    epochs = {"epochs": arguments.epochs} if arguments.epochs else {}
    # 5% validation keeps 7,600 of the 8,000 for training.
    common = {"validation_fraction": 0.05}
    lines = []
    if arguments.only in (None, "mnist"):
        # The course's minimal CNN as it is, trained with a cosine schedule and small shifts.
        mnist_settings = {"epochs": 20, "batch_size": 32, "lr_schedule": "cosine", "augment_shift": 0.1}
        accuracy, seconds, _ = train("cifar10", "mnist", "small_cnn", {**common, **mnist_settings, **epochs})
        verdict = "PASS" if accuracy >= MNIST_TARGET else "FAIL"
        lines.append(f"mnist small_cnn: test_accuracy={accuracy:.4f} seconds={seconds:.0f} target>={MNIST_TARGET} {verdict}")
        print(lines[-1], flush=True)
    if arguments.only in (None, "cifar10"):
        results = {}
        for name in ("seed_cnn", "cpu_best"):
            preset = presets[name]
            accuracy, seconds, _ = train("cifar10", "cifar10", preset.model, {**preset.overrides, **common, **epochs})
            results[name] = accuracy
            print(f"cifar10 {name} ({preset.model}): test_accuracy={accuracy:.4f} seconds={seconds:.0f}", flush=True)
            lines.append(f"cifar10 {name}: {accuracy:.4f} in {seconds:.0f} s")
        margin = results["cpu_best"] - results["seed_cnn"]
        verdict = "PASS" if margin >= CIFAR_MARGIN else "FAIL"
        lines.append(f"cifar10 cpu_best - seed_cnn = {margin * 100:.1f} points, target >= {CIFAR_MARGIN * 100:.0f} {verdict}")
    print(" | ".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
