"""Projections to 2-D (PCA, t-SNE, UMAP) and k-means against the labels: one table of methods.

Each method takes features (n, d) float32, a seed and a progress callback (a fraction in
[0, 1] of its own work) and returns (n, 2) coordinates. Adding a method is one function
and one line in METHODS.
"""
from __future__ import annotations

import contextlib
import re
import sys
from dataclasses import dataclass
from typing import Callable

import numpy as np

from core.i18n import TranslatableError

Progress = Callable[[float], None]

# t-SNE and k-means work on at most this many principal components (scikit-learn's advice
# for t-SNE; it also keeps a wide convolution output cheap).
REDUCED_WIDTH = 50
# 250 early-exaggeration iterations then 250 more (scikit-learn's default: 1,000 in all):
# half the time, and the clusters of our test features have settled by then.
TSNE_ITERATIONS = 500
TSNE_PERPLEXITY = 30.0
UMAP_NEIGHBOURS = 15
# UMAP's default is 500 epochs below 10,000 points and 200 above: 200 always keeps a
# 5,000-point projection within its 7 s target here.
UMAP_EPOCHS = 200
THREADS = 1  # see _one_thread


class _ProgressStream:
    """A text stream that turns 'step/total' lines written by a library into progress calls."""

    def __init__(self, progress: Progress, pattern: str, total: int | None = None):
        self.progress, self.pattern, self.total = progress, re.compile(pattern), total

    def write(self, text: str) -> int:
        for match in self.pattern.finditer(text):
            step = int(match.group(1))
            total = self.total or int(match.group(2))
            self.progress(min(1.0, step / max(1, total)))
        return len(text)

    def flush(self) -> None:
        pass


def reduce(features: np.ndarray, width: int = REDUCED_WIDTH, seed: int = 0) -> np.ndarray:
    """The first `width` principal components, or the features themselves when narrower."""
    if features.shape[1] <= width or len(features) <= width:
        return features
    from sklearn.decomposition import PCA

    return PCA(n_components=width, random_state=seed).fit_transform(features).astype(np.float32)


def _pca(features: np.ndarray, seed: int, progress: Progress) -> np.ndarray:
    from sklearn.decomposition import PCA

    coordinates = PCA(n_components=2, random_state=seed).fit_transform(features)
    progress(1.0)
    return coordinates


def _tsne(features: np.ndarray, seed: int, progress: Progress) -> np.ndarray:
    from sklearn.manifold import TSNE

    # Perplexity must stay below the number of points; 30 is the usual value.
    perplexity = min(TSNE_PERPLEXITY, (len(features) - 1) / 3)
    method = TSNE(n_components=2, perplexity=perplexity, init="pca", learning_rate="auto", max_iter=TSNE_ITERATIONS, random_state=seed, verbose=2)
    # With verbose=2 scikit-learn prints "[t-SNE] Iteration 50: ..." every 50 iterations.
    stream = _ProgressStream(progress, r"Iteration (\d+)", total=TSNE_ITERATIONS)
    with contextlib.redirect_stdout(stream):
        return method.fit_transform(reduce(features, seed=seed))


def import_umap():
    """umap-learn, without its ParametricUMAP: that import pulls TensorFlow (~5 s, and the
    torch-after-TensorFlow segfault); dllab never uses it. torch is imported first anyway."""
    if "umap" not in sys.modules:
        from core import frameworks

        frameworks.torch()
        blocked = sys.modules.setdefault("umap.parametric_umap", None) is None
        try:
            import umap  # noqa: F401
        finally:
            if blocked and sys.modules.get("umap.parametric_umap", 0) is None:
                del sys.modules["umap.parametric_umap"]
    return sys.modules["umap"]


def nearest_neighbours(features: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact neighbours by scikit-learn: each point is its own first neighbour, as UMAP wants.
    It skips pynndescent, whose numba compilation costs seconds in every new process."""
    from sklearn.neighbors import NearestNeighbors

    distances, indices = NearestNeighbors(n_neighbors=count).fit(features).kneighbors(features)
    return indices, distances.astype(np.float32)


def _umap(features: np.ndarray, seed: int, progress: Progress) -> np.ndarray:
    umap = import_umap()
    neighbours = min(UMAP_NEIGHBOURS, len(features) - 1)
    indices, distances = nearest_neighbours(features, neighbours)
    progress(0.1)
    stream = _ProgressStream(lambda fraction: progress(0.1 + 0.9 * fraction), r"(\d+)/(\d+)")
    method = umap.UMAP(
        n_neighbors=neighbours, n_components=2, n_epochs=UMAP_EPOCHS, random_state=seed,
        precomputed_knn=(indices, distances, None), tqdm_kwds={"disable": False, "file": stream, "mininterval": 0.2},
    )
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "n_jobs overridden by setting random_state" and the like.
        return method.fit_transform(features)


@dataclass(frozen=True)
class Method:
    title: str  # i18n key
    minimum_points: int
    project: Callable[[np.ndarray, int, Progress], np.ndarray]


METHODS: dict[str, Method] = {
    "pca": Method("projector_method_pca", 3, _pca),
    "tsne": Method("projector_method_tsne", 10, _tsne),
    "umap": Method("projector_method_umap", 10, _umap),
}
MAXIMUM_POINTS = 10_000


def get_method(name: str) -> Method:
    if name not in METHODS:
        raise TranslatableError("projector_error_unknown_method", method=name, valid=", ".join(METHODS))
    return METHODS[name]


def check_count(method: str, count: int, available: int | None = None) -> None:
    """TranslatableError when `count` points are too few for `method`, or more than allowed."""
    minimum = get_method(method).minimum_points
    if count < minimum:
        raise TranslatableError("projector_error_too_few", method=method, minimum=minimum, count=count)
    maximum = MAXIMUM_POINTS if available is None else min(MAXIMUM_POINTS, available)
    if count > maximum:
        raise TranslatableError("projector_error_too_many", maximum=maximum, count=count)


def _one_thread():
    """scikit-learn's OpenMP on one thread. t-SNE of 2,000 points here: 4-7 s on one thread,
    19 s on two while other processes (the app, a training run) kept the cores busy, since
    each of its 500 iterations waits for the slower thread."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=THREADS, user_api="openmp")


def project(method: str, features: np.ndarray, seed: int, progress: Progress = lambda fraction: None) -> np.ndarray:
    """(n, 2) float32 coordinates of `features` (n, d) by `method`. Features of one number
    (a latent code of one dimension) are drawn on a line: a zero column is added, since no
    method makes two coordinates out of one."""
    check_count(method, len(features))
    if features.ndim == 2 and features.shape[1] < 2:
        features = np.concatenate([features, np.zeros((len(features), 2 - features.shape[1]), dtype=features.dtype)], axis=1)
    with _one_thread():
        coordinates = np.asarray(get_method(method).project(features.astype(np.float32), seed, progress), dtype=np.float32)
    progress(1.0)
    return coordinates


def cluster_agreement(features: np.ndarray, labels: np.ndarray, clusters: int, seed: int) -> tuple[float, np.ndarray]:
    """k-means with `clusters` clusters on the features; (adjusted Rand index against the
    labels, each point's cluster). 1 means the clusters are the classes, ~0 chance."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    clusters = max(1, min(clusters, len(features)))
    with _one_thread():
        assignment = KMeans(n_clusters=clusters, n_init=10, random_state=seed).fit_predict(reduce(features, seed=seed))
    return float(adjusted_rand_score(labels, assignment)), assignment.astype(np.int32)
