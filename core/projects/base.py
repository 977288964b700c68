"""What a course project declares: its data, models, hyperparameters, views and training."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset a project trains on: a loader and whether it works without network."""

    title: str  # i18n key
    load: Callable  # (**options) -> the container of data_kind
    offline: bool  # True when it needs no download (ships with a library or is generated)
    location: Callable | None = None  # () -> local path it would read, or None (it would download)
    # Loader argument -> hyperparameter field. Such fields belong to the datasets that name
    # them: the form shows a folder path only when the dataset is a folder.
    options: dict[str, str] = field(default_factory=dict)
    generated: bool = False  # made by the project: the UI labels it so
    # How a user's image becomes a model input (core.images.prepare): "ink" for strokes on a
    # plain background (digits, clothes), "photo" for pictures (kept in colour, cropped).
    preparation: str = "photo"
    # (**options, validation_fraction) -> None: raises a core.i18n.TranslatableError before a
    # run is queued (a folder that is missing, or too small to split with that fraction).
    check: Callable | None = None
    input_shape: tuple | None = None  # (height, width, channels) when fixed: checks need no loading
    data_kind: str = "image_pool"  # what load returns: a name in core.data.kinds.DATA_KINDS

    def __post_init__(self):
        from core.data import kinds

        kinds.get_data_kind(self.data_kind)

    def _options(self, parameters) -> dict:
        return {argument: getattr(parameters, name) for argument, name in self.options.items()}

    def load_pool(self, parameters):
        """The loaded data (the container of data_kind), with this dataset's options taken
        from the resolved hyperparameters; ValueError when the loader returned another kind."""
        from core.data import kinds

        data = self.load(**self._options(parameters))
        kinds.check_container(data, self.data_kind, self.title)
        return data

    def check_options(self, parameters) -> None:
        if self.check is not None:
            # The split's fraction too: whether the images can be split is known before a run.
            self.check(**self._options(parameters), validation_fraction=getattr(parameters, "validation_fraction", None))


@dataclass(frozen=True)
class Preset:
    """A named starting point: a model and hyperparameters a teacher would pick."""

    title: str  # i18n key
    model: str
    overrides: dict


@dataclass(frozen=True)
class Project:
    id: str
    title: str  # i18n key
    summary: str  # i18n key: what it teaches
    task: str  # the name of its kind of task in core.kinds.KINDS
    datasets: dict[str, DatasetSpec]  # the first is the default
    models: tuple[str, ...]  # names in the backends' model tables; the first is the default
    parameters: type  # a hyperparameter dataclass (core.hyperparams)
    views: tuple[str, ...]  # what the Run page shows for it
    train: Callable  # (run: core.runs.worker.RunContext) -> dict of test metrics
    presets: dict[str, Preset] = field(default_factory=dict)
    # The metrics of its learning curves, a panel each (loss first: lower is better).
    curves: tuple[str, ...] = ("loss", "accuracy")
    # The test metrics its runs report, the headline first: name -> True when higher is better.
    results: dict[str, bool] = field(default_factory=lambda: {"test_accuracy": True, "test_loss": False})
    # (parameters, dataset id, model) -> None: checks across fields, before a run is queued.
    check: Callable | None = None

    @property
    def default_dataset(self) -> str:
        return next(iter(self.datasets))

    def fields_for(self, dataset: str, backend: str | None = None) -> list:
        """The hyperparameter fields that matter for `dataset` (every field, less the options
        of the other datasets) and, when given, for `backend` (less the training options it
        does not implement)."""
        from core import backends, hyperparams

        own = set(self.datasets[dataset].options.values())
        others = {name for spec in self.datasets.values() for name in spec.options.values()} - own
        honoured = backends.honoured_options(backend) if backend else None
        return [
            spec for spec in hyperparams.field_specs(self.parameters)
            if spec.name not in others and (honoured is None or not spec.is_option or spec.name in honoured)
        ]

    def backends_for(self, model: str) -> tuple[str, ...]:
        """Backends whose model table has `model`, in registry order."""
        from core import backends

        return tuple(name for name in self._backend_order() if model in backends.model_names(name))

    @property
    def backends(self) -> tuple[str, ...]:
        """Backends of any of its models, in registry order."""
        names = {backend for model in self.models for backend in self.backends_for(model)}
        return tuple(name for name in self._backend_order() if name in names)

    @staticmethod
    def _backend_order() -> tuple[str, ...]:
        from core import backends

        return tuple(backends.BACKENDS)

    def check_choice(self, dataset: str, model: str, backend: str) -> None:
        """Raise a core.i18n.TranslatableError naming the valid options when a choice does not
        fit this project."""
        from core.i18n import TranslatableError

        if dataset not in self.datasets:
            raise TranslatableError("project_error_unknown_dataset", dataset=repr(dataset), project=self.id, valid=", ".join(self.datasets))
        if model not in self.models:
            raise TranslatableError("project_error_unknown_model", model=repr(model), project=self.id, valid=", ".join(self.models))
        valid_backends = self.backends_for(model)
        if backend not in valid_backends:
            raise TranslatableError("project_error_no_backend", model=repr(model), backend=repr(backend), valid=", ".join(valid_backends))

    @property
    def headline(self) -> tuple[str, bool]:
        """The test metric that ranks its runs, and whether higher is better."""
        name = next(iter(self.results))
        return name, self.results[name]

    def check_paths(self, parameters, dataset: str) -> None:
        """Every path-like field that matters for `dataset` and is filled names what it should
        (core.hyperparams.PATH_KINDS); a core.i18n.TranslatableError otherwise."""
        from core import enrichment
        from core.data import folders

        for spec in self.fields_for(dataset):
            value = getattr(parameters, spec.name)
            if spec.path == "folder" and value:
                folders.checked_folder(value)
            elif spec.path == "enrichment_set" and value:
                enrichment.check_set(value)

    def check_parameters(self, parameters, dataset: str, model: str, backend: str) -> None:
        """The training options the backend implements, the dataset's options (and whether its
        images can be split), then the project's own checks; a core.i18n.TranslatableError on
        the first fault, which a page says in the user's language."""
        from core import backends

        backends.check_options(backend, parameters)
        self.check_paths(parameters, dataset)
        self.datasets[dataset].check_options(parameters)
        if self.check is not None:
            self.check(parameters, dataset, model)
