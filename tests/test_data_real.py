"""core.data.local_files' Fashion-MNIST and CIFAR-10: the real loaders on ../shared/data,
through each way of pointing at them, and what they say when something is wrong."""
from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import numpy as np
import pytest
from core_fixtures import SHARED_DATA

from core import frameworks
from core.data import local_files


@dataclass(frozen=True)
class Case:
    """One real dataset, its sample in ../shared/data, and what that sample holds."""

    name: str  # in local_files.DATASETS
    sample: Path
    image_shape: tuple[int, ...]  # as the pool holds it, channels last
    class_counts: list[int]

    @property
    def dataset(self):
        return local_files.dataset(self.name)

    def load(self):
        return self.dataset.load()

    def __str__(self):
        return self.dataset.folder


FASHION = Case(
    name="fashion_mnist",
    sample=SHARED_DATA / "fashion_mnist" / "fashion_mnist_test_1000.npz",
    image_shape=(28, 28, 1),
    class_counts=[108, 89, 99, 112, 114, 83, 106, 102, 96, 91],
)
CIFAR = Case(
    name="cifar10",
    sample=SHARED_DATA / "cifar10" / "cifar10_test_from_jpeg.npz",
    image_shape=(32, 32, 3),
    class_counts=[1000] * 10,
)
CASES = [pytest.param(case, id=str(case)) for case in (FASHION, CIFAR)]


@pytest.fixture
def nothing_configured(monkeypatch, tmp_path):
    """No environment variable set and no keras cache, for both datasets."""
    monkeypatch.delenv("DLLAB_DATA_DIR", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "no-keras-home"))
    for case in (FASHION, CIFAR):
        monkeypatch.delenv(case.dataset.path_variable, raising=False)
    return monkeypatch


def _require_sample(case: Case) -> None:
    if not case.sample.is_file():
        pytest.skip(f"{case.sample} is absent: the real {case.dataset.title} sample (../shared/data) is not on this machine")


def _reference(case: Case) -> tuple[np.ndarray, np.ndarray]:
    with np.load(case.sample) as archive:
        return archive["x"], archive["y"]


def _assert_sample(case: Case, pool) -> None:
    count = sum(case.class_counts)
    assert pool.images.shape == (count, *case.image_shape)
    assert pool.images.dtype == np.float32
    assert pool.images.min() >= 0.0 and pool.images.max() <= 1.0
    assert pool.images.max() == 1.0  # Scaled from 0-255, not left as bytes nor scaled twice.
    assert pool.labels.dtype == np.int64
    assert np.bincount(pool.labels, minlength=10).tolist() == case.class_counts
    assert pool.class_names == list(case.dataset.class_names)
    assert f"{count:,} images" in pool.source


def _fake_keras(name: str, load_data: Callable):
    """Stands in for frameworks.keras(): only keras.datasets.<name>.load_data, no TensorFlow."""
    return lambda: SimpleNamespace(datasets=SimpleNamespace(**{name: SimpleNamespace(load_data=load_data)}))


def test_class_names():
    assert FASHION.dataset.class_names[0] == "T-shirt/top"
    assert FASHION.dataset.class_names[9] == "Ankle boot"
    assert CIFAR.dataset.class_names == ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


@pytest.mark.parametrize("case", CASES)
def test_data_dir_finds_the_sample_under_its_folder(nothing_configured, case):
    _require_sample(case)
    nothing_configured.setenv("DLLAB_DATA_DIR", str(SHARED_DATA))
    assert case.dataset.locate() == case.sample.parent
    pool = case.load()
    _assert_sample(case, pool)
    assert str(case.sample.parent) in pool.source
    images, labels = _reference(case)
    np.testing.assert_array_equal(pool.labels, labels)
    # Every 25th image: enough to see the pixels kept their order, at a tenth of the memory.
    every = slice(None, None, 25)
    np.testing.assert_array_equal(np.round(pool.images[every] * 255).astype(np.uint8).reshape(images[every].shape), images[every])


@pytest.mark.parametrize("case", CASES)
def test_path_variable_to_the_file_and_to_the_folder(nothing_configured, case):
    _require_sample(case)
    nothing_configured.setenv(case.dataset.path_variable, str(case.sample))
    from_file = case.load()
    nothing_configured.setenv(case.dataset.path_variable, str(case.sample.parent))
    from_folder = case.load()
    _assert_sample(case, from_file)
    assert case.sample.name in from_file.source
    np.testing.assert_array_equal(from_file.images, from_folder.images)
    np.testing.assert_array_equal(from_file.labels, from_folder.labels)


@pytest.mark.parametrize("case", CASES)
def test_path_variable_wins_over_data_dir(nothing_configured, case, tmp_path):
    (tmp_path / case.dataset.folder).mkdir()
    nothing_configured.setenv("DLLAB_DATA_DIR", str(tmp_path))
    nothing_configured.setenv(case.dataset.path_variable, str(tmp_path / "elsewhere.npz"))
    assert case.dataset.locate() == tmp_path / "elsewhere.npz"


@pytest.mark.parametrize("case", CASES)
def test_nothing_set_and_no_cache_locates_nothing(nothing_configured, case, tmp_path):
    assert case.dataset.locate() is None
    nothing_configured.setenv("DLLAB_DATA_DIR", str(tmp_path))  # Without the dataset's folder.
    assert case.dataset.locate() is None


@pytest.mark.parametrize("case", CASES)
def test_failed_download_says_what_to_set(nothing_configured, case):
    def unreachable():
        raise OSError("URL fetch failure: no network")

    nothing_configured.setattr(frameworks, "keras", _fake_keras(case.dataset.keras_name, unreachable))
    with pytest.raises(FileNotFoundError) as raised:
        case.load()
    message = str(raised.value)
    assert "could not be downloaded" in message and "no network" in message
    assert case.dataset.path_variable in message
    assert "DLLAB_DATA_DIR" in message and f"{case.dataset.folder}/" in message


@pytest.mark.parametrize("case", CASES)
def test_download_is_concatenated_train_then_test(nothing_configured, case):
    rng = np.random.default_rng(0)
    stored_shape = case.dataset.image_shape
    x_train = rng.integers(0, 256, size=(3, *stored_shape), dtype=np.uint8)
    x_test = rng.integers(0, 256, size=(2, *stored_shape), dtype=np.uint8)
    # keras gives CIFAR-10 labels as a column, Fashion-MNIST's flat.
    label_shape = (-1, 1) if case is CIFAR else (-1,)
    y_train, y_test = np.array([1, 2, 3], np.uint8).reshape(label_shape), np.array([4, 9], np.uint8).reshape(label_shape)
    nothing_configured.setattr(frameworks, "keras", _fake_keras(case.dataset.keras_name, lambda: ((x_train, y_train), (x_test, y_test))))
    pool = case.load()
    assert pool.labels.tolist() == [1, 2, 3, 4, 9]
    assert pool.images.shape == (5, *case.image_shape)
    assert "downloaded by keras" in pool.source


def test_unknown_dataset_lists_the_valid_names():
    with pytest.raises(ValueError, match="'svhn'.*mnist, fashion_mnist, cifar10"):
        local_files.dataset("svhn")


def test_cifar_keras_cache_is_read_by_keras_not_by_us(nothing_configured, tmp_path):
    # Where keras 3 leaves its download, under $KERAS_HOME/datasets.
    archive = tmp_path / "keras" / "datasets" / "cifar-10-batches-py-target_archive"
    archive.parent.mkdir(parents=True)
    archive.write_bytes(b"not an npz: only keras may open it")
    nothing_configured.setenv("KERAS_HOME", str(tmp_path / "keras"))
    images = np.zeros((2, 32, 32, 3), np.uint8)
    nothing_configured.setattr(frameworks, "keras", _fake_keras("cifar10", lambda: ((images, np.array([[0], [1]])), (images, np.array([[2], [3]])))))
    assert CIFAR.dataset.locate() == archive
    pool = CIFAR.load()
    assert pool.labels.tolist() == [0, 1, 2, 3]
    assert "keras' cache" in pool.source


def _write_idx(path: Path, array: np.ndarray) -> None:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(size.to_bytes(4, "big") for size in array.shape)
    with gzip.open(path, "wb") as stream:
        stream.write(header + array.astype(np.uint8).tobytes())


def test_fashion_keras_cache_of_idx_files_is_read_without_keras(nothing_configured, tmp_path):
    cache = tmp_path / "keras" / "datasets" / "fashion-mnist"
    cache.mkdir(parents=True)
    for prefix, labels in (("train", [5, 7]), ("t10k", [9])):
        _write_idx(cache / f"{prefix}-images-idx3-ubyte.gz", np.full((len(labels), 28, 28), 255))
        _write_idx(cache / f"{prefix}-labels-idx1-ubyte.gz", np.array(labels))
    nothing_configured.setenv("KERAS_HOME", str(tmp_path / "keras"))

    def keras_must_not_be_imported():
        raise AssertionError("keras was asked although its cache is readable")

    nothing_configured.setattr(frameworks, "keras", keras_must_not_be_imported)
    assert FASHION.dataset.locate() == cache
    pool = FASHION.load()
    assert sorted(pool.labels.tolist()) == [5, 7, 9]
    assert pool.images.shape == (3, 28, 28, 1) and pool.images.min() == 1.0


@pytest.mark.parametrize("case", CASES)
def test_npz_of_the_wrong_shape_is_refused(nothing_configured, case, tmp_path):
    archive = tmp_path / "wrong.npz"
    np.savez(archive, x=np.zeros((3, 8, 8), np.uint8), y=np.zeros(3, np.int64))
    nothing_configured.setenv(case.dataset.path_variable, str(archive))
    expected = ", ".join(str(size) for size in case.dataset.image_shape)
    with pytest.raises(ValueError, match=rf"wrong.npz: {case.dataset.title} images must be \(count, {expected}\), got \(3, 8, 8\)"):
        case.load()


@pytest.mark.parametrize("case", CASES)
def test_npz_missing_its_arrays_names_what_it_found(nothing_configured, case, tmp_path):
    archive = tmp_path / "broken.npz"
    np.savez(archive, images=np.zeros((2, *case.dataset.image_shape), np.uint8))
    nothing_configured.setenv(case.dataset.path_variable, str(archive))
    with pytest.raises(ValueError, match=r"broken.npz: expected arrays x and y.*found \['images'\]"):
        case.load()


@pytest.mark.parametrize("case", CASES)
def test_labels_out_of_range_or_miscounted_are_refused(nothing_configured, case, tmp_path):
    images = np.zeros((2, *case.dataset.image_shape), np.uint8)
    archive = tmp_path / "labels.npz"
    nothing_configured.setenv(case.dataset.path_variable, str(archive))
    np.savez(archive, x=images, y=np.array([0, 10]))
    with pytest.raises(ValueError, match="labels must be 0 to 9, found 0 to 10"):
        case.load()
    np.savez(archive, x=images, y=np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="one label per image"):
        case.load()


@pytest.mark.parametrize("case", CASES)
def test_float_pixels_are_refused(nothing_configured, case, tmp_path):
    archive = tmp_path / "floats.npz"
    np.savez(archive, x=np.zeros((2, *case.dataset.image_shape), np.float32), y=np.array([0, 1]))
    nothing_configured.setenv(case.dataset.path_variable, str(archive))
    with pytest.raises(ValueError, match="uint8 pixels 0-255, got float32"):
        case.load()


@pytest.mark.parametrize("case", CASES)
def test_missing_path_raises_file_not_found(nothing_configured, case, tmp_path):
    nothing_configured.setenv(case.dataset.path_variable, str(tmp_path / "nowhere.npz"))
    with pytest.raises(FileNotFoundError, match=f"{case.dataset.title} not found at .*nowhere.npz"):
        case.load()
