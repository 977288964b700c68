"""cvae: from a variational autoencoder to a conditional one (course 000, P2), on
Fashion-MNIST or MNIST; offline, on scikit-learn's 8x8 digits."""
from __future__ import annotations

from dataclasses import dataclass

from core.data import digits, local_files
from core.hyperparams import parameter
from core.kinds import generation
from core.kinds.generation import train as generative_training
from core.projects.base import DatasetSpec, Preset, Project


@dataclass(frozen=True)
class GenerativeParameters:
    # 60 epochs of the default CVAE on the digits take about 20 s here.
    epochs: int = parameter(60, minimum=1, maximum=500, help="help_epochs")
    batch_size: int = parameter(32, minimum=1, maximum=4096, help="help_batch_size")
    learning_rate: float = parameter(0.001, minimum=1e-6, maximum=1.0, help="help_learning_rate")
    # 2 dimensions can be drawn as they are; more reconstruct better but need a projection.
    latent_dim: int = parameter(2, minimum=1, maximum=512, help="help_latent_dim")
    # The encoder's three widths; the decoder mirrors them (the seed's 3 + latent + 3 layers).
    hidden_sizes: str = parameter("256,128,64", help="help_hidden_sizes")
    # The KL weight: 0 is a plain autoencoder, 1 the VAE, more a smoother, blurrier code.
    beta: float = parameter(1.0, minimum=0.0, maximum=100.0, step=0.1, help="help_beta")
    seed: int = parameter(0, minimum=0, maximum=2**31 - 1, help="help_seed")
    validation_fraction: float = parameter(0.1, minimum=0.05, maximum=0.5, step=0.05, help="help_validation_fraction")


def check(parameters: GenerativeParameters, dataset: str, model: str) -> None:
    spec = PROJECT.datasets[dataset]
    generative_training.check_parameters(parameters, spec.input_shape, dataset)


PROJECT = Project(
    id="cvae",
    title="project_cvae_title",
    summary="project_cvae_summary",
    task=generation.KIND.name,
    datasets={
        "digits": DatasetSpec(title="dataset_digits", load=digits.load_digits, offline=True, preparation="ink", input_shape=(8, 8, 1)),
        "fashion_mnist": DatasetSpec(title="dataset_fashion_mnist", load=local_files.dataset("fashion_mnist").load, offline=False, location=local_files.dataset("fashion_mnist").locate, preparation="ink", input_shape=(28, 28, 1)),
        "mnist": DatasetSpec(title="dataset_mnist", load=local_files.dataset("mnist").load, offline=False, location=local_files.dataset("mnist").locate, preparation="ink", input_shape=(28, 28, 1)),
    },
    models=("cvae", "vae", "conv_cvae", "conv_vae"),
    parameters=GenerativeParameters,
    views=("curves", "metrics", "reconstructions", "latent"),
    train=generative_training.train_generator,
    presets={
        # The seed's starting point: a VAE, then the same layers conditioned on the class.
        "seed_vae": Preset("preset_seed_vae", "vae", {}),
        "seed_cvae": Preset("preset_seed_cvae", "cvae", {}),
        "conv_cvae": Preset("preset_conv_cvae", "conv_cvae", {"latent_dim": 8, "epochs": 30}),
    },
    curves=("loss", "reconstruction", "kl"),
    # The seed chooses hyperparameters by loss; a CVAE also says how well it obeys the class.
    results={"test_loss": False, "test_reconstruction": False, "test_kl": False, "conditional_accuracy": True},
    check=check,
)
