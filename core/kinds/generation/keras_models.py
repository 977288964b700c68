"""Variational autoencoders in Keras: the VAE and the conditional VAE (CVAE) of seed 000 P2,
dense (3 encoder layers, the latent layer, 3 decoder layers) or convolutional.

One functional model is saved per run. It holds two nested models, `encoder` (image
[, one-hot class] -> z_mean, z_log_var) and `decoder` (z [, one-hot class] -> image), and
reconstructs an image through its mean code. Every layer is a stock Keras layer, so the
checkpoint loads in safe mode. Training goes through a small `keras.Model` subclass that
is never saved: it adds the sampling step and the loss, reconstruction + beta × KL.
"""
from __future__ import annotations

import numpy as np

from core import frameworks

ENCODER = "encoder"
DECODER = "decoder"
# What every epoch reports, on train and validation.
LOSS_NAMES = ("loss", "reconstruction", "kl")


def hidden_sizes(text: str) -> tuple[int, ...]:
    """'256,128,64' -> (256, 128, 64): the encoder's three widths, mirrored by the decoder;
    a core.i18n.TranslatableError for anything else."""
    from core import hyperparams
    from core.i18n import TranslatableError

    refused = TranslatableError("generation_error_hidden_sizes", field=hyperparams.field_name("hidden_sizes"), text=repr(text))
    pieces = [piece.strip() for piece in text.replace(";", ",").split(",") if piece.strip()]
    if len(pieces) != 3 or not all(piece.isascii() and piece.isdigit() for piece in pieces):
        raise refused
    sizes = tuple(int(piece) for piece in pieces)
    if min(sizes) < 1 or max(sizes) > 4096:
        raise refused
    return sizes


def is_conditional(model_name: str) -> bool:
    return model_name.endswith("cvae")


def _dense_parts(keras, input_shape, class_count, latent_dim, sizes, conditional):
    layers = keras.layers
    image = keras.Input(shape=input_shape, name="image")
    condition = keras.Input(shape=(class_count,), name="condition")
    features = layers.Flatten(name="flatten")(image)
    for number, size in enumerate(sizes, start=1):
        if conditional:
            features = layers.Concatenate(name=f"class_to_encoder_{number}")([features, condition])
        features = layers.Dense(size, activation="relu", name=f"encoder_dense_{number}")(features)
    z_mean = layers.Dense(latent_dim, name="z_mean")(features)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(features)
    encoder = keras.Model([image, condition] if conditional else image, [z_mean, z_log_var], name=ENCODER)

    code = keras.Input(shape=(latent_dim,), name="z")
    decoder_condition = keras.Input(shape=(class_count,), name="decoder_condition")
    features = code
    for number, size in enumerate(reversed(sizes), start=1):
        # The class joins every layer (here and in the encoder), not only the first: with
        # it at the input alone, the 1,000 Fashion-MNIST images taught the code to carry
        # the class too, and a sample asked for a shirt came out as a sneaker (66% of
        # samples judged right, against 84-87% this way; the convolutional model, given
        # the class only at its dense layers, 79%, and 93% with the class maps).
        if conditional:
            features = layers.Concatenate(name=f"class_to_decoder_{number}")([features, decoder_condition])
        features = layers.Dense(size, activation="relu", name=f"decoder_dense_{number}")(features)
    pixels = layers.Dense(int(np.prod(input_shape)), activation="sigmoid", name="pixels")(features)
    decoded = layers.Reshape(input_shape, name="decoded")(pixels)
    decoder = keras.Model([code, decoder_condition] if conditional else code, decoded, name=DECODER)
    return image, condition, encoder, decoder


def _class_maps(layers, condition, height: int, width: int, prefix: str):
    """The one-hot class repeated at every position: (height, width, classes) maps."""
    repeated = layers.RepeatVector(height * width, name=f"{prefix}_class_repeated")(condition)
    return layers.Reshape((height, width, condition.shape[-1]), name=f"{prefix}_class_maps")(repeated)


def _convolution_parts(keras, input_shape, class_count, latent_dim, sizes, conditional):
    """Two stride-2 convolutions (32, 64 filters) and a dense layer; the decoder mirrors them."""
    height, width, channels = input_shape
    if height % 4 or width % 4:
        raise ValueError(f"the convolutional VAE halves the image twice: its sides must be multiples of 4, got {height}x{width}")
    layers = keras.layers
    image = keras.Input(shape=input_shape, name="image")
    condition = keras.Input(shape=(class_count,), name="condition")
    features = image
    if conditional:  # The class as constant maps beside the pixels: every filter sees it.
        features = layers.Concatenate(name="class_to_pixels")([image, _class_maps(layers, condition, height, width, "encoder")])
    features = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu", name="encoder_conv_1")(features)
    features = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu", name="encoder_conv_2")(features)
    features = layers.Flatten(name="flatten")(features)
    if conditional:
        features = layers.Concatenate(name="class_to_encoder")([features, condition])
    features = layers.Dense(sizes[-1], activation="relu", name="encoder_dense")(features)
    z_mean = layers.Dense(latent_dim, name="z_mean")(features)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(features)
    encoder = keras.Model([image, condition] if conditional else image, [z_mean, z_log_var], name=ENCODER)

    code = keras.Input(shape=(latent_dim,), name="z")
    decoder_condition = keras.Input(shape=(class_count,), name="decoder_condition")
    features = layers.Concatenate(name="class_to_decoder_1")([code, decoder_condition]) if conditional else code
    features = layers.Dense(sizes[-1], activation="relu", name="decoder_dense")(features)
    if conditional:  # Again before the next layer, as in the dense model.
        features = layers.Concatenate(name="class_to_decoder_2")([features, decoder_condition])
    features = layers.Dense((height // 4) * (width // 4) * 64, activation="relu", name="decoder_grid")(features)
    features = layers.Reshape((height // 4, width // 4, 64), name="decoder_maps")(features)
    if conditional:
        features = layers.Concatenate(name="class_to_maps")([features, _class_maps(layers, decoder_condition, height // 4, width // 4, "decoder")])
    features = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu", name="decoder_deconv_1")(features)
    decoded = layers.Conv2DTranspose(channels, 3, strides=2, padding="same", activation="sigmoid", name="decoded")(features)
    decoder = keras.Model([code, decoder_condition] if conditional else code, decoded, name=DECODER)
    return image, condition, encoder, decoder


def _build(parts, model_name: str, input_shape: tuple, class_count: int, parameters):
    keras = frameworks.keras()
    conditional = is_conditional(model_name)
    image, condition, encoder, decoder = parts(keras, tuple(input_shape), class_count, parameters.latent_dim, hidden_sizes(parameters.hidden_sizes), conditional)
    # The saved model reconstructs through the mean code: what the Run page shows.
    if conditional:
        z_mean, _ = encoder([image, condition])
        reconstruction = decoder([z_mean, condition])
        return keras.Model([image, condition], reconstruction, name=model_name)
    z_mean, _ = encoder(image)
    return keras.Model(image, decoder(z_mean), name=model_name)


def build_vae(input_shape, class_count, parameters, warn=print):
    return _build(_dense_parts, "vae", input_shape, class_count, parameters)


def build_cvae(input_shape, class_count, parameters, warn=print):
    return _build(_dense_parts, "cvae", input_shape, class_count, parameters)


def build_conv_vae(input_shape, class_count, parameters, warn=print):
    return _build(_convolution_parts, "conv_vae", input_shape, class_count, parameters)


def build_conv_cvae(input_shape, class_count, parameters, warn=print):
    return _build(_convolution_parts, "conv_cvae", input_shape, class_count, parameters)


# The generative models (project cvae), trained by core.kinds.generation.train, not by the backend's fit().
MODELS = {"vae": build_vae, "cvae": build_cvae, "conv_vae": build_conv_vae, "conv_cvae": build_conv_cvae}


def parts(model) -> tuple:
    """(encoder, decoder, conditional) of a built or loaded model."""
    encoder = model.get_layer(ENCODER)
    return encoder, model.get_layer(DECODER), len(encoder.inputs) == 2


def _trainer(model, beta: float, seed: int):
    """A Keras model that trains `model`'s encoder and decoder on the VAE loss."""
    keras = frameworks.keras()
    tensorflow = frameworks.tensorflow()
    ops = keras.ops
    encoder, decoder, conditional = parts(model)

    class Trainer(keras.Model):
        def __init__(self):
            super().__init__()
            self.encoder, self.decoder = encoder, decoder
            self.noise_seed = keras.random.SeedGenerator(seed)
            # Logged under the keys train_step returns: loss, reconstruction, kl.
            self.trackers = {name: keras.metrics.Mean(name=f"{name}_mean") for name in LOSS_NAMES}

        @property
        def metrics(self):
            return list(self.trackers.values())

        def losses_of(self, data, training: bool):
            images, conditions = data["image"], data["condition"]
            z_mean, z_log_var = self.encoder([images, conditions] if conditional else images, training=training)
            # The reparameterisation trick: z = mean + sigma × noise keeps the gradient.
            noise = keras.random.normal(ops.shape(z_mean), seed=self.noise_seed)
            z = z_mean + ops.exp(0.5 * z_log_var) * noise
            decoded = self.decoder([z, conditions] if conditional else z, training=training)
            # Pixels as Bernoulli probabilities: cross-entropy summed over an image.
            reconstruction = ops.mean(ops.sum(keras.losses.binary_crossentropy(images, decoded), axis=(1, 2)))
            kl = ops.mean(ops.sum(-0.5 * (1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var)), axis=1))
            return {"loss": reconstruction + beta * kl, "reconstruction": reconstruction, "kl": kl}

        def _track(self, values):
            for name, value in values.items():
                self.trackers[name].update_state(value)
            return {name: tracker.result() for name, tracker in self.trackers.items()}

        def train_step(self, data):
            data, _, _ = keras.utils.unpack_x_y_sample_weight(data)
            with tensorflow.GradientTape() as tape:
                values = self.losses_of(data, training=True)
            gradients = tape.gradient(values["loss"], self.trainable_weights)
            self.optimizer.apply_gradients(zip(gradients, self.trainable_weights))
            return self._track(values)

        def test_step(self, data):
            data, _, _ = keras.utils.unpack_x_y_sample_weight(data)
            return self._track(self.losses_of(data, training=False))

    return Trainer()


def _inputs(images: np.ndarray, labels: np.ndarray, class_count: int) -> dict:
    return {"image": images.astype(np.float32), "condition": np.eye(class_count, dtype=np.float32)[labels]}


def fit(model, split, parameters, reporter) -> None:
    from core.backends.keras_callbacks import reporter_callback

    keras = frameworks.keras()
    trainer = _trainer(model, parameters.beta, parameters.seed)
    trainer.compile(optimizer=keras.optimizers.Adam(parameters.learning_rate))
    trainer.fit(
        _inputs(split.x_train, split.y_train, split.class_count),
        batch_size=parameters.batch_size,
        epochs=parameters.epochs,
        validation_data=(_inputs(split.x_validation, split.y_validation, split.class_count),),
        callbacks=[reporter_callback(reporter, LOSS_NAMES)],
        verbose=0,
    )


def evaluate(model, images: np.ndarray, labels: np.ndarray, class_count: int, beta: float, seed: int) -> dict:
    """The loss, reconstruction and KL on `images` (one sampled code each, seeded)."""
    trainer = _trainer(model, beta, seed)
    trainer.compile(optimizer="adam")
    values = trainer.evaluate(_inputs(images, labels, class_count), batch_size=256, verbose=0, return_dict=True)
    return {name: float(values[name]) for name in LOSS_NAMES}


def _call(network, inputs) -> np.ndarray:
    return np.asarray(network(inputs, training=False))


def encode(model, images: np.ndarray, conditions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(z_mean, z_log_var) of float32 NHWC images; `conditions` one-hot (ignored by a VAE)."""
    encoder, _, conditional = parts(model)
    images = images.astype(np.float32)
    z_mean, z_log_var = encoder([images, conditions.astype(np.float32)] if conditional else images, training=False)
    return np.asarray(z_mean), np.asarray(z_log_var)


def decode(model, codes: np.ndarray, conditions: np.ndarray) -> np.ndarray:
    """Images in [0, 1] for latent codes; `conditions` one-hot or mixed (ignored by a VAE)."""
    _, decoder, conditional = parts(model)
    codes = codes.astype(np.float32)
    return _call(decoder, [codes, conditions.astype(np.float32)] if conditional else codes)
