"""What the projector projects: a stratified sample of the test split and one layer's
outputs for it, flattened to vectors; for a generative run (a VAE, a CVAE), the encoder's
mean codes of its test images, which the run stored in eval/latent.npz."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from core import inspection, pictures
from core.i18n import TranslatableError

# Outputs wider than this (a convolution's 32×32×32 maps are 32,768 numbers an image) are
# shrunk by a sparse random projection, chunk by chunk: 10,000 of them would take 1.3 GB,
# and a random projection keeps the distances that every method works from.
MAXIMUM_WIDTH = 4096
PROJECTED_WIDTH = 1024
CHUNK_SIZE = 500
# The one "layer" of a generative run: its latent codes (z_mean), read from eval/latent.npz.
LATENT_LAYER = "latent"


def is_generative(run_path: Path) -> bool:
    """Whether the run's kind keeps the features the projector draws (a VAE's latent codes,
    core.kinds.base.Kind.stored_features) instead of a model to run. RunNotFound when the
    run is gone."""
    from core import kinds

    kind = kinds.kind_of_folder(run_path)
    return kind is not None and kind.stored_features is not None


def check_latent_layer(layer: str) -> None:
    """TranslatableError unless `layer` is LATENT_LAYER, the only layer of a generative run."""
    if layer != LATENT_LAYER:
        raise TranslatableError("inspection_error_unknown_layer", name=layer, valid=LATENT_LAYER)


def sample_indices(labels: np.ndarray, count: int, seed: int) -> np.ndarray:
    """`count` indices of `labels`, each class in its share of the whole (stratified), drawn
    at random with `seed`; sorted, so the same sample reads the same in every process."""
    labels = np.asarray(labels)
    if count >= len(labels):
        return np.arange(len(labels))
    order = np.random.default_rng(seed).permutation(len(labels))
    # A point's rank among its class in the shuffled order, as a fraction of its class's
    # size: taking the smallest fractions takes each class in proportion.
    shuffled = labels[order]
    ranks = np.empty(len(labels))
    for value in np.unique(shuffled):
        members = np.flatnonzero(shuffled == value)
        ranks[members] = (np.arange(len(members)) + 0.5) / len(members)
    chosen = order[np.argsort(ranks, kind="stable")[:count]]
    return np.sort(chosen)


def layer_features(loaded, layer: str, images: np.ndarray, seed: int = 0, progress: Callable[[float], None] = lambda fraction: None) -> tuple[np.ndarray, str]:
    """(n, d) float32 outputs of `layer` for uint8 NHWC `images`, and how they were reduced
    ("" when they were not). TranslatableError for an unknown layer or wrong images."""
    inspection.layer(loaded, layer)
    projection = None
    chunks = []
    for start in range(0, len(images), CHUNK_SIZE):
        batch = pictures.as_float(images[start : start + CHUNK_SIZE])
        outputs = inspection.layer_outputs(loaded, layer, batch).reshape(len(batch), -1).astype(np.float32)
        if outputs.shape[1] > MAXIMUM_WIDTH:
            if projection is None:
                from sklearn.random_projection import SparseRandomProjection

                projection = SparseRandomProjection(n_components=PROJECTED_WIDTH, random_state=seed).fit(outputs[:1])
            outputs = projection.transform(outputs).astype(np.float32)
        chunks.append(outputs)
        progress(min(1.0, (start + len(batch)) / len(images)))
    features = np.concatenate(chunks)
    reduction = f"random projection {projection.n_features_in_} → {PROJECTED_WIDTH}" if projection is not None else ""
    return features, reduction
