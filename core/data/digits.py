"""scikit-learn's 8x8 handwritten digits: ships with scikit-learn, so it works offline."""
from __future__ import annotations

import numpy as np

from core.data import ImagePool


def load_digits() -> ImagePool:
    from sklearn import datasets

    bunch = datasets.load_digits()
    # Pixel values are ink counts from 0 to 16.
    images = (bunch.images / 16.0).astype(np.float32)[..., np.newaxis]
    return ImagePool(
        images=images,
        labels=bunch.target.astype(np.int64),
        class_names=[str(digit) for digit in range(10)],
        source="scikit-learn load_digits (1,797 images, 8x8)",
    )
