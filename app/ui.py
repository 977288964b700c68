"""What every page shares: the language, translated strings, page links, run choice.

The only module besides pages that imports streamlit; the logic stays in core.
"""
from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from core import i18n
from core.runs import queue

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
# The sidebar's sections (their i18n keys), each page's role -> (file, icon); app/main.py
# builds the navigation from this table.
PAGE_SECTIONS = {
    "nav_work": {
        "home": ("home.py", ":material/home:"),
        "train": ("train.py", ":material/rocket_launch:"),
        "runs": ("runs.py", ":material/list:"),
        "run": ("run.py", ":material/monitoring:"),
        "studies": ("studies.py", ":material/science:"),
        "compare": ("compare.py", ":material/compare:"),
    },
    "nav_classifiers": {
        "predict": ("predict.py", ":material/image_search:"),
        "explain": ("explain.py", ":material/visibility:"),
        "inside": ("inside.py", ":material/layers:"),
        "enrich": ("enrich.py", ":material/add_photo_alternate:"),
        "projector": ("projector.py", ":material/scatter_plot:"),
    },
    "nav_other_tasks": {
        "generate": ("generate.py", ":material/auto_awesome:"),
        "anomaly": ("anomaly.py", ":material/troubleshoot:"),
    },
}
PAGE_FILES = {role: file for pages in PAGE_SECTIONS.values() for role, (file, _) in pages.items()}
SCHEDULE_INTERVAL_SECONDS = 2.0


def language() -> str:
    return st.session_state.get("language", "en")


def tr(key: str, **values) -> str:
    """The string `key` in the user's language."""
    return i18n.t(key, language(), **values)


def has_text(key: str) -> bool:
    """Whether `key` has a translation (optional labels, like a metric's column header)."""
    return key in i18n.STRINGS


def language_switch() -> None:
    st.sidebar.selectbox(
        "Language / Langue",
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key="language",
    )


def page_path(role: str) -> str:
    return str(PAGES_DIR / PAGE_FILES[role])


def open_run(run_id: str) -> None:
    """Go to the Run page showing `run_id`."""
    st.session_state["selected_run"] = run_id
    st.switch_page(page_path("run"), query_params={"run": run_id})


@st.cache_resource
def _last_schedule() -> dict:
    return {"time": 0.0}


def keep_queue_moving() -> None:
    """Reconcile dead workers and start queued runs, at most every few seconds per server."""
    last = _last_schedule()
    if time.monotonic() - last["time"] >= SCHEDULE_INTERVAL_SECONDS:
        last["time"] = time.monotonic()
        queue.schedule()


def warm_projector() -> None:
    """Start the projection service once per session, so it has paid its imports and UMAP's
    compilation before anyone asks for a projection (it exits on its own when idle)."""
    if st.session_state.get("projector_warmed"):
        return
    from core.projector import service

    try:
        service.ensure_running()
    except OSError:
        pass  # The Projector page starts it again and says what is wrong.
    st.session_state["projector_warmed"] = True


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
            value = getattr(chosen, spec.name)
            st.session_state[f"{form_prefix}_{spec.name}"] = float(value) if spec.type is float else value

    st.selectbox(
        tr("label_preset"), ["", *project.presets], key=f"{key_prefix}_preset_{project.id}", on_change=apply,
        format_func=lambda key: tr(project.presets[key].title) if key else tr("preset_none"),
    )


def run_choice(key_prefix: str):
    """Project, dataset, model and backend pickers in a row; returns the four choices."""
    from core.projects import PROJECTS, get_project

    columns = st.columns(4)
    project_id = columns[0].selectbox(tr("label_project"), list(PROJECTS), format_func=lambda key: tr(PROJECTS[key].title), key=f"{key_prefix}_project")
    project = get_project(project_id)
    dataset = columns[1].selectbox(tr("label_dataset"), list(project.datasets), format_func=lambda key: tr(project.datasets[key].title), key=f"{key_prefix}_dataset_{project_id}")
    model = columns[2].selectbox(tr("label_model"), list(project.models), key=f"{key_prefix}_model_{project_id}")
    backend = columns[3].selectbox(tr("label_backend"), list(project.backends_for(model)), key=f"{key_prefix}_backend_{project_id}_{model}")
    return project, dataset, model, backend


def error_text(error: Exception) -> str:
    """An error for the user: in their language when it carries an i18n key (FolderError,
    ImageError), else its English message."""
    return tr(error.key, **error.values) if isinstance(error, i18n.TranslatableError) else str(error)


def _describe_class_folder(path: str) -> None:
    """The class balance of a folder of class folders."""
    import pandas

    from core.data import folders

    summary = folders.scan_folder(path)
    st.caption(tr("picker_summary", classes=len(summary.class_names), images=sum(summary.counts), ignored=summary.ignored_files))
    st.bar_chart(pandas.DataFrame({tr("picker_images"): summary.counts}, index=summary.class_names), horizontal=True, height=min(600, 60 + 22 * len(summary.counts)))
    if summary.empty_classes:
        st.warning(tr("picker_empty_classes", names=", ".join(summary.empty_classes)))
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
    st.caption(tr("picker_category_summary", train=counts["train/good"], test=sum(tests.values()), defective=defective, kinds=len([name for name in tests if name != "test/good"])))
    st.bar_chart(pandas.DataFrame({tr("picker_images"): list(counts.values())}, index=list(counts)), horizontal=True, height=min(600, 60 + 22 * len(counts)))


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
    upload = st.file_uploader(tr(f"{texts}_upload_zip"), type=["zip"], key=f"{key_prefix}_zip")
    if upload is not None and st.session_state.get(f"{path_key}_upload") != upload.file_id:
        try:
            folder = folders.extract_zip(upload.getvalue(), config.artifacts_dir() / "uploads")
        except folders.FolderError as error:
            st.error(error_text(error))
        else:
            st.session_state[path_key] = str(folder)
            st.session_state[f"{path_key}_upload"] = upload.file_id
    path = st.text_input(tr(f"{texts}_path"), key=path_key, help=tr(f"help_{field}"))
    if not path.strip():
        st.info(tr(f"{texts}_choose"))
        return {field: ""}
    try:
        describe(path.strip())
    except TranslatableError as error:
        st.error(error_text(error))
    return {field: path.strip()}


def hyperparameter_input(spec, key: str):
    """One widget for one hyperparameter (core.hyperparams.FieldSpec), its range in the help."""
    label = spec.name.replace("_", " ")
    help_text = f"{tr(spec.help)} ({tr('train_range')}: {spec.describe_range()})"
    if spec.choices:
        return st.selectbox(label, spec.choices, index=spec.choices.index(spec.default), help=help_text, key=key)
    if spec.type is bool:
        return st.checkbox(label, value=spec.default, help=help_text, key=key)
    if spec.type is str:
        return st.text_input(label, value=spec.default, help=help_text, key=key)
    if spec.type is int:
        return st.number_input(label, min_value=spec.minimum, max_value=spec.maximum, value=spec.default, step=spec.step or 1, help=help_text, key=key)
    if spec.step:
        return st.slider(label, min_value=float(spec.minimum), max_value=float(spec.maximum), value=float(spec.default), step=float(spec.step), help=help_text, key=key)
    return st.number_input(label, min_value=float(spec.minimum), max_value=float(spec.maximum), value=float(spec.default), format="%g", help=help_text, key=key)


def hyperparameter_inputs(project, dataset: str, key_prefix: str, skip: tuple = (), columns: int = 3) -> dict:
    """The form of the fields that matter for `dataset`, in columns; returns name -> value."""
    specs = [spec for spec in project.fields_for(dataset) if spec.name not in skip]
    form_columns = st.columns(columns)
    values = {}
    for index, spec in enumerate(specs):
        with form_columns[index % columns]:
            values[spec.name] = hyperparameter_input(spec, f"{key_prefix}_{spec.name}")
    return values


def headline_text(run) -> str:
    """The run's headline test result (accuracy for a classifier, loss for a VAE), or ""."""
    from core.projects import headline_result

    _, value = headline_result(run)
    return "" if value is None else f"{value:.3f}"


def finished_run_choice(key: str, finished: list | None = None, empty: str = "predict_no_runs"):
    """A picker of the finished runs that have a model (the selected run first; `finished`:
    inference.finished_runs() when the page has already read it); stops the page with the
    note `empty` (an i18n key) when there is none."""
    from core import inference

    finished = inference.finished_runs() if finished is None else finished
    if not finished:
        st.info(tr(empty))
        st.stop()
    by_id = {run.id: run for run in finished}
    ids = list(by_id)
    wanted = st.session_state.get("selected_run")
    run_id = st.selectbox(
        tr("run_choose"), ids, index=ids.index(wanted) if wanted in by_id else 0,
        format_func=lambda choice: " · ".join(filter(None, (run_label(by_id[choice]), headline_text(by_id[choice])))), key=key,
    )
    return by_id[run_id]


@st.cache_resource(show_spinner=False, max_entries=6)
def _cached_model(path: str, modified: float):
    from core import inference

    return inference.load_model(Path(path))


def cached_model(run):
    """The run's model, loaded once per checkpoint (a rerun does not reload it)."""
    from core import inference

    return _cached_model(str(run.path), inference.checkpoint_time(run.path))


@st.cache_data(show_spinner=False, max_entries=4)
def _predictions(path: str, modified: float) -> dict:
    from core import inference

    return inference.load_predictions(Path(path))


def cached_predictions(run) -> dict:
    """The run's eval/predictions.npz (test images, labels, predictions, probabilities),
    read once per version of the file: a rerun or a slider move does not decompress it again.
    OSError when the run or its file is gone."""
    from core import inference

    return _predictions(str(run.path), inference.predictions_time(run.path))


@st.cache_data(show_spinner=False, max_entries=4)
def _latent(path: str, modified: float) -> dict:
    from core import generation

    return generation.load_latent(Path(path))


def cached_latent(run) -> dict:
    """A generative run's eval/latent.npz (test images, reconstructions, labels, codes), read
    once per version of the file. OSError when the run or its file is gone."""
    from core import generation

    return _latent(str(run.path), generation.latent_time(run.path))


@st.cache_data(show_spinner=False, max_entries=8)
def _anomaly_scores(path: str, modified: float) -> dict:
    from core import detection

    return detection.load_scores(Path(path))


def cached_scores(run) -> dict:
    """An anomaly run's eval/anomaly.npz (test images, reconstructions, maps, masks, scores),
    read once per version of the file. OSError when the run or its file is gone."""
    from core import detection

    return _anomaly_scores(str(run.path), detection.scores_time(run.path))


@st.cache_data(show_spinner=False, max_entries=4)
def _pixel_roc(path: str, modified: float):
    from core.analysis import anomaly

    scored = _anomaly_scores(path, modified)
    return anomaly.pixel_roc(scored["masks"], scored["maps"].astype("float32"), scored["include"])


def cached_pixel_roc(run):
    """An anomaly run's pixel-level ROC curve: millions of pixels, so computed once per
    version of its scores, not at every slider move."""
    from core import detection

    return _pixel_roc(str(run.path), detection.scores_time(run.path))


@st.cache_data(show_spinner=False, max_entries=64)
def _explanation(path: str, modified: float, images, method: str, layer, classes):
    from core import explanations

    return explanations.explain(_cached_model(path, modified), images, method, layer, None if classes is None else list(classes))


def explanation(run, images, method: str, layer: str | None = None, classes=None):
    """core.explanations.explain on the run's cached model, itself cached: moving the
    opacity slider or rerunning the page does not recompute maps."""
    from core import inference

    classes = None if classes is None else tuple(int(index) for index in classes)
    return _explanation(str(run.path), inference.checkpoint_time(run.path), images, method, layer, classes)


def explanation_method_choice(model, key: str) -> str | None:
    """A picker of the explanation methods. A CAM method on a model without convolution
    says why it does not apply, offers saliency, and gives None."""
    from core import explanations, inspection

    names = list(explanations.METHODS)
    method = st.selectbox(tr("explain_method"), names, format_func=lambda name: tr(explanations.METHODS[name].title), key=key)
    st.caption(tr(f"explain_about_{method}"))
    if explanations.METHODS[method].needs_convolution and not inspection.convolution_layers(model):
        st.warning(tr("inspection_error_no_convolution"))
        st.button(tr("explain_use_saliency"), on_click=st.session_state.update, kwargs={key: explanations.NO_CONVOLUTION_METHOD}, key=f"{key}_use_saliency")
        return None
    return method


def default_explanation_method(model) -> str:
    """GradCAM++ when the model has a convolution, saliency otherwise: for the answer's map
    on the Predict and Compare pages."""
    from core import explanations, inspection

    return explanations.DEFAULT_METHOD if inspection.convolution_layers(model) else explanations.NO_CONVOLUTION_METHOD


def answer_map(container, run, model, pixels, size: int = 112) -> None:
    """Beside an answer, where the model looked: GradCAM++ of the predicted class (saliency
    for a model without convolution), in `container`."""
    import numpy as np

    from core import explanations
    from core.analysis import figures

    method = default_explanation_method(model)
    try:
        result = explanation(run, np.asarray(pixels, dtype=np.float32)[np.newaxis], method)
    except i18n.TranslatableError as error:
        container.caption(error_text(error))
        return
    label = model.class_names[int(result.class_indices[0])]
    caption = tr("explain_map_of", method=tr(explanations.METHODS[method].title), label=label)
    container.image(figures.enlarge(explanations.overlay(pixels, result.maps[0]), size), caption=caption)


def load_model_or_stop(run):
    """cached_model, or an error on the page and the page stopped."""
    try:
        with st.spinner(tr("predict_loading")):
            return cached_model(run)
    except (OSError, ValueError, LookupError) as error:
        # A run deleted (by another tab, the CLI) since the page listed it.
        st.error(tr("run_not_found", run_id=run.id) if not run.path.is_dir() else tr("predict_model_error", error=error))
        st.stop()


def drawing(key: str):
    """A black canvas to draw on in white; the drawing as an RGBA uint8 array once it has ink, else None."""
    import numpy as np

    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception as error:  # A custom component that cannot register: say so, keep the page.
        st.warning(tr("predict_draw_unavailable", error=error))
        return None
    st.caption(tr("predict_draw_help"))
    canvas = st_canvas(stroke_width=18, stroke_color="#FFFFFF", background_color="#000000", height=224, width=224, return_image_data=True, key=key)
    image = canvas.image_data if canvas is not None else None
    if image is None or np.asarray(image)[..., :3].max() == 0:
        return None
    return np.asarray(image).astype(np.uint8)


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(round(seconds))
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def run_label(run) -> str:
    """One line naming a run in a run picker: id, project, model, backend, status."""
    return f"{run.id} · {run.project} · {run.model} · {run.backend} · {status_label(run.state)}"


def status_label(state: str) -> str:
    icons = {"queued": "⏳", "running": "🏃", "finished": "✅", "failed": "❌", "cancelled": "⛔"}
    return f"{icons.get(state, '')} {tr('status_' + state)}"
