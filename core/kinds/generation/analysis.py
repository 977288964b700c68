"""What the generative views show (Run and Generate pages): image grids, test images
beside their reconstructions, the latent space as a scatter (no streamlit)."""
from __future__ import annotations

import numpy as np

from core import pictures
from core.projector.results import Projection

# A KL term below this per latent dimension (in nats) says the codes carry next to nothing
# of the image: the decoder ignores them (posterior collapse), and grids, traversals and
# sliders barely change. A VAE that uses its code sits well above 0.1 per dimension.
COLLAPSED_KL_PER_DIMENSION = 0.02
# More points than this in the quick latent view would make the chart's JSON heavy; the
# Projector takes up to 10,000.
LATENT_POINTS = 2000


def grid_picture(grid: np.ndarray, cell: int = 56) -> np.ndarray:
    """(rows, columns, h, w, c) images in [0, 1] as one uint8 RGB picture, row by row."""
    grid = np.asarray(grid)
    if grid.ndim != 5:
        raise ValueError(f"expected (rows, columns, height, width, channels) images, got {grid.shape}")
    if grid.dtype == np.uint8:
        grid = pictures.as_float(grid)
    rows, columns = grid.shape[:2]
    return pictures.mosaic(grid.reshape(rows * columns, *grid.shape[2:]), columns=columns, cell=cell)


def one_per_class(labels: np.ndarray, count: int) -> np.ndarray:
    """`count` test positions taking the classes in turn (first of each class, then the
    second...), so every class shows before any shows twice."""
    labels = np.asarray(labels)
    rank = np.zeros(len(labels), dtype=np.int64)
    for value in np.unique(labels):
        members = np.flatnonzero(labels == value)
        rank[members] = np.arange(len(members))
    order = np.lexsort((labels, rank))  # By rank, then by class.
    return order[:count]


def reconstruction_pairs(latent: dict, count: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """A (2, count, h, w, c) grid, test images above their reconstructions, one class after
    the other, and the positions of those test images."""
    positions = one_per_class(latent["labels"], count)
    return np.stack([latent["images"][positions], latent["reconstructions"][positions]]), positions


def mean_reconstruction_error(latent: dict) -> float:
    """Mean absolute pixel difference (0-1 scale) between test images and reconstructions."""
    difference = latent["images"].astype(np.float32) - latent["reconstructions"].astype(np.float32)
    return float(np.mean(np.abs(difference)) / 255.0)


def latent_projection(latent: dict, seed: int = 0) -> Projection:
    """Test codes in 2-D for a scatter: as they are when the code has 2 dimensions (1: on a
    line), else their first two principal components. At most LATENT_POINTS, by class."""
    from core.projector import features, methods

    codes, labels = latent["codes"], latent["labels"]
    indices = features.sample_indices(labels, LATENT_POINTS, seed)
    chosen = codes[indices].astype(np.float32)
    if chosen.shape[1] == 1:
        coordinates = np.column_stack([chosen[:, 0], np.zeros(len(chosen), np.float32)])
    elif chosen.shape[1] == 2:
        coordinates = chosen
    else:
        coordinates = methods.project("pca", chosen, seed)
    info = {"method": "direct" if chosen.shape[1] <= 2 else "pca", "count": len(indices)}
    return Projection(info=info, coordinates=coordinates, indices=indices, labels=labels[indices], predictions=labels[indices], clusters=labels[indices])


def final_kl(results: dict, records: list[dict]) -> float | None:
    """The run's last KL term: its test KL, else the last epoch's validation KL, else the
    last epoch's train KL; None when it logged none."""
    if results.get("test_kl") is not None:
        return float(results["test_kl"])
    for split in ("validation", "train"):
        values = [record["value"] for record in records if record.get("name") == "kl" and record.get("split") == split and record.get("scope", "epoch") == "epoch"]
        if values:
            return float(values[-1])
    return None


def collapsed_kl(results: dict, records: list[dict], latent_dim: int) -> float | None:
    """The final KL per latent dimension when it is below COLLAPSED_KL_PER_DIMENSION (the
    latent code unused); None when the code is used or the run logged no KL."""
    kl = final_kl(results, records)
    if kl is None or latent_dim < 1:
        return None
    per_dimension = kl / latent_dim
    return per_dimension if per_dimension < COLLAPSED_KL_PER_DIMENSION else None
