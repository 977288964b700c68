"""What every kind's train path shares (it runs inside the worker): the run's dataset split
and the checkpoint's description."""
from __future__ import annotations

from core.data import split_pool
from core.runs import store

CHECKPOINT_DESCRIPTION = "checkpoint.json"


def load_split(context):
    """The run's dataset spec and its pool split by the run's seed (both told in the log)."""
    params, parameters = context.params, context.parameters
    dataset = context.project.datasets[params["dataset"]]
    print(f"loading dataset {params['dataset']}", flush=True)
    pool = dataset.load_pool(parameters)
    split = split_pool(pool, parameters.seed, parameters.validation_fraction)
    print(f"{split.source}: {len(split.y_train)} train, {len(split.y_validation)} validation, {len(split.y_test)} test", flush=True)
    # A classifier whose loss stays at ln(class count) is guessing: the reporter says so.
    context.reporter.class_count = split.class_count
    return dataset, split


def write_description(context, backend, model, dataset, input_shape, class_names, train_size: int, **extra) -> None:
    """checkpoint.json: what loading the checkpoint and preparing an input need; written
    atomically, so a reader never sees half of it."""
    params = context.params
    description = {
        "backend": params["backend"],
        "model": params["model"],
        "file": backend.CHECKPOINT_FILE,
        "input_shape": list(input_shape),
        "class_names": list(class_names),
        "dataset": params["dataset"],
        "preparation": dataset.preparation,
        "parameter_count": backend.parameter_count(model),
        "train_size": int(train_size),
        **extra,
    }
    store.write_json_atomically(context.path / CHECKPOINT_DESCRIPTION, description)
