"""The run index: one sqlite file in the runs folder (.index.sqlite) that lists, filters and
pages runs without reading every folder.

The run folders stay the truth and the index is disposable: deleted, damaged or from an
older schema, it is rebuilt from the folders. Each row keeps the (inode, mtime_ns, size)
of the status.json it was read from, taken before the read; a listing compares them with
the folders (one scandir and one stat per run), so a folder added or removed by hand, or
a status.json written by a process that does not update the index, is seen in the next
listing. store.create_run, write_status and delete_run keep it true between listings.

Two processes may write at once: sqlite's locks serialise the writers (busy timeout) and a
row is replaced whole. A row written from an older read carries the older file's key, so
the next listing sees the difference and reads the folder again. The rollback journal, not
WAL: a WAL index deleted by hand while a process has it open leaves its -wal and -shm
files to the new file, which mixes two databases; and without fsync (synchronous=OFF, a
commit costs under a millisecond), as the worst a power cut can do is damage the index,
which is then rebuilt. The journal is truncated, not deleted, after a commit: so a commit
adds or removes no entry of the runs folder, and the folder's mtime changes only when a
run folder (or a file beside them) is added, removed or renamed (see active_summaries).

An index file that cannot be used (a read-only artifacts folder, a directory or a file locked
in its place) is not an error: the process keeps an index in memory instead, filled from the
folders and checked against them in the same way (slower at its first listing, then the
same), and tries the file again after FILE_RETRY_SECONDS.
"""
from __future__ import annotations

import collections
import functools
import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from core import filelock

# store imports this module too; its names are used only at call time, so either may load first.
from core.runs import store

INDEX_FILE = ".index.sqlite"
RESET_LOCK_FILE = ".index.lock"
# Bump when the table changes: an index of another version is dropped and rebuilt, unless
# MIGRATIONS brings it up to date in place (a rebuild reads every folder again).
SCHEMA_VERSION = 2
BUSY_TIMEOUT_SECONDS = 10.0
# Connections kept open per process (one per runs folder); a test session opens many folders.
MAX_CONNECTIONS = 4
# Fetch parsed rows by id in chunks below sqlite's limit of bound variables.
CHUNK = 500
NO_FILE = (None, None, None)  # The key of a status.json that does not exist (yet).
NO_ENTRY = (object(),)  # A cache entry whose key matches none.
# How long a process whose index file failed lists from its index in memory (and writes no
# row into the file) before it tries the file again: a lock or a read-only disk rarely
# goes away sooner, and each try of a locked file waits BUSY_TIMEOUT_SECONDS.
FILE_RETRY_SECONDS = 300.0
# active_summaries skips comparing the folder names with the index while the runs folder's
# mtime is the one it had when they last agreed. A folder changed this recently may change
# again within the same timestamp (a coarse clock, a network filesystem's lag): its mtime
# is trusted only once this old.
SETTLED_SECONDS = 2.0
# The names are compared anyway this often, so a filesystem whose folder mtime lies (a
# network one's attribute cache) is still seen within it.
NAMES_CHECK_SECONDS = 60.0

SCHEMA = (
    # A rowid table: rows of a kilobyte or more overflow the pages of a WITHOUT ROWID one.
    """CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    status_inode INTEGER, status_mtime_ns INTEGER, status_size INTEGER,
    damaged INTEGER NOT NULL,
    state TEXT NOT NULL,
    project TEXT NOT NULL, model TEXT NOT NULL, dataset TEXT NOT NULL, backend TEXT NOT NULL,
    study_id TEXT, study_name TEXT,
    search TEXT NOT NULL,
    params TEXT NOT NULL,
    status TEXT NOT NULL
)""",
    # Run ids sort by creation time: the newest runs of some states (and projects) are read off
    # these indexes in order, without a sort of every row or a read of the rows left out.
    "CREATE INDEX runs_by_state_id ON runs (state, id, project)",
    "CREATE INDEX runs_by_project_id ON runs (project, id)",
    "CREATE INDEX runs_by_study ON runs (study_id)",
)
# Version -> the statements that bring an index of that version to the next one.
MIGRATIONS = {
    1: ("DROP INDEX IF EXISTS runs_by_state", "CREATE INDEX runs_by_state_id ON runs (state, id, project)", "CREATE INDEX runs_by_project_id ON runs (project, id)"),
}
COLUMNS = ("id", "status_inode", "status_mtime_ns", "status_size", "damaged", "state", "project", "model", "dataset", "backend", "study_id", "study_name", "search", "params", "status")
# What a summary is made of (_summaries), in this order.
ROW_COLUMNS = "id, status_inode, status_mtime_ns, status_size, damaged, params, status"
UPSERT = f"INSERT OR REPLACE INTO runs ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"

_lock = threading.RLock()
# str(index path) -> (pid, connection, (st_dev, st_ino) of the file it opened); most recent last.
_connections: collections.OrderedDict = collections.OrderedDict()
# Connections a forked child inherited: sqlite forbids using one across fork, so they are
# neither used nor closed there, only kept from the garbage collector.
_inherited: list = []
# runs folder -> run id -> (status key, path, params, status, damaged): parsed once per process.
_parsed: dict = {}
# str(runs folder) -> its _Memory index, while the file is unusable.
_memories: dict = {}
# str(runs folder) -> when a write of one row last failed (a locked file would make every
# status write of a worker wait BUSY_TIMEOUT_SECONDS): rows are not written for a while.
_write_failures: dict = {}
# str(runs folder) -> (its mark, the index it was compared with, when) once its folder names
# and the index's ids last agreed (active_summaries).
_names_agreed: dict = {}


class _Memory:
    """An index in this process's memory, used while the file cannot be."""

    def __init__(self):
        self.pid = os.getpid()
        self.connection = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        for statement in SCHEMA:
            self.connection.execute(statement)
        self.since = time.monotonic()  # When the file last failed.
        self.trying_file = False  # Set while a listing tries the file again.


class _Restart(Exception):
    """The index file failed in the middle of an operation: start it again in memory."""


def index_path(root: Path) -> Path:
    return Path(root) / INDEX_FILE


# Reading the folders.

def status_key(status_file: str) -> tuple:
    """What tells one status.json from the next: inode (a write replaces the file), mtime, size."""
    try:
        info = os.stat(status_file)
    except FileNotFoundError:
        return NO_FILE
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def folder_keys(root: Path) -> dict[str, tuple] | None:
    """Run id -> status key of every run folder; None when the runs folder does not exist."""
    try:
        entries = os.scandir(root)
    except FileNotFoundError:
        return None
    keys = {}
    with entries:
        for entry in entries:
            if not entry.name.startswith(".") and entry.is_dir():
                keys[entry.name] = status_key(f"{entry.path}/{store.STATUS_FILE}")
    return keys


def folder_mark(root: Path) -> tuple | None:
    """What changes when an entry of the runs folder is added, removed or renamed: its inode
    and mtime (a write inside a run folder changes that folder's mtime, not this one's)."""
    try:
        info = os.stat(root)
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_mtime_ns)


def folder_names(root: Path) -> set[str] | None:
    """The run folders' names, without a stat of each."""
    try:
        with os.scandir(root) as entries:
            return {entry.name for entry in entries if not entry.name.startswith(".") and entry.is_dir()}
    except FileNotFoundError:
        return None


def read_folder(path: Path) -> tuple[tuple, tuple] | None:
    """(index row, parsed entry) of one run folder, its status key taken before reading (so
    a write after the stat leaves a key that no longer matches); None while the folder is
    being made or removed."""
    key = status_key(str(path / store.STATUS_FILE))
    damaged = False
    try:
        params = store.read_json(path / store.PARAMS_FILE)
        status = store.read_status(path)
    except (FileNotFoundError, store.RunNotFound):
        return None
    except ValueError as error:
        # Seen as failed, so it can be deleted and blocks nothing; read again at every listing.
        params, status, damaged = {}, {"status": "failed", "error": str(error)}, True
    return _row(path.name, key, damaged, params, status), (key, path, params, status, damaged)


def _row(run_id: str, key: tuple, damaged: bool, params: dict, status: dict) -> tuple:
    tag = params.get("study")
    study_id, study_name = (str(tag["id"]), str(tag.get("name", tag["id"]))) if isinstance(tag, dict) and "id" in tag else (None, None)
    fields = [str(params.get(name, "")) for name in ("project", "model", "dataset", "backend")]
    search = " ".join([run_id, *fields, study_name or ""]).casefold()
    state = str(status.get("status", "queued"))
    return (run_id, *key, int(damaged), state, *fields, study_id, study_name, search, json.dumps(params, default=str), json.dumps(status, default=str))


# The sqlite file.

def _file_id(path: Path) -> tuple | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return (info.st_dev, info.st_ino)


def _open(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False)
    try:
        connection.execute("PRAGMA journal_mode=TRUNCATE")
        connection.execute("PRAGMA synchronous=OFF")
        if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            connection.execute("BEGIN IMMEDIATE")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            while version in MIGRATIONS and version != SCHEMA_VERSION:
                for statement in MIGRATIONS[version]:
                    connection.execute(statement)
                version += 1
            if version != SCHEMA_VERSION:
                connection.execute("DROP TABLE IF EXISTS runs")
                for statement in SCHEMA:
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("COMMIT")
    except BaseException:
        connection.close()
        raise
    return connection


def _connection(root: Path) -> sqlite3.Connection:
    """This process's connection to the index of `root`, opened again when the file was
    deleted or replaced (a connection would go on writing into the unlinked file)."""
    path = index_path(root)
    name = str(path)
    entry = _connections.pop(name, None)
    file_id = _file_id(path)
    if entry is not None:
        pid, connection, opened_id = entry
        if pid == os.getpid() and file_id is not None and opened_id == file_id:
            _connections[name] = entry
            return connection
        _drop(entry)
    connection = _open(path)
    _connections[name] = (os.getpid(), connection, _file_id(path))
    while len(_connections) > MAX_CONNECTIONS:
        _drop(_connections.popitem(last=False)[1])
    return connection


def _drop(entry: tuple) -> None:
    pid, connection, _ = entry
    if pid == os.getpid():
        connection.close()
    else:
        _inherited.append(connection)


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    return getattr(error, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in str(error) or "not a database" in str(error)


def _reset(root: Path) -> None:
    """Remove a damaged index (rebuilt by the next refresh). Under a lock, checked again
    there: another process may have replaced it by a sound one meanwhile."""
    path = index_path(root)
    # This process's lock too: another thread may be using the connection closed here.
    with _lock, filelock.exclusive(Path(root) / RESET_LOCK_FILE):
        entry = _connections.pop(str(path), None)
        if entry is not None:
            _drop(entry)
        try:
            probe = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
            try:
                if probe.execute("PRAGMA quick_check").fetchone()[0] == "ok":
                    return
            finally:
                probe.close()
        except sqlite3.DatabaseError:
            pass
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(f"{path}{suffix}")
            except FileNotFoundError:
                pass
        _forget_parsed(root)


def _memory(root: Path) -> _Memory | None:
    memory = _memories.get(str(root))
    if memory is not None and memory.pid != os.getpid():
        # Inherited through fork: sqlite forbids it there; this process tries the file itself.
        _memories.pop(str(root), None)
        _inherited.append(memory.connection)
        return None
    return memory


def _in_memory(root: Path) -> bool:
    memory = _memory(root)
    return memory is not None and not memory.trying_file


def _has_index(root: Path) -> bool:
    """Whether there is an index to read (a query must not create a file in a missing folder)."""
    return _in_memory(root) or index_path(root).exists()


def _fall_back(root: Path, error: Exception) -> None:
    """Go on with an index in memory, filled from the folders (the rows read once per
    process are not read again); said on stderr only: the listing stays right."""
    with _lock:
        memory = _memory(root)
        if memory is None:
            memory = _memories[str(root)] = _Memory()
            print(f"dllab: the run index {index_path(root)} cannot be used ({error}); runs are listed from their folders", file=sys.stderr, flush=True)
        memory.trying_file = False
        memory.since = time.monotonic()
    _refresh(root)


def _try_file_again(root: Path) -> None:
    memory = _memory(root)
    if memory is not None and not memory.trying_file and time.monotonic() - memory.since >= FILE_RETRY_SECONDS:
        memory.trying_file = True


def _file_works(root: Path) -> None:
    """A listing went through the file again: the index in memory goes."""
    with _lock:
        memory = _memory(root)
        if memory is not None and memory.trying_file:
            _memories.pop(str(root), None)
            memory.connection.close()


def _with_index(root: Path, operation: Callable[[sqlite3.Connection], object], fall_back: bool = True):
    """operation(connection) under this process's lock; a damaged index is removed and
    the operation tried once more on a new one. An unusable file (`fall_back`): the
    process goes on with an index in memory, and _Restart asks the caller to start again."""
    for attempt in (1, 2):
        try:
            with _lock:
                if _in_memory(root):
                    return operation(_memory(root).connection)
                return operation(_connection(root))
        except (sqlite3.DatabaseError, OSError) as error:
            failure = error
            if isinstance(error, sqlite3.DatabaseError) and _is_damage(error) and attempt == 1:
                try:
                    _reset(root)
                    continue
                except (sqlite3.Error, OSError) as reset_error:  # A read-only folder, say.
                    failure = reset_error
            unusable = isinstance(failure, (sqlite3.OperationalError, OSError)) or (isinstance(failure, sqlite3.DatabaseError) and _is_damage(failure))
            if not fall_back or not unusable or _in_memory(root):
                raise
            _fall_back(root, failure)
            raise _Restart() from failure


def _listing(function):
    """A public operation, started again in memory when the file failed in its middle."""
    @functools.wraps(function)
    def wrapper(root, *arguments, **options):
        # An iterator would be spent by the first try.
        arguments = [list(value) if isinstance(value, Iterator) else value for value in arguments]
        options = {name: list(value) if isinstance(value, Iterator) else value for name, value in options.items()}
        try:
            return function(root, *arguments, **options)
        except _Restart:
            return function(root, *arguments, **options)
    return wrapper


def _write(connection: sqlite3.Connection, rows: Iterable[tuple] = (), gone: Iterable[str] = ()) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.executemany(UPSERT, rows)
        connection.executemany("DELETE FROM runs WHERE id = ?", ((run_id,) for run_id in gone))
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


# The in-process cache of parsed rows.

def _cache(root: Path) -> dict:
    return _parsed.setdefault(str(root), {})


def _remember_row(root: Path, row: tuple) -> tuple:
    """The entry of a row (id, inode, mtime_ns, size, damaged, params, status) read from the
    index: (key, path, params, status, damaged)."""
    entry = (tuple(row[1:4]), Path(root) / row[0], json.loads(row[-2]), json.loads(row[-1]), bool(row[4]))
    _cache(root)[row[0]] = entry
    return entry


def _forget_parsed(root: Path, run_ids: Iterable[str] | None = None) -> None:
    cache = _cache(root)
    if run_ids is None:
        cache.clear()
    for run_id in run_ids or ():
        cache.pop(run_id, None)


def _summary(entry: tuple, run_id: str) -> store.RunSummary:
    return store.RunSummary(id=run_id, path=entry[1], params=entry[2], status=entry[3])


def _summaries(root: Path, rows: list[tuple]) -> list[store.RunSummary]:
    """RunSummary of rows (id, inode, mtime_ns, size, damaged, params, status), parsing only those
    this process has not parsed at that key."""
    cache, summaries = _cache(root), []
    for row in rows:
        entry = cache.get(row[0])
        if entry is None or entry[0] != tuple(row[1:4]):
            entry = _remember_row(root, row)
        summaries.append(_summary(entry, row[0]))
    return summaries


# What the store and the pages call.

def _writes_paused(root: Path) -> bool:
    failed = _write_failures.get(str(root))
    return failed is not None and time.monotonic() - failed < FILE_RETRY_SECONDS and not _in_memory(root)


def _write_one(root: Path, rows: list[tuple] = (), gone: list[str] = ()) -> None:
    """Write rows after a change to a folder; a failure is only noted: the folder is the truth,
    and the next listing reads again a folder whose status.json changed."""
    if _writes_paused(root):
        return
    try:
        _with_index(root, lambda connection: _write(connection, rows, gone), fall_back=False)
    except (sqlite3.Error, OSError):
        _write_failures[str(root)] = time.monotonic()
    else:
        _write_failures.pop(str(root), None)


def record(path: Path) -> None:
    """After a write to a run folder: its row, read back from its files. Never raises: the
    folder is the truth, and a row left behind is read again by the next listing."""
    try:
        read = read_folder(path)
    except OSError:
        return
    if read is not None:
        _write_one(path.parent, rows=[read[0]])
        _cache(path.parent)[path.name] = read[1]


def forget(root: Path, run_id: str) -> None:
    """After a run folder was deleted: its row goes. Never raises (the next listing removes it)."""
    _write_one(Path(root), gone=[run_id])
    _forget_parsed(root, [run_id])


@_listing
def refresh(root: Path, keys: dict[str, tuple] | None = None) -> dict[str, tuple]:
    """Make the index agree with the folders: rows for new or changed folders (or damaged
    ones, read again), none for removed ones. Returns run id -> status key of every folder
    (`keys`, when the caller has just taken them)."""
    root = Path(root)
    _try_file_again(root)
    keys = _refresh(root, keys)
    _file_works(root)
    return keys


def _refresh(root: Path, keys: dict[str, tuple] | None = None) -> dict[str, tuple]:
    keys = folder_keys(root) if keys is None else keys
    if not keys:
        if keys is not None and _has_index(root):
            _with_index(root, lambda connection: connection.execute("DELETE FROM runs"))
            _forget_parsed(root)
        return keys or {}
    query = "SELECT id, status_inode, status_mtime_ns, status_size, damaged FROM runs"
    indexed = {row[0]: row[1:] for row in _with_index(root, lambda connection: connection.execute(query).fetchall())}
    cache, rows = _cache(root), []
    for run_id, key in keys.items():
        known = indexed.get(run_id)
        if known is not None and known[:3] == key and not known[3]:
            continue
        entry = cache.get(run_id) or NO_ENTRY
        if known is None and entry[0] == key and not entry[4]:
            # Parsed by this process already (an index in memory being filled): no file read.
            rows.append(_row(run_id, key, False, entry[2], entry[3]))
            continue
        read = read_folder(root / run_id)
        if read is None:
            continue
        row, entry = read
        cache[run_id] = entry
        # A damaged folder still damaged at the same key: nothing to write.
        if known is None or known[:3] != entry[0] or known[3] != row[4]:
            rows.append(row)
    gone = [run_id for run_id in indexed if run_id not in keys]
    if rows or gone:
        _with_index(root, lambda connection: _write(connection, rows, gone))
        _forget_parsed(root, gone)
    return keys


@_listing
def summaries(root: Path) -> list[store.RunSummary]:
    """Every run, newest first (store.list_runs). The params and status dicts are shared with
    this process's cache: read them, do not change them."""
    root = Path(root)
    keys = refresh(root)
    cache = _cache(root)
    missing = [run_id for run_id, key in keys.items() if (cache.get(run_id) or NO_ENTRY)[0] != key]
    if missing:
        # A cold process parses what the index holds rather than reading the folders.
        query = f"SELECT {ROW_COLUMNS} FROM runs"
        if len(missing) > CHUNK:
            rows = _with_index(root, lambda connection: connection.execute(query).fetchall())
        else:
            rows = _with_index(root, lambda connection: connection.execute(f"{query} WHERE id IN ({', '.join('?' * len(missing))})", missing).fetchall())
        for row in rows:
            if keys.get(row[0]) == tuple(row[1:4]):
                _remember_row(root, row)
    result = []
    for run_id in sorted(keys, reverse=True):
        entry = cache.get(run_id)
        if entry is None or entry[0] != keys[run_id]:
            # Written between our stat and our read, or a folder still being made: read it now.
            read = read_folder(root / run_id)
            if read is None:
                continue
            entry = cache[run_id] = read[1]
        result.append(_summary(entry, run_id))
    return result


@_listing
def active_summaries(root: Path) -> list[store.RunSummary]:
    """The queued and running runs, newest first, each read from its folder; no file of an
    ended run is read. The folder names are compared with the index (to see folders added or
    removed by hand) only when the runs folder's mtime changed since they last agreed."""
    root = Path(root)
    mark = folder_mark(root)
    if mark is None:
        return []
    source = _index_source(root)
    agreed = _names_agreed.get(str(root))
    names = None
    if agreed is None or agreed[:2] != (mark, source) or time.monotonic() - agreed[2] >= NAMES_CHECK_SECONDS:
        names = folder_names(root)
        if not names:
            return []
    marks = ", ".join("?" * len(store.ACTIVE_STATUSES))

    def read(connection):
        indexed = {row[0] for row in connection.execute("SELECT id FROM runs")} if names is not None else set()
        active = {row[0]: row[1:] for row in connection.execute(f"SELECT id, status_inode, status_mtime_ns, status_size FROM runs WHERE state IN ({marks})", store.ACTIVE_STATUSES)}
        return indexed, active

    indexed, active = _with_index(root, read)
    added, gone = (names - indexed, indexed - names) if names is not None else (set(), set())
    cache, rows, found, unread = _cache(root), [], [], False
    for run_id in sorted(added | (active.keys() - gone), reverse=True):
        read_back = read_folder(root / run_id)
        if read_back is None:
            unread = unread or run_id in added  # Still being made: compare the names again next time.
            continue
        row, entry = read_back
        if active.get(run_id) != entry[0]:
            rows.append(row)
        cache[run_id] = entry
        found.append(_summary(entry, run_id))
    if rows or gone:
        _with_index(root, lambda connection: _write(connection, rows, gone))
        _forget_parsed(root, gone)
    if names is not None and not unread and time.time_ns() - mark[1] >= SETTLED_SECONDS * 1e9:
        _names_agreed[str(root)] = (mark, source, time.monotonic())
    return [run for run in found if run.state in store.ACTIVE_STATUSES]


def _index_source(root: Path) -> tuple:
    """Which index a listing reads: the file (its device and inode) or this process's memory."""
    memory = _memory(root) if _in_memory(root) else None
    return ("memory", id(memory)) if memory is not None else ("file", _file_id(index_path(root)))


def _where(projects: Iterable[str] = (), states: Iterable[str] = (), study: str | None = None, text: str = "") -> tuple[str, list]:
    clauses, values = [], []
    for column, chosen in (("project", list(projects or ())), ("state", list(states or ()))):
        if chosen:
            clauses.append(f"{column} IN ({', '.join('?' * len(chosen))})")
            values += chosen
    if study:
        clauses.append("study_id = ?")
        values.append(study)
    for word in (text or "").casefold().split():
        clauses.append("instr(search, ?) > 0")
        values.append(word)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", values


@_listing
def select(root: Path, projects: Iterable[str] = (), states: Iterable[str] = (), study: str | None = None, text: str = "", limit: int | None = None, offset: int = 0) -> list[store.RunSummary]:
    """The runs the filters keep, newest first, `limit` of them from `offset`; `text` keeps
    the runs whose id, project, model, dataset, backend or study name hold every word of it.
    Reads the index as it is: call refresh() (or active_summaries(), cheaper) first."""
    if not _has_index(root):
        return []
    where, values = _where(projects, states, study, text)
    if limit is None:
        # Every row: sorted here, as sqlite would sort whole rows (their params and status) too.
        rows = _with_index(root, lambda connection: connection.execute(f"SELECT {ROW_COLUMNS} FROM runs{where}", values).fetchall())
        return _summaries(Path(root), sorted(rows, key=lambda row: row[0], reverse=True))
    # The ids first, off an index, then only their rows: sorting whole rows to keep a few is slow.
    paging = f" ORDER BY id DESC LIMIT {int(limit)} OFFSET {max(0, int(offset))}"

    def read(connection):
        ids = [row[0] for row in connection.execute(f"SELECT id FROM runs{where}{paging}", values)]
        by_id = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            by_id.update((row[0], row) for row in connection.execute(f"SELECT {ROW_COLUMNS} FROM runs WHERE id IN ({', '.join('?' * len(chunk))})", chunk))
        return [by_id[run_id] for run_id in ids if run_id in by_id]

    rows = _with_index(root, read)
    # The few rows kept are checked against their folders (a stat each): a status.json
    # rewritten behind the index's back, or a folder removed, is read again before it is shown.
    changed = [row[0] for row in rows if status_key(f"{root}/{row[0]}/{store.STATUS_FILE}") != tuple(row[1:4])]
    if changed:
        for run_id in changed:
            if (Path(root) / run_id).is_dir():
                record(Path(root) / run_id)
            else:
                forget(root, run_id)
        rows = _with_index(root, read)
    return _summaries(Path(root), rows)


@_listing
def count(root: Path, projects: Iterable[str] = (), states: Iterable[str] = (), study: str | None = None, text: str = "") -> int:
    """How many runs the filters keep (select's filters), from the index as it is."""
    where, values = _where(projects, states, study, text)
    if not _has_index(root):
        return 0
    return _with_index(root, lambda connection: connection.execute(f"SELECT count(*) FROM runs{where}", values).fetchone()[0])


@_listing
def studies(root: Path) -> list[tuple[str, str, int]]:
    """(study id, name, runs) of every study in the index, newest first."""
    if not _has_index(root):
        return []
    query = "SELECT study_id, max(study_name), count(*) FROM runs WHERE study_id IS NOT NULL GROUP BY study_id ORDER BY study_id DESC"
    return [tuple(row) for row in _with_index(root, lambda connection: connection.execute(query).fetchall())]


@_listing
def study_runs(root: Path, study_ids: Iterable[str]) -> list[store.RunSummary]:
    """Every run of these studies, newest first."""
    wanted = list(dict.fromkeys(study_ids))
    if not wanted or not _has_index(root):
        return []
    query = f"SELECT {ROW_COLUMNS} FROM runs WHERE study_id IN ({', '.join('?' * len(wanted))}) ORDER BY id DESC"
    return _summaries(Path(root), _with_index(root, lambda connection: connection.execute(query, wanted).fetchall()))
