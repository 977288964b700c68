"""Image classification (projects digits, cifar10, artists): an image in, a class out.

train.py: the train path; keras_models.py / torch_models.py: the builders on each backend;
analysis.py: what its views compute (confusion, per-class scores, the misclassified)."""
from core.kinds.base import EvaluationFile, Kind

# What the Run, Compare and Projector pages read of a finished run: the test images (uint8),
# their labels, the predicted classes and the probabilities.
PREDICTIONS = EvaluationFile("predictions.npz", ("images", "labels", "predictions", "probabilities"))
PREDICTIONS_FILE = PREDICTIONS.name

KIND = Kind(
    name="image_classification",
    title="task_image_classification",
    evaluation=PREDICTIONS,
    models={"keras": "core.kinds.image_classification.keras_models", "torch": "core.kinds.image_classification.torch_models"},
    pages=("predict", "explain", "inside", "enrich", "projector"),
)
