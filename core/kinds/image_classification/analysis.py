"""Classification views: confusion matrix, per-class scores, misclassified examples."""
from __future__ import annotations

import numpy as np


def confusion(labels: np.ndarray, predictions: np.ndarray, class_count: int) -> np.ndarray:
    from sklearn import metrics

    return metrics.confusion_matrix(labels, predictions, labels=list(range(class_count)))


def per_class_scores(labels: np.ndarray, predictions: np.ndarray, class_names: list[str]):
    """A pandas DataFrame: precision, recall, F1 and support for each class."""
    import pandas
    from sklearn import metrics

    precision, recall, f1, support = metrics.precision_recall_fscore_support(
        labels, predictions, labels=list(range(len(class_names))), zero_division=0
    )
    return pandas.DataFrame({"class": class_names, "precision": precision, "recall": recall, "f1": f1, "support": support})


def misclassified(labels: np.ndarray, predictions: np.ndarray, probabilities: np.ndarray, limit: int = 24) -> np.ndarray:
    """Indices of wrong predictions, the most confident mistakes first."""
    wrong = np.flatnonzero(labels != predictions)
    confidence = probabilities[wrong, predictions[wrong]]
    return wrong[np.argsort(-confidence)][:limit]


def cell_members(labels: np.ndarray, predictions: np.ndarray, probabilities: np.ndarray, true_index: int, predicted_index: int, limit: int = 32) -> np.ndarray:
    """Test images of one confusion-matrix cell, the most confident first."""
    members = np.flatnonzero((labels == true_index) & (predictions == predicted_index))
    return members[np.argsort(-probabilities[members, predicted_index])][:limit]


def most_confused_pair(matrix: np.ndarray) -> tuple[int, int]:
    """(true, predicted) of the largest off-diagonal cell; (0, 0) when there is no mistake."""
    off_diagonal = matrix.copy()
    np.fill_diagonal(off_diagonal, 0)
    if off_diagonal.max() == 0:
        return 0, 0
    true_index, predicted_index = np.unravel_index(off_diagonal.argmax(), off_diagonal.shape)
    return int(true_index), int(predicted_index)


# Train accuracy more than this above test accuracy: the model learnt its training set by heart.
OVERFITTING_GAP = 0.05
# Below this train accuracy with no such gap, the model has not learnt enough yet.
UNDERFITTING_ACCURACY = 0.8


def diagnose(train_accuracy: float | None, test_accuracy: float | None) -> tuple[str, dict] | None:
    """The gap between train and test explained: (i18n key, values), or None without figures."""
    if train_accuracy is None or test_accuracy is None:
        return None
    values = {"train": train_accuracy, "test": test_accuracy, "gap": train_accuracy - test_accuracy}
    if train_accuracy - test_accuracy > OVERFITTING_GAP:
        return "diagnosis_overfitting", values
    if train_accuracy < UNDERFITTING_ACCURACY:
        return "diagnosis_underfitting", values
    return "diagnosis_good", values
