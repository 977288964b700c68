"""Generation (project cvae): variational autoencoders, conditional or not.

train.py: the train path and what the views ask of a trained VAE (sample grids,
traversals, interpolations); keras_models.py: the VAE/CVAE builders and their training;
analysis.py: image grids, reconstructions, the latent scatter."""
from core.kinds.base import EvaluationFile, Kind

# The test images and their reconstructions (uint8), labels and mean codes.
LATENT = EvaluationFile("latent.npz", ("images", "labels", "reconstructions", "codes"))
LATENT_FILE = LATENT.name

KIND = Kind(
    name="generation",
    title="task_generation",
    evaluation=LATENT,
    models={"keras": "core.kinds.generation.keras_models"},
    pages=("generate", "projector"),
    stored_features="codes",
)
