"""core.projects: the registry and every project's declarations; core.data's split."""
from __future__ import annotations

import numpy as np
import pytest
from core_fixtures import index_pool, indices_of

from core import backends, hyperparams
from core.data import TEST_FRACTION, ImagePool, split_pool
from core.data import kinds as data_kinds
from core.i18n.strings import STRINGS
from core.projects import PROJECTS, get_project
from core.projects.base import DatasetSpec

PROJECT_IDS = sorted(PROJECTS)


def _loads_with_defaults(project, spec) -> bool:
    """Offline, and the default hyperparameters are enough: a folder dataset needs the user's path."""
    if not spec.offline:
        return False
    try:
        spec.check_options(hyperparams.resolve(project.parameters))
    except ValueError:
        return False
    return True


def _dataset_params(keep) -> list:
    return [
        pytest.param(project_id, dataset_id, id=f"{project_id}-{dataset_id}")
        for project_id in PROJECT_IDS
        for dataset_id, spec in PROJECTS[project_id].datasets.items()
        if keep(PROJECTS[project_id], spec)
    ]


ALL_DATASETS = _dataset_params(lambda project, spec: True)
OFFLINE_DEFAULTS = _dataset_params(_loads_with_defaults)
# The image pools among them, which core.data.split_pool splits.
OFFLINE_DATASETS = _dataset_params(lambda project, spec: spec.data_kind == "image_pool" and _loads_with_defaults(project, spec))


def _assert_translated(key: str) -> None:
    assert key in STRINGS, f"i18n key {key!r} missing from core.i18n.strings.STRINGS"
    for language in ("en", "fr"):
        assert isinstance(STRINGS[key].get(language), str) and STRINGS[key][language].strip(), f"{key}: no {language!r} text"


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_get_project_returns_the_registered_project(project_id):
    project = get_project(project_id)
    assert project is PROJECTS[project_id]
    assert project.id == project_id


def test_unknown_project_lists_the_valid_ids():
    with pytest.raises(ValueError) as raised:
        get_project("no-such-project")
    message = str(raised.value)
    assert "'no-such-project'" in message
    for project_id in PROJECT_IDS:
        assert project_id in message


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_titles_and_summaries_are_translated(project_id):
    project = get_project(project_id)
    _assert_translated(project.title)
    _assert_translated(project.summary)
    for dataset in project.datasets.values():
        _assert_translated(dataset.title)


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_declarations_are_consistent(project_id):
    project = get_project(project_id)
    assert project.datasets and project.default_dataset == next(iter(project.datasets))
    assert project.models and project.views
    assert callable(project.train)
    for model in project.models:
        assert project.backends_for(model), f"model {model!r} has no backend"
        assert set(project.backends_for(model)) <= set(backends.BACKENDS)
    assert set(project.backends) == {name for model in project.models for name in project.backends_for(model)}
    # The defaults that queue.build_params picks must pass the project's own check.
    model = project.models[0]
    project.check_choice(project.default_dataset, model, project.backends_for(model)[0])


@pytest.mark.parametrize("project_id", PROJECT_IDS)
def test_check_choice_names_the_valid_options(project_id):
    project = get_project(project_id)
    dataset, model = project.default_dataset, project.models[0]
    backend = project.backends_for(model)[0]

    with pytest.raises(ValueError) as raised:
        project.check_choice("no-such-dataset", model, backend)
    assert "'no-such-dataset'" in str(raised.value) and all(name in str(raised.value) for name in project.datasets)

    with pytest.raises(ValueError) as raised:
        project.check_choice(dataset, "no-such-model", backend)
    assert "'no-such-model'" in str(raised.value) and all(name in str(raised.value) for name in project.models)

    with pytest.raises(ValueError) as raised:
        project.check_choice(dataset, model, "no-such-backend")
    assert "'no-such-backend'" in str(raised.value) and all(name in str(raised.value) for name in project.backends_for(model))

    # A backend that exists but lacks the model (digits: the mlp is Keras only).
    for other_model in project.models:
        for other_backend in set(backends.BACKENDS) - set(project.backends_for(other_model)):
            with pytest.raises(ValueError, match=f"model '{other_model}' has no backend '{other_backend}'"):
                project.check_choice(dataset, other_model, other_backend)


def test_digits_mlp_is_keras_only():
    # The case above relies on at least one such pair existing; keep it honest.
    assert get_project("digits").backends_for("mlp") == ("keras",)
    assert get_project("digits").backends_for("cnn") == ("keras", "torch")


@pytest.fixture(scope="module")
def loaded_pools():
    cache = {}

    def load(project_id, dataset_id):
        if (project_id, dataset_id) not in cache:
            project = PROJECTS[project_id]
            cache[project_id, dataset_id] = project.datasets[dataset_id].load_pool(hyperparams.resolve(project.parameters))
        return cache[project_id, dataset_id]

    return load


@pytest.mark.parametrize("project_id, dataset_id", ALL_DATASETS)
def test_every_dataset_declares_a_known_data_kind(project_id, dataset_id):
    assert PROJECTS[project_id].datasets[dataset_id].data_kind in data_kinds.DATA_KINDS


def test_anomaly_datasets_are_anomaly_sets():
    assert {spec.data_kind for spec in PROJECTS["anomaly"].datasets.values()} == {"anomaly_set"}


@pytest.mark.parametrize("project_id, dataset_id", OFFLINE_DEFAULTS)
def test_offline_datasets_load_as_their_declared_container(project_id, dataset_id, loaded_pools):
    declared = PROJECTS[project_id].datasets[dataset_id].data_kind
    assert isinstance(loaded_pools(project_id, dataset_id), data_kinds.DATA_KINDS[declared].container)


def test_a_loader_returning_another_kind_is_refused_by_name():
    spec = DatasetSpec(title="dataset_odd", load=lambda: (np.zeros((2, 8, 8, 1)), np.zeros(2)), offline=True)
    with pytest.raises(ValueError, match=r"dataset 'dataset_odd' declares data kind 'image_pool' \(ImagePool\), but its loader returned tuple"):
        spec.load_pool(None)


def test_an_unknown_data_kind_is_refused_when_declared():
    with pytest.raises(ValueError, match="unknown data kind 'graph'; valid: image_pool, anomaly_set, token_sequences"):
        DatasetSpec(title="dataset_odd", load=lambda: None, offline=True, data_kind="graph")


@pytest.mark.parametrize("project_id, dataset_id", OFFLINE_DEFAULTS)
def test_offline_datasets_load_as_nhwc_float32_in_unit_range(project_id, dataset_id, loaded_pools):
    # Through the declared kind's preview: an anomaly set shows as a pool of its image kinds.
    pool = data_kinds.as_pool(loaded_pools(project_id, dataset_id), PROJECTS[project_id].datasets[dataset_id].data_kind)
    assert isinstance(pool, ImagePool)
    assert pool.images.ndim == 4 and pool.images.shape[0] == len(pool.labels) > 0
    assert pool.images.shape[3] in (1, 3), "channels last"
    assert pool.images.dtype == np.float32
    assert pool.images.min() >= 0.0 and pool.images.max() <= 1.0
    assert pool.images.max() > 0.5, "pixels look unscaled or empty"
    assert np.issubdtype(pool.labels.dtype, np.integer)
    assert pool.labels.min() >= 0 and pool.labels.max() < len(pool.class_names)
    assert set(np.unique(pool.labels)) == set(range(len(pool.class_names))), "every class should appear"
    assert pool.source


def test_digits_dataset_is_the_scikit_learn_one(loaded_pools):
    pool = loaded_pools("digits", "digits")
    assert pool.images.shape == (1797, 8, 8, 1)
    assert pool.class_names == [str(digit) for digit in range(10)]


def test_image_pool_refuses_bad_shapes():
    with pytest.raises(ValueError, match="count, height, width, channels"):
        ImagePool(images=np.zeros((4, 8, 8), np.float32), labels=np.zeros(4, np.int64), class_names=["a"], source="test")
    with pytest.raises(ValueError, match="4 images but 3 labels"):
        ImagePool(images=np.zeros((4, 8, 8, 1), np.float32), labels=np.zeros(3, np.int64), class_names=["a"], source="test")


@pytest.mark.parametrize("project_id, dataset_id", OFFLINE_DATASETS)
def test_split_is_reproducible_disjoint_complete_and_stratified(project_id, dataset_id, loaded_pools):
    labels = loaded_pools(project_id, dataset_id).labels
    pool = index_pool(labels)
    validation_fraction = get_project(project_id).parameters().validation_fraction

    first, again, other = (split_pool(pool, seed, validation_fraction) for seed in (0, 0, 1))
    parts = [indices_of(first.x_train), indices_of(first.x_validation), indices_of(first.x_test)]

    # Same seed, same split; another seed, another split.
    for name in ("x_train", "x_validation", "x_test", "y_train", "y_validation", "y_test"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert set(indices_of(other.x_test)) != set(parts[2])

    # Disjoint and together the whole pool, with labels following their images.
    assert sum(len(part) for part in parts) == len(labels)
    assert len(np.unique(np.concatenate(parts))) == len(labels)
    np.testing.assert_array_equal(first.y_test, labels[parts[2]])
    np.testing.assert_array_equal(first.y_train, labels[parts[0]])

    # Sizes: the fixed test fraction, then the validation fraction of what is left.
    assert len(parts[2]) == int(np.ceil(TEST_FRACTION * len(labels)))
    assert len(parts[1]) == int(np.ceil(validation_fraction * (len(labels) - len(parts[2]))))

    # Stratified: each class keeps its share of the pool in every part (within rounding).
    classes = np.arange(len(pool.class_names))
    pool_share = np.bincount(labels, minlength=len(classes)) / len(labels)
    for part_labels in (first.y_train, first.y_validation, first.y_test):
        counts = np.bincount(part_labels, minlength=len(classes))
        assert np.all(np.abs(counts - pool_share * len(part_labels)) <= 1.0 + 1e-9), counts

    assert first.class_count == len(pool.class_names)
    assert first.input_shape == pool.images.shape[1:]


def test_split_keeps_a_rare_class_in_every_part():
    # 10% of one class: without stratification a seed could leave it out of validation.
    labels = np.array([0] * 180 + [1] * 20)
    for seed in range(5):
        split = split_pool(index_pool(labels), seed, 0.25)
        for part in (split.y_train, split.y_validation, split.y_test):
            assert (part == 1).sum() >= 3
