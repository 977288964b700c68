"""How much longer a run takes through the queue and worker than as a bare script.

(a) bare: a fresh `python -c` process that imports its framework the plain way a user
    would (`import keras` on TensorFlow, or `import torch`), loads digits as core does
    (core.data.digits + core.data.split_pool, same seed), builds the same CNN, fits with
    no callbacks, evaluates on the test split; timed from spawn to process exit.
(b) queue: core.runs.queue.submit('digits', 'digits', 'cnn', BACKEND, {'epochs': N}) in a
    temporary DLLAB_ARTIFACTS; timed from submit until status.json says finished
    (polled every 50 ms), twice a repeat: warm (an idle warm worker, core.runs.warm, has
    imported the framework before the submit; not timed) and cold (warming off).
    Launch -> first curve point is the first metrics.jsonl line's time after submit: step 0,
    the untrained model's loss and accuracy on a first batch of training images, which the
    backend measures before the first step; the first trained batch's point (step 1, after
    TensorFlow has traced the step) is printed beside it.
(c) memory: the resident memory of idle warm workers (keras and torch) and of the warmed
    projection service, together.

Both do the same training work: the same train split, batch size, optimizer, seed and
epochs, with the validation split evaluated after every epoch as the worker does
(--bare-without-validation drops it from the bare script, to see what it costs).
The two are alternated --repeats times; the medians and queue/bare are printed.
Machines here are noisy: read the ratio, not the seconds.

    .venv/bin/python benchmarks/overhead.py [--epochs N] [--repeats 2] [--backend keras|torch]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.6  # warm queue / bare, launch to finished
TARGET_WARM_FIRST_POINT = 1.5
TARGET_COLD_FIRST_POINT = 12.0
TARGET_MEMORY_MB = 3 * 1024
POLL_SECONDS = 0.05

# The bare scripts print one JSON line of phase times (seconds since their own start)
# and the test accuracy, so the two paths can be checked to do the same work.
BARE_KERAS = r"""
import time
_start = time.perf_counter()
import json, sys
import keras
from core.data import digits, split_pool
_imported = time.perf_counter()
epochs, seed, batch_size, learning_rate, dropout, validation_fraction, with_validation = json.loads(sys.argv[1])
split = split_pool(digits.load_digits(), seed, validation_fraction)
_loaded = time.perf_counter()
keras.utils.set_random_seed(seed)
layers = keras.layers
inputs = keras.Input(shape=split.input_shape, name="image")
features = inputs
for filters in (32, 64):
    features = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"conv_{filters}")(features)
    features = layers.MaxPooling2D(2, name=f"pool_{filters}")(features)
features = layers.Dropout(dropout, name="dropout_conv")(features)
features = layers.Flatten(name="flatten")(features)
features = layers.Dense(128, activation="relu", name="dense")(features)
features = layers.Dropout(dropout, name="dropout_dense")(features)
outputs = layers.Dense(split.class_count, activation="softmax", name="classes")(features)
model = keras.Model(inputs, outputs, name="cnn")
model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
_built = time.perf_counter()
model.fit(
    split.x_train, split.y_train, batch_size=batch_size, epochs=epochs, verbose=0,
    validation_data=(split.x_validation, split.y_validation) if with_validation else None,
)
_fitted = time.perf_counter()
loss, accuracy = model.evaluate(split.x_test, split.y_test, verbose=0)
_evaluated = time.perf_counter()
print(json.dumps({"result_wall": time.time(), "import": _imported - _start, "data": _loaded - _imported, "build": _built - _loaded,
                  "fit": _fitted - _built, "evaluate": _evaluated - _fitted, "test_accuracy": float(accuracy)}), flush=True)
"""

# The loop of core.backends.torch_backend.fit, without the reporter, written out.
BARE_TORCH = r"""
import time
_start = time.perf_counter()
import json, sys
import numpy as np
import torch
from core.data import digits, split_pool
_imported = time.perf_counter()
torch.set_flush_denormal(True)
epochs, seed, batch_size, learning_rate, dropout, validation_fraction, with_validation = json.loads(sys.argv[1])
split = split_pool(digits.load_digits(), seed, validation_fraction)
def to_tensor(images):
    return torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2), dtype=np.float32))
x_train, y_train = to_tensor(split.x_train), torch.from_numpy(split.y_train)
x_validation, y_validation = to_tensor(split.x_validation), torch.from_numpy(split.y_validation)
x_test, y_test = to_tensor(split.x_test), torch.from_numpy(split.y_test)
_loaded = time.perf_counter()
torch.manual_seed(seed)
nn = torch.nn
height, width, channels = split.input_shape
layers, in_channels = [], channels
for filters in (32, 64):
    layers += [nn.Conv2d(in_channels, filters, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
    in_channels, height, width = filters, height // 2, width // 2
layers += [nn.Dropout(dropout), nn.Flatten(), nn.Linear(in_channels * height * width, 128), nn.ReLU(),
           nn.Dropout(dropout), nn.Linear(128, split.class_count)]
model = nn.Sequential(*layers)
for module in model.modules():
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        nn.init.xavier_uniform_(module.weight)
        nn.init.zeros_(module.bias)
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate, eps=1e-7)
_built = time.perf_counter()
def evaluate(images, labels):
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(images), 512):
            logits = model(images[start:start + 512])
            target = labels[start:start + 512]
            total_loss += torch.nn.functional.cross_entropy(logits, target, reduction="sum").item()
            correct += (logits.argmax(1) == target).sum().item()
    return total_loss / len(images), correct / len(images)
generator = torch.Generator().manual_seed(seed)
count = len(x_train)
steps = (count + batch_size - 1) // batch_size
for epoch in range(epochs):
    model.train()
    order = torch.randperm(count, generator=generator)
    loss_sum, correct, seen = 0.0, 0, 0
    for batch in range(steps):
        indices = order[batch * batch_size:(batch + 1) * batch_size]
        images, labels = x_train[indices], y_train[indices]
        logits = model(images)
        loss = torch.nn.functional.cross_entropy(logits, labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(labels)
        correct += (logits.argmax(1) == labels).sum().item()
        seen += len(labels)
    if with_validation:
        evaluate(x_validation, y_validation)
_fitted = time.perf_counter()
loss, accuracy = evaluate(x_test, y_test)
_evaluated = time.perf_counter()
print(json.dumps({"result_wall": time.time(), "import": _imported - _start, "data": _loaded - _imported, "build": _built - _loaded,
                  "fit": _fitted - _built, "evaluate": _evaluated - _fitted, "test_accuracy": float(accuracy)}), flush=True)
"""


# --profile: one more run, its worker started by hand in a child process whose core
# functions are wrapped with timers (nothing in core is changed). Then, in the same warm
# process, the fit alone with and without the reporter callback, to price the callback.
PROFILE_WORKER = r"""
import time
_start = time.perf_counter()
import contextlib, dataclasses, importlib, io, json, sys, tempfile, threading
from pathlib import Path
import numpy as np
phases, counts, marks = {}, {}, {}
_lock = threading.Lock()
def timed(function, label):
    def wrapper(*args, **kwargs):
        begin = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            with _lock:
                phases[label] = phases.get(label, 0.0) + time.perf_counter() - begin
                counts[label] = counts.get(label, 0) + 1
    return wrapper
def wrap(owner, name, label):
    setattr(owner, name, timed(getattr(owner, name), label))
from core.runs import worker
phases["import core.runs.worker"], counts["import core.runs.worker"] = time.perf_counter() - _start, 1
from core import training
from core.kinds.image_classification import train as image_classification
from core.projects import PROJECTS
from core.runs import queue, store, reporter as reporter_module
backend_name = sys.argv[2]
backend = importlib.import_module(f"core.backends.{backend_name}_backend")
original_build, original_fit = backend.build, backend.fit
original_train = image_classification.train_classifier
def train(context):
    marks["train_start"] = time.perf_counter()
    try:
        return original_train(context)
    finally:
        marks["train_end"] = time.perf_counter()
for project_id, project in list(PROJECTS.items()):
    datasets = {key: dataclasses.replace(spec, load=timed(spec.load, "data: load")) for key, spec in project.datasets.items()}
    PROJECTS[project_id] = dataclasses.replace(project, train=train, datasets=datasets)
wrap(training, "split_pool", "data: split_pool")
wrap(backend, "device", "framework import (backend.device)")
wrap(backend, "versions", "backend.versions")
wrap(worker.RunContext, "record_environment", "record_environment (params.json)")
wrap(backend, "build", "build")
wrap(backend, "fit", "fit (with reporter)")
wrap(backend, "predict", "predict test")
wrap(image_classification, "test_metrics", "test_metrics (sklearn)")
wrap(np, "savez_compressed", "eval/predictions.npz")
wrap(backend, "save", "checkpoint save")
wrap(reporter_module.Reporter, "batch_end", "reporter.batch_end (inside fit)")
wrap(reporter_module.Reporter, "epoch_end", "reporter.epoch_end (inside fit)")
wrap(queue, "schedule", "queue.schedule (after finished)")
original_write_status = store.write_status
def write_status(path, **changes):
    result = original_write_status(path, **changes)
    if changes.get("finished"):
        marks["finished_written"] = time.perf_counter()
    return result
store.write_status = timed(write_status, "store.write_status (heartbeats + final)")
code = worker.run(Path(sys.argv[1]))
marks["run_returned"] = time.perf_counter()
report = {"code": code, "phases": dict(phases), "counts": dict(counts), "marks": {name: value - _start for name, value in marks.items()}}
callback_epochs = int(sys.argv[3])
if callback_epochs:
    # The price of the reporter, warm: the same fit with a real Reporter and without
    # (Keras: model.fit with no callbacks; torch: the loop with a do-nothing reporter).
    from core import hyperparams
    from core.data import digits, split_pool
    parameters = hyperparams.resolve(PROJECTS["digits"].parameters, {"epochs": callback_epochs})
    split = split_pool(digits.load_digits(), parameters.seed, parameters.validation_fraction)
    folder = Path(tempfile.mkdtemp())
    class Silent:
        def batch_end(self, *args): pass
        def epoch_end(self, *args): pass
    def fit(with_reporter):
        model = original_build("cnn", split.input_shape, split.class_count, parameters)
        if backend_name == "keras" and not with_reporter:
            import keras
            model.compile(optimizer=keras.optimizers.Adam(parameters.learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            begin = time.perf_counter(), time.process_time()
            model.fit(split.x_train, split.y_train, batch_size=parameters.batch_size, epochs=callback_epochs,
                      validation_data=(split.x_validation, split.y_validation), verbose=0)
            return time.perf_counter() - begin[0], time.process_time() - begin[1]
        reporter = reporter_module.Reporter(folder, callback_epochs) if with_reporter else Silent()
        begin = time.perf_counter(), time.process_time()
        original_fit(model, split, parameters, reporter)
        return time.perf_counter() - begin[0], time.process_time() - begin[1]
    timings = {"without": [], "with": []}
    with contextlib.redirect_stdout(io.StringIO()):
        for order in (("without", "with"), ("with", "without"), ("without", "with")):
            for kind in order:
                timings[kind].append(fit(kind == "with"))
    # Best of three: other load only ever adds time. CPU time (all threads) is steadier.
    report["callback"] = {kind: [min(wall for wall, _ in values), min(cpu for _, cpu in values)] for kind, values in timings.items()}
print("PROFILE " + json.dumps(report), flush=True)
"""


def run_profile(backend: str, epochs: int, callback_epochs: int) -> None:
    """Start one queued run's worker by hand under PROFILE_WORKER and print where its time goes."""
    from core.runs import processes, queue, store

    params = queue.build_params("digits", "digits", "cnn", backend, {"epochs": epochs})
    run_id = store.create_run(params)
    path = store.run_dir(run_id)
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    arguments = [sys.executable, "-c", PROFILE_WORKER, str(path), backend, str(callback_epochs)]
    # As queue.schedule does: hold the lock while the child starts and its pid is written.
    with queue.queue_lock():
        start = time.perf_counter()
        child = subprocess.Popen(arguments, cwd=REPOSITORY_ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        store.write_status(path, status="running", pid=child.pid, process_start=processes.start_time(child.pid), started=time.time(), heartbeat=time.time())
    output, _ = child.communicate()
    exited = time.perf_counter() - start
    lines = [line for line in output.splitlines() if line.startswith("PROFILE ")]
    if not lines:
        print("profile failed:\n" + output[-3000:])
        return
    report = json.loads(lines[-1].removeprefix("PROFILE "))
    marks = report["marks"]
    print(f"profile of one worker ({backend}, {epochs} epochs), seconds since the worker's code began (after interpreter start-up):")
    # With the callback experiment the process goes on training after worker.run returned.
    exit_note = f"process exit (seen by the parent, from spawn) {exited:.2f}" if not callback_epochs else "then the callback experiment"
    print(f"  train() entered at {marks['train_start']:.2f}, left at {marks['train_end']:.2f}; finished status written at {marks['finished_written']:.2f}; "
          f"worker.run returned at {marks['run_returned']:.2f}; {exit_note}")
    for label, seconds in sorted(report["phases"].items(), key=lambda item: -item[1]):
        print(f"  {seconds:7.3f} s  {label} (x{report['counts'][label]})")
    if "callback" in report:
        (wall_without, cpu_without), (wall_with, cpu_with) = report["callback"]["without"], report["callback"]["with"]
        print(f"  reporter callback, warm, {callback_epochs} epochs, best of 3: fit without {wall_without:.2f} s (CPU {cpu_without:.2f} s), "
              f"with {wall_with:.2f} s (CPU {cpu_with:.2f} s); with/without = {wall_with / wall_without:.3f} wall, {cpu_with / cpu_without:.3f} CPU")


def run_bare(backend: str, parameters, epochs: int, with_validation: bool) -> dict:
    script = BARE_KERAS if backend == "keras" else BARE_TORCH
    arguments = [epochs, parameters.seed, parameters.batch_size, parameters.learning_rate, parameters.dropout, parameters.validation_fraction, with_validation]
    # The same environment the queue gives its workers (core.runs.queue._launch_worker),
    # plus the log level the worker sets itself (core.frameworks.tensorflow).
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")}
    start = time.perf_counter()
    start_wall = time.time()
    # `-c` with cwd at the repository root puts the root on sys.path, as `-m` does for the worker.
    completed = subprocess.run([sys.executable, "-c", script, json.dumps(arguments)], cwd=REPOSITORY_ROOT, env=environment, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"bare script failed ({completed.returncode}):\n{completed.stderr[-3000:]}")
    phases = json.loads(completed.stdout.strip().splitlines()[-1])
    # When the result existed (the counterpart of the worker's finished status), and exit.
    phases["result"] = phases.pop("result_wall") - start_wall
    return {"seconds": elapsed, **phases}


def _child_for(pid: int):
    from core.runs import queue

    return next((child for child in queue._children if child.pid == pid), None)


def _wait_warm_settled(timeout: float = 300.0) -> None:
    """Until every idle warm worker has finished its import, so none competes with the next measurement."""
    from core.runs import queue, warm

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with queue.queue_lock():
            entries = warm.idle_entries()
        if all(entry.get("ready") for entry in entries):
            return
        time.sleep(0.2)


def _prepare(backend: str, warm_start: bool) -> None:
    """Warm: one idle, ready warm worker of the backend's framework; cold: none, warming off."""
    from core.runs import warm

    if warm_start:
        os.environ["DLLAB_WARM_WORKERS"] = "1"
        warm.ensure(warm.framework_of(backend))
    else:
        warm.stop_idle()
        os.environ["DLLAB_WARM_WORKERS"] = "0"
    _wait_warm_settled()


def run_queued(backend: str, epochs: int, warm_start: bool = False) -> dict:
    from core.runs import queue, store

    _prepare(backend, warm_start)
    start = time.perf_counter()
    start_wall = time.time()
    run_id = queue.submit("digits", "digits", "cnn", backend, {"epochs": epochs})
    submitted = time.perf_counter()
    path = store.run_dir(run_id)
    while True:
        status = store.read_status(path)
        if status.get("status") not in store.ACTIVE_STATUSES:
            break
        time.sleep(POLL_SECONDS)
    finished = time.perf_counter()
    if status.get("status") != "finished":
        raise RuntimeError(f"run {run_id} ended {status.get('status')}: {status.get('error')}\n{store.log_tail(path)}")
    # Wait for the worker to exit, so its shutdown does not overlap the next measurement.
    child = _child_for(status.get("pid"))
    if child is not None:
        child.wait()
    from core.runs import processes

    while processes.is_alive(status.get("supervisor_pid"), status.get("supervisor_start")) or processes.is_alive(status.get("pid"), status.get("process_start")):
        time.sleep(POLL_SECONDS)  # A warm pair is not our child: watch its processes.
    exited = time.perf_counter()
    _wait_warm_settled()  # The warm worker started for the run after imports now, not during the next measurement.
    metrics = store.read_metrics(path)
    times = [record["time"] for record in metrics]
    epoch_times = [record["time"] for record in metrics if record["split"] == "time" and record["name"] == "elapsed"]
    return {
        "seconds": finished - start,
        "submit": submitted - start,
        "worker_started": status["started"] - start_wall,
        "first_metric": (min(times) - start_wall) if times else None,
        "first_trained": min((record["time"] for record in metrics if record.get("step", 0) >= 1), default=start_wall + float("nan")) - start_wall,
        "last_epoch": (max(epoch_times) - start_wall) if epoch_times else None,
        "finished_written": status["finished"] - start_wall,
        "process_exit": exited - start,
        "test_accuracy": status["results"]["test_accuracy"],
        "warm": bool(status.get("warm")),
        "run_id": run_id,
    }


def _mappings(pid: int) -> list[list]:
    """A process' mappings from /proc/<pid>/smaps: [file and offset, or None for memory of
    its own (heap, stacks), resident KiB, of which anonymous (copy-on-write) KiB]."""
    rows = []
    try:
        lines = Path(f"/proc/{pid}/smaps").read_text().splitlines()
    except OSError:
        return rows
    for line in lines:
        fields = line.split()
        if len(fields) >= 5 and "-" in fields[0] and not fields[0].endswith(":"):  # A mapping's header line.
            file = f"{fields[5]}@{fields[2]}" if len(fields) > 5 and fields[5].startswith("/") else None
            rows.append([file, 0, 0])
        elif rows and fields[:1] == ["Rss:"]:
            rows[-1][1] = int(fields[1])
        elif rows and fields[:1] == ["Anonymous:"]:
            rows[-1][2] = int(fields[1])
    return rows


def memory_once_megabytes(pids: list[int]) -> float:
    """The resident memory of a set of processes with each mapped file (torch's and
    TensorFlow's libraries, mapped by a warm trainer and by the projection service alike)
    counted once, where the sum of their RSS counts it once per process. A mapping's
    anonymous (copy-on-write) pages belong to its process and count for each."""
    files: dict[str, int] = {}
    own = 0
    for pid in pids:
        for file, resident, anonymous in _mappings(pid):
            if file is None:
                own += resident
            else:
                files[file] = max(files.get(file, 0), resident - anonymous)
                own += anonymous
    return (own + sum(files.values())) / 1024


def idle_memory(timeout: float = 600.0) -> dict:
    """Resident memory (MB) of ready idle warm workers of both frameworks and of the warmed
    projection service (its default warm-up steps), measured together."""
    from core.projector import service
    from core.runs import warm

    os.environ["DLLAB_WARM_WORKERS"] = "1"
    os.environ.pop("DLLAB_PROJECTOR_WARM", None)
    service.ensure_running()
    for framework in ("torch", "keras"):
        warm.ensure(framework)
    _wait_warm_settled(timeout)
    deadline = time.monotonic() + timeout
    while service.read_state().get("state") != "ready" and time.monotonic() < deadline:
        time.sleep(0.5)
    from core.runs import queue

    warm_mb = warm.idle_memory_megabytes()
    service_pid = service.read_state().get("pid")
    service_mb = warm.resident_megabytes(service_pid)
    with queue.queue_lock():
        pids = [entry[key] for entry in warm.idle_entries() for key in ("supervisor_pid", "trainer_pid") if entry.get(key)]
    once_mb = memory_once_megabytes([*pids, service_pid])
    return {"warm": warm_mb, "service": service_mb, "service_state": service.read_state().get("state"), "total": warm_mb + service_mb, "once": once_mb}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=None, help="default: the digits project's default")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--backend", choices=("keras", "torch"), default="keras")
    parser.add_argument("--bare-without-validation", action="store_true", help="the bare script skips the per-epoch validation pass")
    parser.add_argument("--keep", action="store_true", help="keep the temporary artifacts folder")
    parser.add_argument("--skip-memory", action="store_true", help="do not measure the idle warm workers' and projection service's memory")
    parser.add_argument("--profile", action="store_true", help="then run one worker under timers and print where its time goes")
    parser.add_argument("--profile-callback-epochs", type=int, default=10, help="with --profile: epochs of the warm fit with and without the reporter callback (0 skips it)")
    parser.add_argument("--profile-only", action="store_true", help="skip the comparison, run only --profile")
    arguments = parser.parse_args(argv)

    artifacts = Path(tempfile.mkdtemp(prefix="dllab-overhead-"))
    os.environ["DLLAB_ARTIFACTS"] = str(artifacts)
    os.environ.setdefault("DLLAB_WORKERS", "1")
    sys.path.insert(0, str(REPOSITORY_ROOT))
    from core import hyperparams
    from core.projects import get_project

    overrides = {} if arguments.epochs is None else {"epochs": arguments.epochs}
    parameters = hyperparams.resolve(get_project("digits").parameters, overrides)
    arguments.epochs = parameters.epochs
    try:
        if not arguments.profile_only:
            compare(arguments, parameters, artifacts)
        if arguments.profile or arguments.profile_only:
            run_profile(arguments.backend, arguments.epochs, arguments.profile_callback_epochs)
    finally:
        from core.projector import service
        from core.runs import warm

        warm.stop_idle()  # Nothing this benchmark started outlives it.
        service.stop()
        if arguments.keep:
            print(f"artifacts kept in {artifacts}")
        else:
            shutil.rmtree(artifacts, ignore_errors=True)
    return 0


def compare(arguments, parameters, artifacts: Path) -> None:
    print(f"overhead: digits cnn, {arguments.backend}, {arguments.epochs} epochs, {arguments.repeats} repeats, artifacts in {artifacts}", flush=True)
    load_before = os.getloadavg()[0]
    bare, queued, cold = [], [], []  # queued: the warm starts
    for repeat in range(arguments.repeats):
        # Alternate the order, so neither path always runs first (warmer caches, other load).
        order = ("bare", "warm", "cold") if repeat % 2 == 0 else ("cold", "warm", "bare")
        for kind in order:
            if kind == "bare":
                result = run_bare(arguments.backend, parameters, arguments.epochs, not arguments.bare_without_validation)
                bare.append(result)
                print(f"  [{repeat + 1}] bare : {result['seconds']:6.2f} s  (import {result['import']:.2f}, data {result['data']:.2f}, build {result['build']:.2f}, "
                      f"fit {result['fit']:.2f}, evaluate {result['evaluate']:.2f}; result at {result['result']:.2f}, exit at {result['seconds']:.2f}) test_accuracy {result['test_accuracy']:.4f}", flush=True)
            else:
                result = run_queued(arguments.backend, arguments.epochs, warm_start=kind == "warm")
                (queued if kind == "warm" else cold).append(result)
                print(f"  [{repeat + 1}] {kind} : {result['seconds']:6.2f} s  (submit returned {result['submit']:.2f}, worker started {result['worker_started']:.2f}, "
                      f"first metric {result['first_metric']:.2f}, first trained batch {result['first_trained']:.2f}, last epoch {result['last_epoch']:.2f}, finished written {result['finished_written']:.2f}, "
                      f"process exit {result['process_exit']:.2f}) test_accuracy {result['test_accuracy']:.4f}", flush=True)

    load_after = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    # Other processes on the machine (tests, other runs) make both sides slower, unevenly.
    warning = f" (above {cores} cores: other processes share the CPU, the figures are noisy)" if max(load_before, load_after) > cores else ""
    print(f"load average (1 min) before {load_before:.2f}, after {load_after:.2f}{warning}")
    bare_median = statistics.median(result["seconds"] for result in bare)
    queue_median = statistics.median(result["seconds"] for result in queued)
    ratio = queue_median / bare_median
    print(f"bare median : {bare_median:.2f} s (spawn to process exit)")
    print(f"warm queue median: {queue_median:.2f} s (submit to status finished)")
    # Two stricter pairings, for the record: exit against exit, result against result.
    exit_median = statistics.median(result["process_exit"] for result in queued)
    result_median = statistics.median(result["result"] for result in bare)
    print(f"  also: queue to worker exit {exit_median:.2f} s / bare exit = {exit_median / bare_median:.3f}; "
          f"queue finished / bare test result ({result_median:.2f} s) = {queue_median / result_median:.3f}")
    best_ratio = min(result["seconds"] for result in queued) / min(result["seconds"] for result in bare)
    print(f"  best of each (other load only adds time): queue/bare = {best_ratio:.3f}")
    print(f"ratio warm queue/bare: {ratio:.3f} (target <= {TARGET_RATIO}): {'PASS' if ratio <= TARGET_RATIO else 'FAIL'}", flush=True)
    cold_median = statistics.median(result["seconds"] for result in cold)
    print(f"  cold queue median {cold_median:.2f} s: cold queue/bare = {cold_median / bare_median:.3f}")
    warm_first = statistics.median(result["first_metric"] for result in queued)
    cold_first = statistics.median(result["first_metric"] for result in cold)
    print(f"launch -> first curve point (step 0), warm: {warm_first:.2f} s (target <= {TARGET_WARM_FIRST_POINT}): {'PASS' if warm_first <= TARGET_WARM_FIRST_POINT else 'FAIL'}; "
          f"cold: {cold_first:.2f} s (target <= {TARGET_COLD_FIRST_POINT}): {'PASS' if cold_first <= TARGET_COLD_FIRST_POINT else 'FAIL'}", flush=True)
    warm_trained = statistics.median(result["first_trained"] for result in queued)
    cold_trained = statistics.median(result["first_trained"] for result in cold)
    print(f"  launch -> first trained batch's point (step 1), warm: {warm_trained:.2f} s; cold: {cold_trained:.2f} s", flush=True)
    if not all(result["warm"] for result in queued):
        print("  note: a 'warm' run was not taken by a warm worker", flush=True)
    if not arguments.skip_memory:
        memory = idle_memory()
        print(f"memory (RSS): idle warm workers (torch + keras) {memory['warm']:.0f} MB + projection service ({memory['service_state']}) {memory['service']:.0f} MB = "
              f"{memory['total']:.0f} MB summed (each counts the libraries it shares with the others again)", flush=True)
        print(f"  together, each mapped library counted once: {memory['once']:.0f} MB (target <= {TARGET_MEMORY_MB} MB): {'PASS' if memory['once'] <= TARGET_MEMORY_MB else 'FAIL'}", flush=True)

if __name__ == "__main__":
    sys.exit(main())
