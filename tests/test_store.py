"""core.runs.store: the run folder and its files."""
from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path

import pytest

from core.runs import store

PARAMS = {"project": "digits", "dataset": "digits", "model": "cnn", "backend": "torch", "hyperparameters": {"epochs": 2}}


@pytest.fixture
def root(tmp_path):
    return tmp_path / "runs"


def test_create_run_writes_params_and_a_queued_status(root):
    run_id = store.create_run(PARAMS, root)
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{6}", run_id)
    path = root / run_id
    assert json.loads((path / store.PARAMS_FILE).read_text()) == {"run_id": run_id, **PARAMS}
    status = json.loads((path / store.STATUS_FILE).read_text())
    assert status["status"] == "queued" and isinstance(status["created"], float)
    assert sorted(entry.name for entry in path.iterdir()) == [store.PARAMS_FILE, store.STATUS_FILE]


def test_load_run_and_list_runs(root):
    assert store.list_runs(root) == []  # The folder does not exist yet.
    first = store.create_run(PARAMS, root)
    second = store.create_run({**PARAMS, "backend": "keras"}, root)
    run = store.load_run(first, root)
    assert (run.id, run.path, run.state, run.project, run.model, run.backend, run.dataset) == (first, root / first, "queued", "digits", "cnn", "torch", "digits")
    assert run.test_accuracy is None

    store.write_status(root / second, status="finished", results={"test_accuracy": 0.9})
    listed = store.list_runs(root)
    assert sorted(run.id for run in listed) == sorted([first, second])
    assert [run.id for run in listed] == sorted((run.id for run in listed), reverse=True), "newest first"
    assert {run.id: run.state for run in listed} == {first: "queued", second: "finished"}
    assert store.load_run(second, root).test_accuracy == 0.9


def test_list_runs_skips_folders_being_made_or_deleted(root):
    run_id = store.create_run(PARAMS, root)
    (root / "20990101-000000-abcdef").mkdir()  # No params.json yet: being created.
    (root / ".deleted-old").mkdir()
    (root / ".queue.lock").write_text("")
    assert [run.id for run in store.list_runs(root)] == [run_id]


def test_run_ids_are_unique_when_created_at_the_same_moment(root):
    run_ids, barrier = [], threading.Barrier(8)

    def create():
        barrier.wait()
        run_ids.append(store.create_run(PARAMS, root))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(run_ids)) == 8
    assert len(store.list_runs(root)) == 8


def test_write_status_merges_and_leaves_no_temporary_file(root):
    run_id = store.create_run(PARAMS, root)
    path = root / run_id
    created = store.read_status(path)["created"]
    returned = store.write_status(path, status="running", pid=123)
    assert returned == store.read_status(path) == {"status": "running", "created": created, "pid": 123}
    store.write_status(path, heartbeat=5.0)
    assert store.read_status(path) == {"status": "running", "created": created, "pid": 123, "heartbeat": 5.0}
    assert [entry.name for entry in path.iterdir() if entry.name.startswith(".")] == []


def test_status_write_is_write_then_rename(root, monkeypatch):
    run_id = store.create_run(PARAMS, root)
    path = root / run_id
    before = (path / store.STATUS_FILE).read_text()

    def failing_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(store.os, "replace", failing_replace)
    with pytest.raises(OSError):
        store.write_status(path, status="running")
    # The rename never happened, so status.json is still the old, whole file.
    assert (path / store.STATUS_FILE).read_text() == before


def test_readers_never_see_a_half_written_status(root):
    run_id = store.create_run(PARAMS, root)
    path = root / run_id
    stop = threading.Event()
    errors = []

    def writer():
        count = 0
        while not stop.is_set():
            count += 1
            store.write_status(path, heartbeat=count, log_tail="x" * 200_000)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(300):
            try:
                status = store.read_status(path)
                assert status["status"] == "queued"
            except ValueError as error:  # read_status's message for an unreadable file.
                errors.append(error)
    finally:
        stop.set()
        thread.join()
    assert errors == []


def test_read_status_of_a_folder_without_one_is_queued_and_of_no_folder_raises(root):
    (root / "20990101-000000-abcdef").mkdir(parents=True)
    assert store.read_status(root / "20990101-000000-abcdef") == {"status": "queued"}
    with pytest.raises(store.RunNotFound):
        store.read_status(root / "20990101-000000-000000")


def test_unreadable_status_raises_value_error_naming_the_file(root):
    run_id = store.create_run(PARAMS, root)
    (root / run_id / store.STATUS_FILE).write_text('{"status": ')
    with pytest.raises(ValueError, match=re.escape(str(root / run_id / store.STATUS_FILE))):
        store.read_status(root / run_id)


def _metric(step, epoch, split="train", name="loss", value=1.0):
    return json.dumps({"step": step, "epoch": epoch, "split": split, "name": name, "value": value, "time": 0.0})


def test_read_metrics_reads_every_line(root):
    run_id = store.create_run(PARAMS, root)
    path = root / run_id
    assert store.read_metrics(path) == []  # No file yet.
    (path / store.METRICS_FILE).write_text("\n".join(_metric(step, 1) for step in range(3)) + "\n")
    assert [record["step"] for record in store.read_metrics(path)] == [0, 1, 2]


def test_read_metrics_skips_a_torn_last_line(root):
    run_id = store.create_run(PARAMS, root)
    path = root / run_id
    (path / store.METRICS_FILE).write_text(_metric(0, 1) + "\n" + _metric(1, 1) + "\n" + _metric(2, 1)[:25])
    assert [record["step"] for record in store.read_metrics(path)] == [0, 1]


def test_read_metrics_raises_on_a_broken_line_in_the_middle(root):
    run_id = store.create_run(PARAMS, root)
    path = root / run_id
    lines = [_metric(0, 1), _metric(1, 1)[:25], _metric(2, 1)]
    (path / store.METRICS_FILE).write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError) as raised:
        store.read_metrics(path)
    message = str(raised.value)
    assert str(path / store.METRICS_FILE) in message
    assert "line 2" in message


def test_read_metrics_raises_on_a_broken_last_line_that_was_completed(root):
    # A newline after it means the writer finished it: that is corruption, not a write in progress.
    run_id = store.create_run(PARAMS, root)
    path = root / run_id
    (path / store.METRICS_FILE).write_text(_metric(0, 1) + "\n" + "{not json}\n")
    with pytest.raises(ValueError, match="line 2"):
        store.read_metrics(path)


def test_read_metrics_of_a_missing_run_raises_run_not_found(root):
    with pytest.raises(store.RunNotFound):
        store.read_metrics(root / "20990101-000000-abcdef")


def test_log_tail_keeps_the_last_lines(root):
    run_id = store.create_run(PARAMS, root)
    path = root / run_id
    assert store.log_tail(path) == ""
    (path / store.LOG_FILE).write_text("".join(f"line {number}\n" for number in range(100)))
    assert store.log_tail(path, 3) == "line 97\nline 98\nline 99"


def test_delete_run_removes_the_folder(root):
    kept = store.create_run(PARAMS, root)
    deleted = store.create_run(PARAMS, root)
    (root / deleted / store.METRICS_FILE).write_text(_metric(0, 1) + "\n")
    store.delete_run(deleted, root)
    assert not (root / deleted).exists()
    assert [run.id for run in store.list_runs(root)] == [kept]
    assert [entry.name for entry in root.iterdir() if entry.name.startswith(".deleted")] == []
    with pytest.raises(store.RunNotFound):
        store.load_run(deleted, root)
    with pytest.raises(store.RunNotFound):
        store.delete_run(deleted, root)


@pytest.mark.parametrize("run_id", ["20990101-000000-abcdef", "../x", "..", ".", "", "a/b", "/etc", "..\\x", ".queue.lock"])
def test_unknown_or_path_like_ids_raise_run_not_found(root, run_id):
    store.create_run(PARAMS, root)
    # A folder that a path-like id could reach, with what looks like a run inside.
    outside = root.parent / "x"
    outside.mkdir(exist_ok=True)
    (outside / store.PARAMS_FILE).write_text("{}")
    with pytest.raises(store.RunNotFound):
        store.load_run(run_id, root)
    with pytest.raises(store.RunNotFound):
        store.delete_run(run_id, root)
    assert (outside / store.PARAMS_FILE).exists()
    assert len(store.list_runs(root)) == 1


def test_run_not_found_is_a_lookup_error():
    # Pages and the command line catch it as such.
    assert issubclass(store.RunNotFound, LookupError)
    assert os.path.basename(store.run_dir("20990101-000000-abcdef")) == "20990101-000000-abcdef"


def test_a_damaged_run_folder_is_listed_as_failed_and_blocks_nothing(tmp_path):
    good = store.create_run({"project": "digits"}, tmp_path)
    damaged = store.create_run({"project": "digits"}, tmp_path)
    (tmp_path / damaged / store.STATUS_FILE).write_text("{not json")
    runs = {run.id: run for run in store.list_runs(tmp_path)}
    assert runs[good].state == "queued"
    assert runs[damaged].state == "failed" and "status.json" in runs[damaged].status["error"]
    assert store.load_run(damaged, tmp_path).state == "failed"
    store.delete_run(damaged, tmp_path)
    assert [run.id for run in store.list_runs(tmp_path)] == [good]


def test_one_status_vocabulary():
    assert store.STATUSES == store.ACTIVE_STATUSES + store.TERMINAL_STATUSES
    assert not set(store.ACTIVE_STATUSES) & set(store.TERMINAL_STATUSES)


# Two different run statuses side by side in a tuple or list: a second copy of the vocabulary.
_LISTED_STATUSES = re.compile(r'[(\[]\s*"(queued|running|finished|failed|cancelled)"\s*,\s*"(queued|running|finished|failed|cancelled)"')


def test_no_module_lists_the_run_statuses_again():
    repository = Path(__file__).resolve().parents[1]
    # core/projector/results.py holds the projection jobs' own states.
    allowed = {repository / "core" / "runs" / "store.py", repository / "core" / "projector" / "results.py"}
    copies = [
        f"{path.relative_to(repository)}: {match.group(0)}"
        for folder in ("core", "pages", "app", "tests", "benchmarks")
        for path in sorted((repository / folder).rglob("*.py"))
        if path not in allowed
        for match in _LISTED_STATUSES.finditer(path.read_text())
        if match.group(1) != match.group(2)
    ]
    assert copies == []


def test_delete_run_deletes_its_enrichment_set_and_no_other(root):
    kept, deleted = store.create_run(PARAMS, root), store.create_run(PARAMS, root)
    for run_id in (kept, deleted):
        image = store.enrichment_dir(run_id, root) / "3" / "1.png"
        image.parent.mkdir(parents=True)
        image.write_bytes(b"png")
    assert store.enrichment_dir(deleted, root) == root.parent / "enrichments" / deleted
    store.delete_run(deleted, root)
    assert not store.enrichment_dir(deleted, root).exists()
    assert (store.enrichment_dir(kept, root) / "3" / "1.png").exists()
    assert [entry.name for entry in (root.parent / "enrichments").iterdir()] == [kept]  # No trash left.
    store.delete_run(kept, root)
    assert not store.enrichment_dir(kept, root).exists()
