"""Anomaly detection (project anomaly): a pretext task learnt on good images only, test
images scored by their reconstruction error.

train.py: the train path and the scoring; keras_models.py: the pretext tasks'
encoder-decoder and masks; analysis.py: error maps, image scores, AUROC, thresholds."""
from core.kinds.base import EvaluationFile, Kind

# Test images and reconstructions (uint8), error maps, masks, defect types, image scores
# and which images the pixel metrics include.
SCORES = EvaluationFile("anomaly.npz", ("images", "reconstructions", "maps", "masks", "defect_types", "scores", "include"))
SCORES_FILE = SCORES.name

KIND = Kind(
    name="anomaly_detection",
    title="task_anomaly_detection",
    evaluation=SCORES,
    models={"keras": "core.kinds.anomaly_detection.keras_models"},
    pages=("anomaly",),
)
