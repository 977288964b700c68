"""The PyTorch backend (core.backends.protocol.Backend). Models output logits; predict
applies the softmax."""
from __future__ import annotations

import dataclasses
import os
import pickle
import types
import zipfile
from pathlib import Path

import numpy as np

from core import backends, frameworks
from core.backends import class_balance

# The looking-inside half of the protocol.
from core.backends.torch_inspection import (  # noqa: F401
    activation_name,
    explanation_maps,
    graph,
    kernels,
    layer_outputs,
    layers,
    maximise,
)

CHECKPOINT_FILE = "model.pt"
# The training options implemented here; the others (schedules, early stopping, BatchNorm,
# shifts and rotations) are refused before a run exists (core.backends.check_options).
HONOURED_OPTIONS = frozenset({"dropout", "l2", "class_weights", "augment_flip"})


def _device():
    torch = frameworks.torch()
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def device() -> str:
    torch = frameworks.torch()
    if torch.cuda.is_available():
        return f"GPU ({torch.cuda.get_device_name(0)})"
    return "CPU"


def versions() -> dict:
    torch = frameworks.torch()
    return {"torch": torch.__version__}


def _to_tensor(images: np.ndarray):
    torch = frameworks.torch()
    # NHWC (the dataset layout) to NCHW (torch's).
    return torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2), dtype=np.float32))


def build(model_name: str, input_shape: tuple, class_count: int, parameters, warn=print):
    torch = frameworks.torch()
    torch.manual_seed(parameters.seed)
    model = backends.builder("torch", model_name)(tuple(input_shape), class_count, parameters)
    # Plain values only, so the checkpoint loads with weights_only=True and rebuilds the same model.
    model.builder = {"model": model_name, "input_shape": list(input_shape), "class_count": class_count, "parameters": dataclasses.asdict(parameters)}
    return model.to(_device())


def _optimizer(torch, name: str, parameters, learning_rate: float):
    # Keras' defaults, so the same hyperparameters mean the same thing on both backends.
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=learning_rate)
    if name == "momentum":
        return torch.optim.SGD(parameters, lr=learning_rate, momentum=0.9)
    if name == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=learning_rate, alpha=0.9, eps=1e-7)
    if name == "adam":
        return torch.optim.Adam(parameters, lr=learning_rate, eps=1e-7)
    raise ValueError(f"unknown optimizer {name!r}; valid: sgd, momentum, rmsprop, adam")


def _evaluate(model, images, labels, batch_size: int = 512) -> tuple[float, float]:
    torch = frameworks.torch()
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            logits = model(images[start : start + batch_size])
            target = labels[start : start + batch_size]
            total_loss += torch.nn.functional.cross_entropy(logits, target, reduction="sum").item()
            correct += (logits.argmax(1) == target).sum().item()
    return total_loss / len(images), correct / len(images)


def _first_point(model, images, labels, class_weights, l2: float, weights, reporter) -> None:
    """Step 0 of the curve, as the Keras backend writes it: the untrained model's loss (with
    its L2 term, as the batches' loss) and accuracy on the first batch of training images
    (eval mode: no dropout, no random draw, so training goes on exactly as without it)."""
    tell = getattr(reporter, "before_training", None)  # A test's silent reporter may have none.
    if tell is None:
        return
    torch = frameworks.torch()
    model.eval()
    with torch.no_grad():
        logits = model(images)
        loss = torch.nn.functional.cross_entropy(logits, labels, weight=class_weights)
        if l2 > 0:
            loss = loss + l2 * sum((weight**2).sum() for weight in weights)
        accuracy = (logits.argmax(1) == labels).float().mean().item()
    tell({"loss": loss.item(), "accuracy": accuracy})


def fit(model, split, parameters, reporter) -> None:
    torch = frameworks.torch()
    device = next(model.parameters()).device
    x_train, y_train = _to_tensor(split.x_train).to(device), torch.from_numpy(split.y_train).to(device)
    x_validation, y_validation = _to_tensor(split.x_validation).to(device), torch.from_numpy(split.y_validation).to(device)
    optimizer = _optimizer(torch, parameters.optimizer, model.parameters(), parameters.learning_rate)
    weights = [weight for name, weight in model.named_parameters() if weight.dim() > 1]
    class_weights = None
    if parameters.class_weights:
        table = class_balance.class_weights(split.y_train, split.class_count)
        class_weights = torch.tensor([table[index] for index in range(split.class_count)], dtype=torch.float32, device=device)
    generator = torch.Generator().manual_seed(parameters.seed)
    count = len(x_train)
    steps = (count + parameters.batch_size - 1) // parameters.batch_size
    _first_point(model, x_train[: parameters.batch_size], y_train[: parameters.batch_size], class_weights, parameters.l2, weights, reporter)
    for epoch in range(parameters.epochs):
        model.train()
        order = torch.randperm(count, generator=generator).to(device)
        loss_sum, correct, seen = 0.0, 0, 0
        for batch in range(steps):
            indices = order[batch * parameters.batch_size : (batch + 1) * parameters.batch_size]
            images, labels = x_train[indices], y_train[indices]
            if parameters.augment_flip:
                # Half the images mirrored left to right, as keras.layers.RandomFlip("horizontal").
                flipped = torch.rand(len(images), generator=generator).to(device) < 0.5
                images = torch.where(flipped.reshape(-1, 1, 1, 1), images.flip(3), images)
            logits = model(images)
            loss = torch.nn.functional.cross_entropy(logits, labels, weight=class_weights)
            if parameters.l2 > 0:
                loss = loss + parameters.l2 * sum((weight**2).sum() for weight in weights)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(labels)
            correct += (logits.argmax(1) == labels).sum().item()
            seen += len(labels)
            reporter.batch_end(epoch, batch, steps, {"loss": loss_sum / seen, "accuracy": correct / seen})
        validation_loss, validation_accuracy = _evaluate(model, x_validation, y_validation)
        reporter.epoch_end(epoch, {"loss": loss_sum / seen, "accuracy": correct / seen}, {"loss": validation_loss, "accuracy": validation_accuracy})


def predict(model, images: np.ndarray) -> np.ndarray:
    torch = frameworks.torch()
    device = next(model.parameters()).device
    model.eval()
    outputs = []
    with torch.no_grad():
        for start in range(0, len(images), 512):
            logits = model(_to_tensor(images[start : start + 512]).to(device))
            outputs.append(torch.softmax(logits, dim=1).cpu().numpy())
    return np.concatenate(outputs) if outputs else np.zeros((0, 0), dtype=np.float32)


def save(model, path: Path) -> None:
    torch = frameworks.torch()
    # Plain tensors and builder arguments only: loadable with weights_only=True.
    checkpoint = {"builder": model.builder, "state_dict": {name: tensor.cpu() for name, tensor in model.state_dict().items()}}
    temporary = path.with_name(f".{path.name}.tmp")
    torch.save(checkpoint, temporary)
    os.replace(temporary, path)


def _read_checkpoint(path: Path) -> dict:
    """The checkpoint's plain contents, weights only. torch's own refusal advises loading
    with weights_only=False, which would run whatever the file holds: a user never sees it."""
    from core.i18n import TranslatableError

    torch = frameworks.torch()
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        # torch.save writes a zip: one that unpickles to more than tensors and plain values is refused.
        raise TranslatableError("checkpoint_error_refused" if zipfile.is_zipfile(path) else "checkpoint_error_unreadable") from None
    except (RuntimeError, EOFError, ValueError, zipfile.BadZipFile):
        raise TranslatableError("checkpoint_error_unreadable") from None
    if not isinstance(checkpoint, dict) or not isinstance(checkpoint.get("builder"), dict) or not isinstance(checkpoint.get("state_dict"), dict):
        raise TranslatableError("checkpoint_error_unreadable")
    return checkpoint


def load(path: Path, description: dict):
    """The model of a checkpoint written by save(); a core.i18n.TranslatableError for a file
    that holds more than weights or is not such a checkpoint."""
    from core.i18n import TranslatableError

    checkpoint = _read_checkpoint(path)
    builder = checkpoint["builder"]
    try:
        # The builder reads the hyperparameters by attribute; checkpoints before they were kept whole held only the dropout.
        parameters = types.SimpleNamespace(**builder.get("parameters", {"dropout": builder.get("dropout", 0.0)}))
        model = backends.builder("torch", builder["model"])(tuple(builder["input_shape"]), builder["class_count"], parameters)
        state = checkpoint["state_dict"]
        if list(state) != list(model.state_dict()):
            # Checkpoints from before the layers had names ("0.weight"): same order, new names.
            state = dict(zip(model.state_dict(), state.values()))
        model.load_state_dict(state)
    except (KeyError, TypeError, RuntimeError):
        raise TranslatableError("checkpoint_error_unreadable") from None
    model.builder = builder
    model.eval()
    return model.to(_device())


def parameter_count(model) -> int:
    return int(sum(weight.numel() for weight in model.parameters()))


def warm_up() -> None:
    torch = frameworks.torch()
    images, labels = torch.zeros((8, 1, 8, 8)), torch.zeros(8, dtype=torch.int64)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3, padding=1), torch.nn.Flatten(), torch.nn.Linear(128, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = torch.nn.functional.cross_entropy(model(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
