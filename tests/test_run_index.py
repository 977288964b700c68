"""core.runs.index: the run index stays true to the run folders (deleted, damaged, written by two
processes, folders changed by hand) and the Runs page pages and filters through it."""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from core_fixtures import run_cli
from page_fixtures import open_page

from core.runs import index, processes, queue, store

DIGITS = {"project": "digits", "dataset": "digits", "model": "cnn", "backend": "torch"}


def make(root: Path, state: str = "finished", **params) -> str:
    run_id = store.create_run({**DIGITS, "hyperparameters": {"epochs": 2, "dropout": 0.25}, **params}, root)
    if state != "queued":
        store.write_status(root / run_id, status=state, **({"results": {"test_accuracy": 0.9}} if state == "finished" else {}))
    return run_id


def indexed_rows(root: Path) -> dict[str, tuple[str, dict]]:
    """Run id -> (state, status) as the index file holds them, read without refreshing it."""
    with sqlite3.connect(index.index_path(root)) as connection:
        return {run_id: (state, json.loads(status)) for run_id, state, status in connection.execute("SELECT id, state, status FROM runs")}


def truth(root: Path) -> dict[str, str]:
    return {run.id: run.state for run in store.scan_runs(root)}


def states(root: Path) -> dict[str, str]:
    return {run.id: run.state for run in store.list_runs(root)}


def test_the_writes_keep_the_index_true_and_list_runs_reads_it(runs_root):
    finished, failed, queued = make(runs_root), make(runs_root, "failed"), make(runs_root, "queued")
    assert {run_id: row[0] for run_id, row in indexed_rows(runs_root).items()} == {finished: "finished", failed: "failed", queued: "queued"}
    assert [run.id for run in store.list_runs(runs_root)] == sorted([finished, failed, queued], reverse=True)
    assert store.list_runs(runs_root)[0].params["project"] == "digits"
    store.delete_run(failed, runs_root)
    assert set(indexed_rows(runs_root)) == {finished, queued}


def test_a_deleted_index_is_rebuilt_and_nothing_is_lost(runs_root):
    made = {make(runs_root, state): state for state in (*store.TERMINAL_STATUSES, "queued", "finished")}
    assert states(runs_root) == made
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index.index_path(runs_root)}{suffix}").unlink(missing_ok=True)
    assert states(runs_root) == made
    assert {run_id: row[0] for run_id, row in indexed_rows(runs_root).items()} == made  # Rebuilt, not only read around.


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign table"])
def test_a_damaged_index_is_rebuilt_and_nothing_is_lost(runs_root, damage):
    made = {make(runs_root, state): state for state in (*store.TERMINAL_STATUSES[:2], "queued")}
    assert states(runs_root) == made  # This process now holds an open connection to it.
    path = index.index_path(runs_root)
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 500)
    elif damage == "truncated":
        with open(path, "r+b") as stream:
            stream.truncate(1000)
    else:  # A sound sqlite file that is not our index (another version, another program).
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE other (x)")
    assert states(runs_root) == made
    assert {run_id: row[0] for run_id, row in indexed_rows(runs_root).items()} == made
    later = make(runs_root, "failed")  # And the writes go on into the new one.
    assert indexed_rows(runs_root)[later][0] == "failed"


# One of two processes writing at once: runs created, started and finished, their ids printed.
# A fresh interpreter rather than multiprocessing's spawn, which re-runs the test process'
# __main__ (after AppTest, a page's script).
WRITER = """
import os, sys
from pathlib import Path
from core.runs import store
root, count = Path(sys.argv[1]), int(sys.argv[2])
for number in range(count):
    run_id = store.create_run({**DIGITS, "number": number, "writer": os.getpid()}, root)
    store.write_status(root / run_id, status="running", heartbeat=number)
    store.write_status(root / run_id, status="finished", results={"test_accuracy": number / count})
    print(run_id, flush=True)
"""


def test_two_processes_writing_at_once_lose_no_row(runs_root):
    code = f"DIGITS = {DIGITS!r}\n{WRITER}"
    environment = {**os.environ, "DLLAB_ARTIFACTS": str(runs_root.parent)}
    writers = [subprocess.Popen([sys.executable, "-c", code, str(runs_root), "50"], stdout=subprocess.PIPE, text=True, env=environment, cwd=Path(__file__).resolve().parent.parent) for _ in range(2)]
    made = []
    for writer in writers:
        output, _ = writer.communicate(timeout=300)
        assert writer.returncode == 0
        made += output.split()
    rows = indexed_rows(runs_root)  # As the two writers left it, before any listing repairs it.
    assert sorted(rows) == sorted(made) and len(set(made)) == 100
    for run_id in made:
        state, status = rows[run_id]
        assert state == "finished" and status == store.read_status(runs_root / run_id)


def test_a_folder_added_or_removed_by_hand_is_seen_in_the_next_listing(runs_root):
    kept, removed = make(runs_root), make(runs_root)
    assert len(store.list_runs(runs_root)) == 2
    shutil.copytree(runs_root / kept, runs_root / "20000101-000000-copied")  # Restored from a backup, say.
    shutil.rmtree(runs_root / removed)
    assert [run.id for run in store.list_runs(runs_root)] == [kept, "20000101-000000-copied"]
    assert set(indexed_rows(runs_root)) == {kept, "20000101-000000-copied"}
    shutil.rmtree(runs_root / kept)
    assert [run.id for run in store.list_runs(runs_root)] == ["20000101-000000-copied"]


def test_a_status_changed_behind_the_index_is_seen(runs_root):
    replaced, edited = make(runs_root, "queued"), make(runs_root, "running")
    assert states(runs_root) == {replaced: "queued", edited: "running"}
    # An older version of dllab writes status.json without telling the index...
    store.write_json_atomically(runs_root / replaced / store.STATUS_FILE, {"status": "cancelled"})
    # ...and a hand edit rewrites it in place, same size (a later second, as a person types).
    status_file = runs_root / edited / store.STATUS_FILE
    before = os.stat(status_file)
    text = status_file.read_text()
    status_file.write_text(text.replace('"running"', '"failed!"'))
    os.utime(status_file, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert os.stat(status_file).st_size == before.st_size and os.stat(status_file).st_ino == before.st_ino
    assert states(runs_root) == {replaced: "cancelled", edited: "failed!"}
    assert indexed_rows(runs_root)[replaced][0] == "cancelled"


def test_a_damaged_run_folder_is_listed_failed_and_seen_again_once_mended(runs_root):
    # Copied by hand with a torn params.json (params.json is written once: only such a folder has one).
    run_id = "20000101-000000-damaged"
    (runs_root / run_id).mkdir()
    (runs_root / run_id / store.PARAMS_FILE).write_text('{"project": "dig')
    store.write_json_atomically(runs_root / run_id / store.STATUS_FILE, {"status": "finished"})
    assert states(runs_root) == {run_id: "failed"}
    assert "unreadable" in store.list_runs(runs_root)[0].status["error"]
    (runs_root / run_id / store.PARAMS_FILE).write_text(json.dumps(DIGITS))  # Mended; status.json untouched.
    assert states(runs_root) == {run_id: "finished"}


def test_without_a_usable_index_the_folders_are_read(runs_root, monkeypatch):
    run_id = make(runs_root)

    def broken(*arguments, **options):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(index, "_connection", broken)
    assert states(runs_root) == {run_id: "finished"}
    assert [run.id for run in store.list_active_runs(runs_root)] == []


@pytest.fixture
def reads(monkeypatch):
    """Every run folder whose JSON files are read, or whose status.json is looked at (stat), from now on."""
    folders = []
    original_read, original_key = store.read_json, index.status_key

    def read_json(path):
        folders.append(Path(path).parent.name)
        return original_read(path)

    def status_key(status_file):
        folders.append(Path(status_file).parent.name)
        return original_key(status_file)

    monkeypatch.setattr(store, "read_json", read_json)
    monkeypatch.setattr(index, "status_key", status_key)
    return folders


def test_active_listing_reads_no_ended_run(runs_root, reads):
    ended = [make(runs_root, state) for state in store.TERMINAL_STATUSES for _ in range(5)]
    queued = make(runs_root, "queued")
    store.list_runs(runs_root)  # The index is fresh.
    # A queued folder made by hand (an older version's command line) and a status finished behind the index.
    by_hand = "20000101-000000-byhand"
    (runs_root / by_hand).mkdir()
    store.write_json_atomically(runs_root / by_hand / store.PARAMS_FILE, DIGITS)
    running = make(runs_root, "running")
    store.write_json_atomically(runs_root / running / store.STATUS_FILE, {"status": "finished"})
    reads.clear()
    assert [run.id for run in store.list_active_runs(runs_root)] == [queued, by_hand]
    assert set(reads) == {queued, by_hand, running}, "only the runs the index holds active, and the new folder"
    assert not set(reads) & set(ended)


def test_schedule_reads_no_finished_run(runs_root, reads, monkeypatch, stand_in_worker):
    monkeypatch.setenv("DLLAB_WARM_WORKERS", "0")
    finished = [make(runs_root) for _ in range(20)]
    # A running run whose worker lives, so the one slot is taken and nothing starts.
    running = make(runs_root, "running")
    store.write_status(runs_root / running, pid=stand_in_worker.pid, process_start=processes.start_time(stand_in_worker.pid))
    store.list_runs(runs_root)
    reads.clear()
    assert queue.schedule(runs_root) == []
    assert reads and set(reads) == {running}
    assert not set(reads) & set(finished)


def test_a_forked_child_does_not_use_its_parents_connection(runs_root):
    make(runs_root)
    store.list_runs(runs_root)  # The parent holds a connection.
    context = multiprocessing.get_context("fork")
    child = context.Process(target=make, args=(runs_root, "failed"))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert sorted(row[0] for row in indexed_rows(runs_root).values()) == sorted(store.TERMINAL_STATUSES[:2])
    assert sorted(states(runs_root).values()) == sorted(store.TERMINAL_STATUSES[:2])


def test_the_command_line_lists_runs_an_index_rebuilt_elsewhere(runs_root):
    run_id = make(runs_root)
    index.index_path(runs_root).unlink()
    result = run_cli("runs")
    assert result.returncode == 0, result.stderr
    assert run_id in result.stdout
    assert run_id in indexed_rows(runs_root)


# The Runs page, through the index.

def table_ids(app) -> list[str]:
    return list(app.dataframe[0].value["id"]) if app.dataframe else []


@pytest.fixture
def many_runs(runs_root, monkeypatch):
    """55 digits runs (the newest 6 a dropout study, one of them failed) and 2 cvae runs."""
    monkeypatch.setattr("core.runs.queue.schedule", lambda *arguments, **options: [])
    digits = [make(runs_root) for _ in range(49)]
    tag = {"id": "20990101-000000-abcd", "name": "dropout sweep", "axes": ["dropout"], "size": 6}
    study = [make(runs_root, "failed" if number == 2 else "finished", study=tag, hyperparameters={"epochs": 2, "dropout": number / 10}) for number in range(6)]
    cvae = [store.create_run({"project": "cvae", "dataset": "digits", "model": "cvae", "backend": "keras", "hyperparameters": {"epochs": 2}}, runs_root) for _ in range(2)]
    return {"digits": digits, "study": study, "cvae": cvae}


def test_the_runs_page_pages_its_table(many_runs):
    every = sorted((run_id for group in many_runs.values() for run_id in group), reverse=True)
    app = open_page("runs")
    assert not app.exception
    assert table_ids(app) == every[:50]
    assert app.number_input(key="runs_page").max == 2
    assert "Runs 1–50 of 57" in [caption.value for caption in app.caption]
    app.number_input(key="runs_page").set_value(2).run()
    assert not app.exception
    assert table_ids(app) == every[50:]
    # The action picker offers the runs of the page shown.
    assert len(app.selectbox(key="runs_selected").options) == 7


def test_the_runs_page_filters_by_project_state_study_and_text(many_runs):
    app = open_page("runs")
    app.number_input(key="runs_page").set_value(2).run()
    app.multiselect(key="runs_projects").set_value(["cvae"]).run()
    assert not app.exception
    assert table_ids(app) == sorted(many_runs["cvae"], reverse=True), "a new filter shows its first page"
    assert not app.number_input  # One page: no page picker.
    app.multiselect(key="runs_projects").set_value([]).run()
    app.multiselect(key="runs_states").set_value(["failed"]).run()
    assert table_ids(app) == [many_runs["study"][2]]
    app.multiselect(key="runs_states").set_value([]).run()

    app.selectbox(key="runs_study").set_value("20990101-000000-abcd").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert list(table["id"]) == sorted(many_runs["study"], reverse=True)
    # The study's varied hyperparameter is a column of its own, labelled; the fixed ones are not.
    assert sorted(table["hp_dropout"]) == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    labels = {name: column.get("label") for name, column in json.loads(app.dataframe[0].proto.columns).items()}
    assert "hp_dropout" in labels and labels["hp_dropout"] != "hp_dropout"
    assert all(text.startswith("dropout sweep: dropout=") for text in table["study"])
    app.selectbox(key="runs_study").set_value("").run()

    app.text_input(key="runs_text").set_value(many_runs["digits"][7][-6:]).run()
    assert table_ids(app) == [many_runs["digits"][7]]
    app.text_input(key="runs_text").set_value("KERAS cvae").run()
    assert table_ids(app) == sorted(many_runs["cvae"], reverse=True)
    app.text_input(key="runs_text").set_value("no-such-run").run()
    assert not app.exception
    assert "No run matches these filters." in [info.value for info in app.info]


def test_the_runs_page_sees_a_run_folder_removed_by_hand(many_runs, runs_root):
    app = open_page("runs")
    gone = table_ids(app)[0]
    shutil.rmtree(runs_root / gone)
    app.run()
    assert not app.exception
    assert gone not in table_ids(app) and "Runs 1–50 of 56" in [caption.value for caption in app.caption]


def test_a_page_past_the_last_is_the_last_and_every_word_of_the_text_must_match(runs_root):
    from core.analysis import run_table

    made = sorted((make(runs_root) for _ in range(3)), reverse=True)
    page = run_table.page_of_runs(run_table.RunFilter(), 5, page_size=2, root=runs_root)
    assert (page.number, page.page_count, page.total, page.first) == (2, 2, 3, 3)
    assert [run.id for run in page.runs] == made[2:]
    assert run_table.page_of_runs(run_table.RunFilter(text=f"TORCH {made[0][-6:]}"), root=runs_root).total == 1
    assert run_table.page_of_runs(run_table.RunFilter(text="torch keras"), root=runs_root).total == 0
    with pytest.raises(ValueError, match="page_size"):
        run_table.page_of_runs(run_table.RunFilter(), page_size=0, root=runs_root)
