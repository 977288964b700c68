"""core.runs.index: the run index stays true to the run folders (deleted, damaged, written by two
processes, folders changed by hand, or the file unusable: listed from the folders then), the
Runs page pages and filters through it, and the Run page offers the newest runs, not all."""
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


# Without a usable index file: the folders are read, and the pages say nothing of it.

@pytest.fixture
def unusable(runs_root, monkeypatch, request):
    """How the index file fails: "directory" (a folder in its place), "connect" (opening it
    raises, as in a read-only or locked folder) or "read-only" (it opens, a write fails)."""
    how = request.param
    if how == "directory":
        index.index_path(runs_root).mkdir()
    elif how == "connect":
        def refused(path):
            raise sqlite3.OperationalError("unable to open database file")

        monkeypatch.setattr(index, "_open", refused)
    else:
        store.list_runs(runs_root)  # A sound index file, then opened read-only from now on.
        opened = index._open

        def read_only(path):
            connection = opened(path)
            connection.execute("PRAGMA query_only = ON")
            return connection

        index._connections.pop(str(index.index_path(runs_root)), None)
        monkeypatch.setattr(index, "_open", read_only)
    yield how
    index._memories.pop(str(runs_root), None)


@pytest.mark.parametrize("unusable", ["directory", "connect", "read-only"], indirect=True)
def test_without_a_usable_index_file_listing_filtering_and_paging_stay_right(runs_root, unusable, capsys):
    from core.analysis import run_table

    made = {make(runs_root, state): state for state in (*store.TERMINAL_STATUSES[:2], "queued", "finished")}
    tag = {"id": "20990101-000000-abcd", "name": "lr sweep", "axes": ["dropout"], "size": 2}
    study = [make(runs_root, study=tag, hyperparameters={"epochs": 2, "dropout": value}) for value in (0.1, 0.2)]
    made.update(dict.fromkeys(study, "finished"))
    assert states(runs_root) == made == truth(runs_root)
    assert "cannot be used" in capsys.readouterr().err  # Said to whoever reads the server's output.
    assert [run.id for run in store.list_active_runs(runs_root)] == [run_id for run_id, state in made.items() if state == "queued"]
    page = run_table.page_of_runs(run_table.RunFilter(states=("finished",)), page_size=2, root=runs_root)
    finished = sorted((run_id for run_id, state in made.items() if state == "finished"), reverse=True)
    assert [run.id for run in page.runs] == finished[:2] and (page.total, page.page_count) == (len(finished), 2)
    assert run_table.study_choices(runs_root) == {tag["id"]: "lr sweep (2)"}
    studied = run_table.page_of_runs(run_table.RunFilter(study=tag["id"]), root=runs_root)
    assert studied.hyperparameters == ["dropout"] and sorted(run.id for run in studied.runs) == sorted(study)
    # Changes made meanwhile are seen: a status written, a folder removed by hand, one added.
    changed = next(run_id for run_id, state in made.items() if state == "queued")
    store.write_status(runs_root / changed, status="cancelled")
    removed = finished[0]
    shutil.rmtree(runs_root / removed)
    added = make(runs_root, "failed")
    assert states(runs_root) == truth(runs_root)
    assert states(runs_root)[changed] == "cancelled" and removed not in states(runs_root) and added in states(runs_root)
    assert run_table.page_of_runs(run_table.RunFilter(states=("cancelled",)), root=runs_root).total == 1
    if unusable == "directory":
        assert index.index_path(runs_root).is_dir()  # Left as it is: it is not ours to remove.


@pytest.mark.parametrize("unusable", ["directory", "connect"], indirect=True)
def test_the_runs_and_run_pages_work_without_a_usable_index_file(runs_root, unusable, monkeypatch):
    monkeypatch.setattr("core.runs.queue.schedule", lambda *arguments, **options: [])
    failed = make(runs_root, "failed")
    made = sorted([make(runs_root), make(runs_root), failed], reverse=True)
    app = open_page("runs")
    assert not app.exception and not app.error and not app.warning
    assert table_ids(app) == made
    app.multiselect(key="runs_states").set_value(["failed"]).run()
    assert table_ids(app) == [failed]
    finished = min(run_id for run_id in made if run_id != failed)  # A failed run's page says it failed.
    run_page = open_page("run", query={"run": finished})
    assert not run_page.exception and not run_page.error and not run_page.warning
    assert run_page.selectbox[0].value == finished


def test_a_locked_index_file_is_waited_for_once_then_read_around(runs_root, monkeypatch):
    monkeypatch.setattr(index, "BUSY_TIMEOUT_SECONDS", 0.05)
    first = make(runs_root)
    index._connections.pop(str(index.index_path(runs_root)), None)  # Opened again with the short wait.
    holder = sqlite3.connect(index.index_path(runs_root), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # Another process holds the file, reads included.
    try:
        opened = []
        original = index._connection
        monkeypatch.setattr(index, "_connection", lambda root: opened.append(root) or original(root))
        second = make(runs_root, "failed")  # The row is not written (the file waits)...
        third = make(runs_root, "failed")  # ...and the next writes do not wait for the file again.
        assert len(opened) == 1
        assert states(runs_root) == {first: "finished", second: "failed", third: "failed"}
        # Listed from memory now: the file is not waited for at every listing.
        opened.clear()
        assert states(runs_root) == truth(runs_root) and not opened
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        index._memories.pop(str(runs_root), None)


def test_a_file_usable_again_is_used_again(runs_root, monkeypatch):
    index.index_path(runs_root).mkdir()
    made = make(runs_root)
    assert states(runs_root) == {made: "finished"}
    index.index_path(runs_root).rmdir()
    later = make(runs_root, "failed")
    monkeypatch.setattr(index, "FILE_RETRY_SECONDS", 0.0)
    assert states(runs_root) == {made: "finished", later: "failed"}
    assert str(runs_root) not in index._memories
    assert {run_id: row[0] for run_id, row in indexed_rows(runs_root).items()} == {made: "finished", later: "failed"}


# The Run page offers the newest runs and the chosen one, not every run.

def test_the_run_page_offers_the_newest_runs_and_the_chosen_one(runs_root, monkeypatch):
    monkeypatch.setattr("core.runs.queue.schedule", lambda *arguments, **options: [])
    monkeypatch.setattr(store, "PICKER_SIZE", 3)
    numbers = iter(range(100))
    monkeypatch.setattr(store, "new_run_id", lambda: f"20260101-0000{next(numbers):02d}-aaaaaa")  # In the order made.
    tag = {"id": "20990101-000000-abcd", "name": "dropout sweep", "axes": ["dropout"], "size": 3}
    made = [make(runs_root, study=tag, hyperparameters={"epochs": 2, "dropout": value}) for value in (0.1, 0.2)]
    made += [make(runs_root) for _ in range(4)]
    made.append(make(runs_root, study=tag, hyperparameters={"epochs": 2, "dropout": 0.3}))
    newest = sorted(made, reverse=True)[:3]
    app = open_page("run", query={"run": made[0]})
    assert not app.exception
    picker = app.selectbox[0]
    assert picker.value == made[0] and len(picker.options) == 4
    assert [option.rsplit(" · ", 1)[-1] for option in picker.options] == [*newest, made[0]]
    # A study's runs told apart by what varies across the whole study, not only those offered.
    assert "dropout sweep: dropout=0.1" in picker.options[-1] and "dropout sweep: dropout=0.3" in picker.options[0]
    assert any("3 newest runs" in caption.value and "all 7" in caption.value for caption in app.caption)
    assert "run_picker_all" in [button.key for button in app.button]
    # With no run asked for, the newest is shown.
    app = open_page("run")
    assert app.selectbox[0].value == newest[0] and len(app.selectbox[0].options) == 3


def test_run_choices_read_only_the_folders_they_offer(runs_root, reads):
    made = sorted((make(runs_root) for _ in range(6)), reverse=True)  # Newest first.
    reads.clear()
    choices = store.run_choices(made[-1], count=2, root=runs_root)
    assert [run.id for run in choices.runs] == [*made[:2], made[-1]] and [run.id for run in choices.chosen] == [made[-1]] and choices.total == 6
    assert set(reads) == {*made[:2], made[-1]}
    with pytest.raises(store.RunNotFound):
        store.run_choices("20000101-000000-nosuch", root=runs_root)
    with pytest.raises(store.RunNotFound):
        store.run_choices("../etc", root=runs_root)


def test_studies_are_listed_without_parsing_the_other_runs(runs_root, monkeypatch):
    from core import studies

    others = [make(runs_root) for _ in range(3)]
    tag = {"id": "20990101-000000-abcd", "name": "lr sweep", "axes": ["dropout"], "size": 2}
    study = sorted((make(runs_root, study=tag, hyperparameters={"epochs": 2, "dropout": value}) for value in (0.1, 0.2)), reverse=True)
    index._forget_parsed(runs_root)  # A process that has parsed nothing yet.
    parsed, original = [], index._remember_row
    with monkeypatch.context() as patch:
        patch.setattr(index, "_remember_row", lambda root, row: parsed.append(row[0]) or original(root, row))
        patch.setattr(store, "read_json", lambda path: pytest.fail(f"read {path}"))
        assert [run.id for run in store.list_study_runs(runs_root)] == study
        assert [(found.id, sorted(run.id for run in found.runs)) for found in studies.list_studies(runs_root)] == [(tag["id"], sorted(study))]
    assert parsed and set(parsed) <= set(study) and not set(parsed) & set(others)
    # Without a usable index, the folders are read: the same studies.
    index.index_path(runs_root).unlink()
    index.index_path(runs_root).mkdir()
    assert [run.id for run in store.list_study_runs(runs_root)] == study
    index._memories.pop(str(runs_root), None)


def test_the_run_pages_link_to_the_other_runs_opens_the_runs_page(runs_root, monkeypatch):
    from core.i18n import t

    monkeypatch.setattr("core.runs.queue.schedule", lambda *arguments, **options: [])
    monkeypatch.setattr(store, "PICKER_SIZE", 2)
    made = sorted((make(runs_root) for _ in range(4)), reverse=True)
    app = open_page(Path(__file__).resolve().parent.parent / "app" / "main.py", language="fr", query={"lang": "fr"})
    app.session_state["selected_run"] = made[-1]
    app.switch_page("../pages/run.py").run()
    assert not app.exception
    assert any(caption.value.startswith("Les 2 exécutions les plus récentes") and "les 4 sont" in caption.value for caption in app.caption)
    app.button(key="run_picker_all").click().run()
    assert not app.exception
    assert app.title[0].value == t("runs_title", "fr")
    assert made[-1] in table_ids(app)


# The cheap check against the folders (queue.schedule every 2 s, the run pickers at each rerun).

def settle(root: Path) -> None:
    """Date the runs folder's mtime back, as if nothing had been added to it for a while."""
    info = os.stat(root)
    os.utime(root, ns=(info.st_atime_ns, info.st_mtime_ns - int(10 * index.SETTLED_SECONDS * 1e9)))


def test_the_folder_names_are_compared_only_when_the_runs_folder_changed(runs_root, monkeypatch):
    kept = make(runs_root)
    running = make(runs_root, "running")
    settle(runs_root)
    compared = []
    original = index.folder_names
    monkeypatch.setattr(index, "folder_names", lambda root: compared.append(root) or original(root))
    assert [run.id for run in store.list_active_runs(runs_root)] == [running]
    assert len(compared) == 1
    mark = index.folder_mark(runs_root)
    # A status written (its row too: the journal is truncated, not deleted) leaves the runs folder's mtime.
    store.write_status(runs_root / running, status="finished")
    assert index.folder_mark(runs_root) == mark
    assert store.list_active_runs(runs_root) == [] and len(compared) == 1, "not compared again"
    # A folder added by hand changes it: compared, and the new run seen.
    shutil.copytree(runs_root / kept, runs_root / "20000101-000000-copied")
    store.write_json_atomically(runs_root / "20000101-000000-copied" / store.STATUS_FILE, {"status": "queued"})
    assert [run.id for run in store.list_active_runs(runs_root)] == ["20000101-000000-copied"]
    assert len(compared) == 2
    # Changed less than SETTLED_SECONDS ago: compared at every call until it settles.
    store.list_active_runs(runs_root)
    assert len(compared) == 3
    shutil.rmtree(runs_root / "20000101-000000-copied")
    settle(runs_root)
    assert store.list_active_runs(runs_root) == [] and len(compared) == 4
    assert "20000101-000000-copied" not in indexed_rows(runs_root)
    store.list_active_runs(runs_root)
    assert len(compared) == 4
    # And compared anyway once NAMES_CHECK_SECONDS have passed (a filesystem whose mtime lies).
    monkeypatch.setattr(index, "NAMES_CHECK_SECONDS", 0.0)
    store.list_active_runs(runs_root)
    assert len(compared) == 5


def test_an_index_of_the_first_version_is_brought_up_to_date_in_place(runs_root):
    made = sorted(make(runs_root) for _ in range(2))  # Oldest first (made in one second, ids sort by their random part).
    store.list_runs(runs_root)
    index._connections.pop(str(index.index_path(runs_root)))[1].close()
    with sqlite3.connect(index.index_path(runs_root)) as connection:
        connection.execute("DROP INDEX runs_by_state_id")
        connection.execute("DROP INDEX runs_by_project_id")
        connection.execute("CREATE INDEX runs_by_state ON runs (state)")
        connection.execute("UPDATE runs SET model = 'kept' WHERE id = ?", (made[0],))  # Not read from the folder again.
        connection.execute("PRAGMA user_version = 1")
    assert [run.id for run in index.select(runs_root, states=["finished"], limit=1)] == [made[1]]
    with sqlite3.connect(index.index_path(runs_root)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == index.SCHEMA_VERSION
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"runs_by_state_id", "runs_by_project_id"} <= names and "runs_by_state" not in names
        assert connection.execute("SELECT model FROM runs WHERE id = ?", (made[0],)).fetchone()[0] == "kept"


def test_select_pages_newest_first_across_states_and_projects(runs_root):
    kept = {"finished", "failed"}  # The states asked for, among runs of every ended state.
    made = {make(runs_root, state): state for state in "finished failed finished cancelled failed".split()}
    cvae = store.create_run({"project": "cvae", "dataset": "digits", "model": "cvae", "backend": "keras"}, runs_root)
    store.write_status(runs_root / cvae, status="failed")
    index.refresh(runs_root)
    wanted = sorted((run_id for run_id, state in made.items() if state in kept), reverse=True)
    assert [run.id for run in index.select(runs_root, states=sorted(kept), projects=["digits"], limit=2, offset=1)] == wanted[1:3]
    assert [run.id for run in index.select(runs_root, states=sorted(kept), projects=["digits"])] == wanted
    assert [run.id for run in index.select(runs_root, projects=["cvae"], limit=5)] == [cvae]
    assert index.count(runs_root, states=["failed"], projects=["digits", "cvae"]) == 3
