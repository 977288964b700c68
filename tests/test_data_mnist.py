"""core.data.local_files' MNIST: the real loader on ../shared/data/mnist, through each way of pointing at it."""
from __future__ import annotations

import gzip

import numpy as np
import pytest
from core_fixtures import SHARED_DATA, SHARED_MNIST, requires_shared_mnist

from core.data import local_files

# Class counts of the MNIST test set (t10k), as ../shared/data/README.md lists them.
T10K_CLASS_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
MNIST = local_files.dataset("mnist")


@pytest.fixture
def no_mnist_settings(monkeypatch):
    monkeypatch.delenv("DLLAB_DATA_DIR", raising=False)
    monkeypatch.delenv("DLLAB_MNIST_PATH", raising=False)
    return monkeypatch


def _assert_t10k(pool):
    assert pool.images.shape == (10000, 28, 28, 1)
    assert pool.images.dtype == np.float32
    assert pool.images.min() == 0.0 and pool.images.max() == 1.0
    assert pool.labels.dtype == np.int64
    assert np.bincount(pool.labels, minlength=10).tolist() == T10K_CLASS_COUNTS
    assert pool.class_names == [str(digit) for digit in range(10)]
    assert "10,000 images" in pool.source


@pytest.fixture(scope="module")
def reference():
    """The .npz read directly with numpy: what every route must give."""
    if not SHARED_MNIST.is_dir():
        pytest.skip(f"{SHARED_MNIST} is absent: the real MNIST sample (../shared/data/mnist) is not on this machine")
    with np.load(SHARED_MNIST / "mnist_test.npz") as archive:
        return archive["x"], archive["y"]


@requires_shared_mnist
def test_data_dir_finds_mnist_under_it(no_mnist_settings, reference):
    no_mnist_settings.setenv("DLLAB_DATA_DIR", str(SHARED_DATA))
    assert MNIST.locate() == SHARED_MNIST
    pool = MNIST.load()
    _assert_t10k(pool)
    assert str(SHARED_MNIST) in pool.source
    np.testing.assert_array_equal(pool.labels, reference[1])
    np.testing.assert_array_equal(np.round(pool.images[..., 0] * 255).astype(np.uint8), reference[0])


@requires_shared_mnist
def test_mnist_path_to_the_npz_and_to_the_raw_idx_folder_agree(no_mnist_settings, reference):
    no_mnist_settings.setenv("DLLAB_MNIST_PATH", str(SHARED_MNIST / "mnist_test.npz"))
    from_npz = MNIST.load()
    no_mnist_settings.setenv("DLLAB_MNIST_PATH", str(SHARED_MNIST / "raw"))
    from_idx = MNIST.load()

    _assert_t10k(from_npz)
    _assert_t10k(from_idx)
    assert "raw" in from_idx.source and "mnist_test.npz" in from_npz.source
    np.testing.assert_array_equal(from_npz.labels, from_idx.labels)
    np.testing.assert_array_equal(from_npz.images, from_idx.images)
    np.testing.assert_array_equal(from_idx.labels, reference[1])


@requires_shared_mnist
def test_mnist_path_wins_over_data_dir(no_mnist_settings, tmp_path):
    no_mnist_settings.setenv("DLLAB_DATA_DIR", str(SHARED_DATA))
    no_mnist_settings.setenv("DLLAB_MNIST_PATH", str(SHARED_MNIST / "raw"))
    assert MNIST.locate() == SHARED_MNIST / "raw"


def test_data_dir_without_mnist_is_passed_over(no_mnist_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "no-cache"))
    assert MNIST.keras_cache_path() == tmp_path / "no-cache" / "datasets" / "mnist.npz"
    no_mnist_settings.setenv("DLLAB_DATA_DIR", str(tmp_path))
    assert MNIST.locate() is None


def test_npz_with_keras_names_is_read(no_mnist_settings, tmp_path):
    archive = tmp_path / "keras.npz"
    images = np.random.default_rng(0).integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    np.savez(archive, x_train=images[:3], y_train=np.array([1, 2, 3]), x_test=images[3:], y_test=np.array([4, 5]))
    no_mnist_settings.setenv("DLLAB_MNIST_PATH", str(archive))
    pool = MNIST.load()
    assert pool.labels.tolist() == [1, 2, 3, 4, 5]
    np.testing.assert_allclose(pool.images[..., 0], images / 255.0, atol=1e-7)


def test_npz_missing_its_arrays_raises_naming_the_file(no_mnist_settings, tmp_path):
    archive = tmp_path / "broken.npz"
    np.savez(archive, images=np.zeros((2, 28, 28), np.uint8), targets=np.zeros(2, np.int64))
    no_mnist_settings.setenv("DLLAB_MNIST_PATH", str(archive))
    with pytest.raises(ValueError) as raised:
        MNIST.load()
    message = str(raised.value)
    assert str(archive) in message
    assert "images" in message and "targets" in message  # What it found instead.


def test_npz_in_a_folder_missing_its_arrays_raises_naming_the_file(no_mnist_settings, tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    np.savez(folder / "partial.npz", x=np.zeros((2, 28, 28), np.uint8))
    no_mnist_settings.setenv("DLLAB_DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError, match=str(folder / "partial.npz")):
        MNIST.load()


def test_images_of_the_wrong_size_are_refused(no_mnist_settings, tmp_path):
    archive = tmp_path / "small.npz"
    np.savez(archive, x=np.zeros((3, 8, 8), np.uint8), y=np.zeros(3, np.int64))
    no_mnist_settings.setenv("DLLAB_MNIST_PATH", str(archive))
    with pytest.raises(ValueError, match=r"\(count, 28, 28\)"):
        MNIST.load()


def test_missing_path_and_empty_folder_raise_file_not_found(no_mnist_settings, tmp_path):
    no_mnist_settings.setenv("DLLAB_MNIST_PATH", str(tmp_path / "nowhere.npz"))
    with pytest.raises(FileNotFoundError, match="nowhere.npz"):
        MNIST.load()
    no_mnist_settings.setenv("DLLAB_MNIST_PATH", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="idx3-ubyte"):
        MNIST.load()


def _write_idx(path, array: np.ndarray) -> None:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(size.to_bytes(4, "big") for size in array.shape)
    with gzip.open(path, "wb") as stream:
        stream.write(header + array.astype(np.uint8).tobytes())


def test_idx_folder_needs_its_labels_file(no_mnist_settings, tmp_path):
    _write_idx(tmp_path / "train-images-idx3-ubyte.gz", np.zeros((2, 28, 28)))
    no_mnist_settings.setenv("DLLAB_MNIST_PATH", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="train-labels-idx1-ubyte.gz"):
        MNIST.load()
    _write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.array([7, 3]))
    assert MNIST.load().labels.tolist() == [7, 3]


def test_truncated_idx_file_is_refused(no_mnist_settings, tmp_path):
    _write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((2, 28, 28)))
    _write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.array([1, 2]))
    content = gzip.decompress((tmp_path / "t10k-images-idx3-ubyte.gz").read_bytes())
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(content[:-10]))
    no_mnist_settings.setenv("DLLAB_MNIST_PATH", str(tmp_path))
    with pytest.raises(ValueError, match="t10k-images-idx3-ubyte.gz: expected 1568 values"):
        MNIST.load()
