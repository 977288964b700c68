"""Is a worker still alive? Answered from /proc, since the app outlives its children.

A finished child stays a zombie while its parent (the Streamlit server) lives, so
os.kill(pid, 0) would say "alive"; and a pid can be reused, so the start time is kept
beside it and compared.
"""
from __future__ import annotations

from pathlib import Path


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) is in parentheses and may hold spaces.
    return text[text.rfind(")") + 2 :].split()


def start_time(pid: int) -> int | None:
    """Clock ticks after boot when the process started (field 22 of /proc/<pid>/stat)."""
    fields = _stat_fields(pid)
    return int(fields[19]) if fields else None


def is_alive(pid: int | None, expected_start_time: int | None = None) -> bool:
    """True when `pid` runs (not a zombie) and, if given, started at `expected_start_time`."""
    if not pid:
        return False
    fields = _stat_fields(pid)
    if fields is None or fields[0] in ("Z", "X"):
        return False
    return expected_start_time is None or int(fields[19]) == expected_start_time
