"""Plugins: modules named in $DLLAB_PLUGINS, imported once when the project registry loads,
so a teacher's own kind of task or project joins the app, the command line and the
workers without a file of dllab changed. A plugin calls core.kinds.register,
core.projects.register and core.i18n.add_strings (app.kinds.register for its views)."""
from __future__ import annotations

import importlib
import sys

from core import config

_loaded: set[str] = set()


def load() -> None:
    """Import every plugin not imported yet; one that fails is reported on stderr and
    skipped, so a bad setting never stops the app or a worker."""
    for name in config.plugins():
        if name in _loaded:
            continue
        _loaded.add(name)
        try:
            importlib.import_module(name)
        except Exception as error:  # A plugin is someone else's code: report it, go on.
            print(f"dllab: plugin {name!r} not loaded: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
