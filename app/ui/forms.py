"""The forms of a new run: its project, dataset, model and backend, a preset, a dataset's
folder, and one widget per hyperparameter."""
from __future__ import annotations

import streamlit as st

from app.ui import navigation
from app.ui.safety import plain


def preset_choice(project, key_prefix: str, form_prefix: str) -> None:
    """A project's ready-made starting points: picking one sets the model and every field."""
    if not project.presets:
        return

    def apply() -> None:
        from core import hyperparams

        preset = project.presets.get(st.session_state[f"{key_prefix}_preset_{project.id}"])
        if preset is None:
            return
        st.session_state[f"{key_prefix}_model_{project.id}"] = preset.model
        chosen = hyperparams.resolve(project.parameters, preset.overrides)
        for spec in hyperparams.field_specs(project.parameters):
            st.session_state[f"{form_prefix}_{spec.name}"] = hyperparams.form_text(spec, getattr(chosen, spec.name))

    chosen = st.selectbox(
        navigation.tr("label_preset"), ["", *project.presets], key=f"{key_prefix}_preset_{project.id}", on_change=apply,
        format_func=lambda key: navigation.tr(project.presets[key].title) if key else navigation.tr("preset_none"),
    )
    if chosen:
        # Say what the preset changed (the fields' names as the form labels them); the others went back to their defaults.
        preset = project.presets[chosen]
        fields = [("model", preset.model), *preset.overrides.items()]
        st.text(navigation.tr("preset_set", fields=", ".join(f"{name.replace('_', ' ')} = {value}" for name, value in fields)))


def run_choice(key_prefix: str):
    """Project, dataset, model and backend pickers in a row; returns the four choices."""
    from core.projects import PROJECTS, get_project

    columns = st.columns(4)
    # A widget's state goes when another page is shown: the choice is kept under a key of its own.
    remembered = f"{key_prefix}_project_remembered"
    projects = list(PROJECTS)
    index = projects.index(st.session_state[remembered]) if st.session_state.get(remembered) in PROJECTS else 0
    project_id = columns[0].selectbox(navigation.tr("label_project"), projects, index=index, format_func=lambda key: navigation.tr(PROJECTS[key].title), key=f"{key_prefix}_project")
    st.session_state[remembered] = project_id
    project = get_project(project_id)
    dataset = columns[1].selectbox(navigation.tr("label_dataset"), list(project.datasets), format_func=lambda key: navigation.tr(project.datasets[key].title), key=f"{key_prefix}_dataset_{project_id}")
    model = columns[2].selectbox(navigation.tr("label_model"), list(project.models), key=f"{key_prefix}_model_{project_id}")
    backend = columns[3].selectbox(navigation.tr("label_backend"), list(project.backends_for(model)), key=f"{key_prefix}_backend_{project_id}_{model}")
    return project, dataset, model, backend


def _describe_class_folder(path: str) -> None:
    """The class balance of a folder of class folders."""
    import pandas

    from core.data import folders

    summary = folders.scan_folder(path)
    st.caption(navigation.tr("picker_summary", classes=len(summary.class_names), images=sum(summary.counts), ignored=summary.ignored_files))
    st.bar_chart(pandas.DataFrame({navigation.tr("picker_images"): summary.counts}, index=summary.class_names), horizontal=True, height=min(600, 60 + 22 * len(summary.counts)))
    if summary.empty_classes:
        st.warning(navigation.tr("picker_empty_classes", names=", ".join(map(plain, summary.empty_classes))))
    if summary.artists:  # Best Artworks: who the classes are.
        rows = [{"artist": name, **{column: summary.artists[name].get(column, "") for column in ("genre", "nationality", "years")}, "images": count}
                for name, count in zip(summary.class_names, summary.counts) if name in summary.artists]
        st.dataframe(rows, hide_index=True)


def _describe_category(path: str) -> None:
    """The images of an anomaly category: good ones to learn from, test ones by kind."""
    import pandas

    from core.data import anomaly

    counts = anomaly.scan_category(path)
    tests = {name: count for name, count in counts.items() if name != "train/good"}
    defective = sum(count for name, count in tests.items() if name != "test/good")
    st.caption(navigation.tr("picker_category_summary", train=counts["train/good"], test=sum(tests.values()), defective=defective, kinds=len([name for name in tests if name != "test/good"])))
    st.bar_chart(pandas.DataFrame({navigation.tr("picker_images"): list(counts.values())}, index=list(counts)), horizontal=True, height=min(600, 60 + 22 * len(counts)))


# The dataset options that name a folder: the prefix of their picker's texts, and what the
# picker shows of a folder (raising a TranslatableError for a folder that will not do).
FOLDER_OPTIONS = {
    "data_path": ("picker", _describe_class_folder),
    "category_path": ("picker_category", _describe_category),
}


def folder_picker(project, dataset: str, key_prefix: str) -> dict:
    """For a folder dataset: its path (typed, or a zip uploaded and unpacked under
    artifacts/uploads) and what is in it. Returns {option: path} ({"data_path": ...} for
    class folders, {"category_path": ...} for an anomaly category), or {}."""
    field = next((name for name in project.datasets[dataset].options.values() if name in FOLDER_OPTIONS), None)
    if field is None:
        return {}
    from core import config
    from core.data import folders
    from core.i18n import TranslatableError

    texts, describe = FOLDER_OPTIONS[field]
    path_key = f"{key_prefix}_{field}"
    upload = st.file_uploader(navigation.tr(f"{texts}_upload_zip"), type=["zip"], key=f"{key_prefix}_zip")
    if upload is not None and st.session_state.get(f"{path_key}_upload") != upload.file_id:
        try:
            folder = folders.extract_zip(upload.getvalue(), config.artifacts_dir() / "uploads")
        except folders.FolderError as error:
            st.error(navigation.error_text(error))
        else:
            st.session_state[path_key] = str(folder)
            st.session_state[f"{path_key}_upload"] = upload.file_id
    path = st.text_input(navigation.tr(f"{texts}_path"), key=path_key, help=navigation.tr(f"help_{field}"))
    if not path.strip():
        st.info(navigation.tr(f"{texts}_choose"))
        return {field: ""}
    try:
        # Outside the allowed folders, missing or unreadable: one sentence, and no scan.
        folders.checked_folder(path.strip())
        describe(path.strip())
    except TranslatableError as error:
        st.error(navigation.error_text(error))
    return {field: path.strip()}


def hyperparameter_input(spec, key: str):
    """One widget for one hyperparameter (core.hyperparams.FieldSpec), its range in the help."""
    label = navigation.field_label(spec.name)
    help_text = navigation.tr("train_help_with_range", help=navigation.tr(spec.help), range=spec.describe_range(navigation.language()))
    if spec.choices:
        return st.selectbox(label, spec.choices, index=spec.choices.index(spec.default), help=help_text, key=key, format_func=lambda choice: navigation.choice_label(spec.name, choice))
    if spec.type is bool:
        return st.checkbox(label, value=spec.default, help=help_text, key=key)
    if spec.type is str:
        return st.text_input(label, value=spec.default, help=help_text, key=key)
    if spec.type is int:
        return st.number_input(label, min_value=spec.minimum, max_value=spec.maximum, value=spec.default, step=spec.step or 1, help=help_text, key=key)
    if spec.step:
        return st.slider(label, min_value=float(spec.minimum), max_value=float(spec.maximum), value=float(spec.default), step=float(spec.step), help=help_text, key=key)
    # A text box, read by core.hyperparams.parse_number when the run is queued: it takes a
    # French decimal comma ("0,001"), which a browser's number box refuses.
    from core import hyperparams

    return st.text_input(label, value=hyperparams.form_text(spec, spec.default), help=help_text, key=key)


def hyperparameter_inputs(project, dataset: str, key_prefix: str, skip: tuple = (), columns: int = 3, backend: str | None = None) -> dict:
    """The form of the fields that matter for `dataset` and `backend` (the training options
    it does not implement left out), in columns; returns name -> value."""
    specs = [spec for spec in project.fields_for(dataset, backend) if spec.name not in skip]
    form_columns = st.columns(columns)
    values = {}
    for index, spec in enumerate(specs):
        with form_columns[index % columns]:
            values[spec.name] = hyperparameter_input(spec, f"{key_prefix}_{spec.name}")
    return values


def retrain_elsewhere(run, project) -> None:
    """Seed 001 task 8: the same architecture and hyperparameters, trained on another dataset."""
    from core.runs import queue

    tr = navigation.tr
    others = [dataset for dataset in project.datasets if dataset != run.dataset]
    if not others:
        return
    with st.expander(tr("run_retrain")):
        columns = st.columns([3, 1])
        dataset = columns[0].selectbox(tr("label_dataset"), others, format_func=lambda key: tr(project.datasets[key].title), key=f"run_retrain_dataset_{run.id}")
        if columns[1].button(tr("run_retrain_button"), key=f"run_retrain_{run.id}"):
            try:
                new_run = queue.submit(project.id, dataset, run.model, run.backend, run.params.get("hyperparameters"))
            except ValueError as error:
                st.error(tr("train_error", error=navigation.error_text(error)))
            else:
                navigation.open_run(new_run)
