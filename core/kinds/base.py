"""What a kind of task declares (core.kinds.KINDS), and the one reader and writer of the
evaluation files its train path leaves in a run's eval/ folder."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.runs.store import EVAL_DIR


@dataclass(frozen=True)
class EvaluationFile:
    """One file of eval/: its name and the arrays every such file holds (others may follow)."""

    name: str  # e.g. "predictions.npz"
    arrays: tuple[str, ...]

    def path(self, run_path: Path) -> Path:
        return Path(run_path) / EVAL_DIR / self.name

    def write(self, run_path: Path, **arrays: np.ndarray) -> Path:
        """Write the arrays, compressed, refusing a file the schema would not read back."""
        missing = [name for name in self.arrays if name not in arrays]
        if missing:
            raise ValueError(f"{self.name} needs {', '.join(missing)}")
        path = self.path(run_path)
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_name(f".{path.stem}.tmp.npz")
        np.savez_compressed(temporary, **arrays)
        temporary.replace(path)
        return path

    def read(self, run_path: Path) -> dict[str, np.ndarray]:
        """Every array of the file; KeyError naming an array the schema needs and the file
        lacks, OSError / ValueError for a missing or damaged file. Never unpickles."""
        with np.load(self.path(run_path), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        missing = [name for name in self.arrays if name not in arrays]
        if missing:
            raise KeyError(f"{self.name} lacks {', '.join(missing)}")
        return arrays

    def modified(self, run_path: Path) -> float:
        """When the file was written: part of a cache key, so a rewritten file is read again."""
        return self.path(run_path).stat().st_mtime


@dataclass(frozen=True)
class Kind:
    """A kind of task: what its runs leave behind and which pages take them."""

    name: str  # the id projects name in Project.task
    title: str  # i18n key
    evaluation: EvaluationFile  # what its train path writes and its views read
    # Backend name -> the module whose MODELS table (model name -> builder) holds this kind's
    # models on that backend; the module imports its framework lazily.
    models: dict[str, str] = field(default_factory=dict)
    # The roles (app.ui PAGE_SECTIONS) of the pages that take its finished runs, besides
    # Run, Runs, Studies and Compare, which take every kind.
    pages: tuple[str, ...] = ()
    # The array of its evaluation file the Projector draws instead of a layer's outputs
    # (a VAE's codes); None: the Projector runs the model for a layer's features.
    stored_features: str | None = None
