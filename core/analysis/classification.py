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


def curves(records: list[dict]):
    """Metric lines as a DataFrame (epoch, split, name, value, scope) for plotting."""
    import pandas

    frame = pandas.DataFrame.from_records(records, columns=["step", "epoch", "split", "name", "value", "time", "scope"])
    frame["scope"] = frame["scope"].fillna("epoch")
    return frame
