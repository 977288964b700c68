"""The folders this server lets a user read as a dataset.

$DLLAB_ALLOWED_FOLDERS, a list of folders separated by os.pathsep, says which. Without it:
anywhere, when the app listens on this machine only (127.0.0.1, localhost) or runs
without Streamlit (the command line, a worker: the local user); the artifacts folder
and the home folder only, when it serves other machines. Below a folder of a restricted
list, hidden folders (~/.ssh, ~/.config) stay out.

A path outside those folders, missing or unreadable is one answer (None), so a user is told
one sentence (core.data.folders.checked_folder) and cannot learn what exists on the server. `..` and links are resolved first. The root
of the disk is never a dataset: scanning it would walk the whole server at every rerun.
"""
from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path

from core import config

ENVIRONMENT_VARIABLE = "DLLAB_ALLOWED_FOLDERS"
LOCAL_NAMES = ("localhost",)


def _is_local(address: str | None) -> bool:
    """Whether a listening address serves this machine only; empty means every interface."""
    if not address:
        return False
    if address.strip().lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(address.strip()).is_loopback
    except ValueError:
        return False  # A host name: it may resolve to a public interface.


def _server_address() -> str | None:
    """Streamlit's server.address when this process runs Streamlit, else "localhost".
    core never imports Streamlit: it asks only when something else already has."""
    if "streamlit" not in sys.modules:
        return "localhost"
    from streamlit import config as streamlit_config

    try:
        return streamlit_config.get_option("server.address")
    except (KeyError, RuntimeError):
        return None


def allowed_roots() -> tuple[Path, ...] | None:
    """The resolved folders a user may read, or None for anywhere."""
    listed = os.environ.get(ENVIRONMENT_VARIABLE, "")
    folders = [part.strip() for part in listed.split(os.pathsep) if part.strip()]
    if folders:
        return tuple(Path(folder).expanduser().resolve() for folder in folders)
    if _is_local(_server_address()):
        return None
    return (config.artifacts_dir().resolve(), Path.home().resolve())


def _inside(path: Path, roots: tuple[Path, ...] | None) -> bool:
    if roots is None:
        return True
    # Dot folders below an allowed folder hold keys and settings, not datasets.
    return any(
        path.is_relative_to(root) and not any(part.startswith(".") for part in path.relative_to(root).parts)
        for root in roots
    )


def _readable(path: Path) -> bool:
    try:
        with os.scandir(path):
            return True
    except OSError:
        return False


def available(path: str | Path) -> Path | None:
    """What `path` names once `..` and links are resolved, when the server allows it and it
    is a folder it can list or a file; None when it is outside the allowed folders,
    missing, unreadable, or the root of the disk."""
    try:
        resolved = Path(path).expanduser().resolve()
    except (OSError, RuntimeError, ValueError):  # A link loop, a NUL byte.
        return None
    if resolved == Path(resolved.anchor) or not _inside(resolved, allowed_roots()):
        return None
    if resolved.is_file() or resolved.is_dir() and _readable(resolved):
        return resolved
    return None
