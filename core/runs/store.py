"""The run folder: params.json, status.json, metrics.jsonl, train.log, checkpoint, eval/.

Only the process that owns a run writes its folder: the launcher creates it (params and
a queued status), the worker does the rest, and reconcile marks a dead worker failed.
Listings read the run index (core.runs.index, .index.sqlite in the runs folder), which
the writes here keep true and which is rebuilt from the folders when missing or stale.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from core import config

# index imports this module too; each uses the other's names only at call time.
from core.runs import index as run_index

# The one vocabulary of a run's status.json "status"; every other list of states derives from it.
ACTIVE_STATUSES = ("queued", "running")
TERMINAL_STATUSES = ("finished", "failed", "cancelled")
STATUSES = ACTIVE_STATUSES + TERMINAL_STATUSES

PARAMS_FILE = "params.json"
STATUS_FILE = "status.json"
METRICS_FILE = "metrics.jsonl"
LOG_FILE = "train.log"
EVAL_DIR = "eval"
# Beside the runs folder: <artifacts>/enrichments/<run id>/, a student's images for a run (core.enrichment).
ENRICHMENTS_DIR = "enrichments"
# Runs a run picker offers besides the chosen one: formatting 10,000 labels at every rerun
# is slow; the Runs page filters and pages all of them.
PICKER_SIZE = 20
# Touched by cancel before it signals the worker, so a worker the signal killed outright
# (before it could handle it) is reconciled as cancelled rather than failed.
CANCEL_REQUEST_FILE = ".cancel-requested"


class RunNotFound(LookupError):
    """The run folder does not exist (never made, or deleted)."""


def write_json_atomically(path: Path, content: dict) -> None:
    """Write then rename, so a reader sees the old file or the new one, never half of one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(content, indent=1, default=str))
    os.replace(temporary, path)


def new_run_id() -> str:
    """Sortable by creation time, unique without a lock (random suffix)."""
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


def run_dir(run_id: str, root: Path | None = None) -> Path:
    # Run ids are generated; refuse anything that could walk out of the runs folder.
    if not run_id or "/" in run_id or "\\" in run_id or run_id.startswith("."):
        raise RunNotFound(f"run not found: {run_id!r}")
    return (root or config.runs_dir()) / run_id


def run_exists(run_id: str, root: Path | None = None) -> bool:
    """Whether `run_id` names a run folder (False for anything that is not a run id)."""
    try:
        return run_dir(run_id, root).is_dir()
    except RunNotFound:
        return False


def enrichment_dir(run_id: str, root: Path | None = None) -> Path:
    """The enrichment set made for a run (core.enrichment); it goes when the run goes."""
    return run_dir(run_id, root).parent.parent / ENRICHMENTS_DIR / run_id


@dataclass
class RunSummary:
    """One row of the run list: what params.json and status.json say."""

    id: str
    path: Path
    params: dict
    status: dict = field(default_factory=dict)

    @property
    def state(self) -> str:
        return self.status.get("status", "queued")

    @property
    def project(self) -> str:
        return self.params.get("project", "")

    @property
    def model(self) -> str:
        return self.params.get("model", "")

    @property
    def backend(self) -> str:
        return self.params.get("backend", "")

    @property
    def dataset(self) -> str:
        return self.params.get("dataset", "")

    @property
    def test_accuracy(self) -> float | None:
        return (self.status.get("results") or {}).get("test_accuracy")

    @property
    def training_seconds(self) -> float | None:
        """From the worker's start to its end; None until the run has ended."""
        started, finished = self.status.get("started"), self.status.get("finished")
        return finished - started if started is not None and finished is not None else None


def create_run(params: dict, root: Path | None = None) -> str:
    """Make the folder with params.json and a queued status; return the run id."""
    root = root or config.runs_dir()
    root.mkdir(parents=True, exist_ok=True)
    while True:
        run_id = new_run_id()
        path = root / run_id
        try:
            path.mkdir()  # Exclusive: two launches in the same second get two folders.
            break
        except FileExistsError:
            continue
    write_json_atomically(path / PARAMS_FILE, {"run_id": run_id, **params})
    write_json_atomically(path / STATUS_FILE, {"status": "queued", "created": time.time()})
    run_index.record(path)
    return run_id


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as error:
        raise ValueError(f"{path}: unreadable ({error})") from None


def read_params(path: Path) -> dict:
    if not path.is_dir():
        raise RunNotFound(f"run not found: {path.name}")
    return read_json(path / PARAMS_FILE)


def read_status(path: Path) -> dict:
    try:
        return read_json(path / STATUS_FILE)
    except FileNotFoundError:
        if not path.is_dir():
            raise RunNotFound(f"run not found: {path.name}") from None
        return {"status": "queued"}


def write_status(path: Path, **changes) -> dict:
    """Merge `changes` into status.json atomically and return the new status."""
    status = read_status(path)
    status.update(changes)
    write_json_atomically(path / STATUS_FILE, status)
    run_index.record(path)
    return status


def _summary(path: Path) -> RunSummary:
    """params.json and status.json of one folder. FileNotFoundError when it is gone; a
    damaged folder comes back as failed, so it can be seen and deleted, and does not
    block the queue or the list."""
    try:
        return RunSummary(id=path.name, path=path, params=read_json(path / PARAMS_FILE), status=read_status(path))
    except ValueError as error:
        return RunSummary(id=path.name, path=path, params={}, status={"status": "failed", "error": str(error)})


def load_run(run_id: str, root: Path | None = None) -> RunSummary:
    try:
        return _summary(run_dir(run_id, root))
    except (FileNotFoundError, RunNotFound):
        raise RunNotFound(f"run not found: {run_id}") from None


def list_runs(root: Path | None = None) -> list[RunSummary]:
    """Every run, newest first; a folder being created or deleted right now is skipped.
    From the run index, checked against the folders (a stat of each status.json)."""
    root = root or config.runs_dir()
    try:
        return run_index.summaries(root)
    except (sqlite3.Error, OSError):
        return scan_runs(root)  # The index is a shortcut: without it, read every folder.


def list_active_runs(root: Path | None = None) -> list[RunSummary]:
    """The queued and running runs, newest first, read from their folders; the files of
    ended runs are not read, so the cost does not grow with them (queue.schedule)."""
    root = root or config.runs_dir()
    try:
        return run_index.active_summaries(root)
    except (sqlite3.Error, OSError):
        return [run for run in scan_runs(root) if run.state in ACTIVE_STATUSES]


def list_study_runs(root: Path | None = None) -> list[RunSummary]:
    """Every run that belongs to a study (params["study"]), newest first: from the run index,
    checked against the folders, without building a summary of every other run."""
    root = root or config.runs_dir()
    try:
        run_index.refresh(root)
        return run_index.study_runs(root, [study_id for study_id, _, _ in run_index.studies(root)])
    except (sqlite3.Error, OSError):
        return [run for run in scan_runs(root) if isinstance(run.params.get("study"), dict) and "id" in run.params["study"]]


@dataclass
class RunChoices:
    """What a run picker offers: the newest runs and the chosen ones, without reading every run."""

    runs: list[RunSummary]  # the newest runs and the chosen ones, newest first
    chosen: list[RunSummary]  # the runs asked for that can be offered, in the order asked
    total: int  # the runs of this picker in all (more than len(runs): the others are on the Runs page)
    related: list[RunSummary]  # `runs` and the other runs of their studies, which tell a study's runs apart


def offer(newest: list[RunSummary], chosen: list[RunSummary], total: int, root: Path | None = None) -> RunChoices:
    """The RunChoices of a picker showing `newest` and the runs `chosen` (however old)."""
    by_id = {run.id: run for run in (*newest, *chosen)}
    runs = [by_id[run_id] for run_id in sorted(by_id, reverse=True)]
    return RunChoices(runs=runs, chosen=list(chosen), total=max(total, len(runs)), related=related_runs(runs, root))


def newest_runs(count: int, root: Path | None = None) -> tuple[list[RunSummary], int]:
    """The `count` newest runs, newest first, and how many run folders there are: from the
    folder names (run ids sort by creation time), reading only the folders returned."""
    if count < 0:
        raise ValueError(f"count: expected a number of runs >= 0, got {count}")
    root = root or config.runs_dir()
    names = run_index.folder_names(root) or set()
    runs = []
    for name in sorted(names, reverse=True):
        if len(runs) >= count:
            break
        try:
            runs.append(_summary(root / name))
        except (FileNotFoundError, RunNotFound):
            continue  # Being created or deleted right now.
    return runs, len(names)


def run_choices(chosen_id: str | None, count: int | None = None, root: Path | None = None) -> RunChoices:
    """The newest `count` runs (PICKER_SIZE) and the run `chosen_id`, for a picker: only the
    folders offered are read (and the names of the others). RunNotFound when `chosen_id` names no run."""
    root = root or config.runs_dir()
    count = PICKER_SIZE if count is None else count
    chosen = [load_run(chosen_id, root)] if chosen_id else []
    newest, total = newest_runs(count, root)
    return offer(newest, chosen, total, root)


def related_runs(runs: list[RunSummary], root: Path | None = None) -> list[RunSummary]:
    """`runs` and the other runs of their studies (from the index), which a picker needs to
    tell a study's runs apart by what varies across the whole study."""
    root = root or config.runs_dir()
    study_ids = {tag["id"] for tag in (run.params.get("study") for run in runs) if isinstance(tag, dict) and "id" in tag}
    try:
        members = run_index.study_runs(root, study_ids) if study_ids else []
    except (sqlite3.Error, OSError):
        members = []  # Told apart among those shown only.
    return list({run.id: run for run in (*members, *runs)}.values())


def check_index(root: Path | None = None) -> None:
    """Bring the run index up to date for select_runs and count_runs, at a cost that does not
    grow with ended runs: the active runs are read again from their folders (a run that has
    just finished), and the folder names compared with the index when the runs folder changed
    (core.runs.index.active_summaries); the few runs select_runs returns with a limit are
    checked against their folders as they are read. Never raises: without an index, the two
    read the folders."""
    try:
        run_index.active_summaries(root or config.runs_dir())
    except (sqlite3.Error, OSError):
        pass


def select_runs(projects: tuple[str, ...] = (), states: tuple[str, ...] = (), limit: int | None = None, offset: int = 0, root: Path | None = None) -> list[RunSummary]:
    """The runs of these projects and states (empty: any), newest first, `limit` of them from
    `offset` (None: all), from the run index as check_index left it."""
    root = root or config.runs_dir()
    try:
        return run_index.select(root, projects=projects, states=states, limit=limit, offset=offset)
    except (sqlite3.Error, OSError):
        kept = [run for run in scan_runs(root) if (not projects or run.project in projects) and (not states or run.state in states)]
        return kept[offset:] if limit is None else kept[offset : offset + limit]


def count_runs(projects: tuple[str, ...] = (), states: tuple[str, ...] = (), root: Path | None = None) -> int:
    """How many runs select_runs would give without a limit."""
    root = root or config.runs_dir()
    try:
        return run_index.count(root, projects=projects, states=states)
    except (sqlite3.Error, OSError):
        return len(select_runs(projects, states, root=root))


def scan_runs(root: Path) -> list[RunSummary]:
    """Every run read from its folder, newest first, without the index."""
    try:
        names = sorted((entry.name for entry in os.scandir(root) if entry.is_dir() and not entry.name.startswith(".")), reverse=True)
    except FileNotFoundError:
        return []
    runs = []
    for name in names:
        try:
            runs.append(_summary(root / name))
        except (FileNotFoundError, RunNotFound):
            continue  # Being created or deleted right now.
    return runs


def read_metrics(path: Path) -> list[dict]:
    """All metric lines of a run. A torn last line (a write in progress) is skipped;
    a broken line anywhere else raises ValueError naming the file and the line."""
    metrics_file = path / METRICS_FILE
    try:
        content = metrics_file.read_text()
    except FileNotFoundError:
        if not path.is_dir():
            raise RunNotFound(f"run not found: {path.name}") from None
        return []
    lines = content.split("\n")
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError:
            is_last = number == len(lines)  # No newline after it yet: still being written.
            if is_last:
                continue
            raise ValueError(f"{metrics_file}: line {number} is not valid JSON: {line[:80]!r}") from None
    return records


def log_tail(path: Path, line_count: int = 20) -> str:
    try:
        with open(path / LOG_FILE, "rb") as stream:
            stream.seek(0, os.SEEK_END)
            size = stream.tell()
            stream.seek(max(0, size - 16384))
            text = stream.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-line_count:])


def _remove_folder(path: Path) -> None:
    # Rename first so listings never see a half-deleted folder.
    trash = path.with_name(f".deleted-{path.name}-{secrets.token_hex(2)}")
    os.replace(path, trash)
    shutil.rmtree(trash, ignore_errors=True)


def delete_run(run_id: str, root: Path | None = None) -> None:
    """Delete the run folder and what belongs to that run only: its enrichment set."""
    path = run_dir(run_id, root)
    if not path.is_dir():
        raise RunNotFound(f"run not found: {run_id}")
    _remove_folder(path)
    run_index.forget(path.parent, run_id)
    enrichments = enrichment_dir(run_id, root)
    if enrichments.is_dir():
        _remove_folder(enrichments)
