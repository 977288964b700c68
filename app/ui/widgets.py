"""Widgets the pages share: the finished run to look at and how runs are named, the
explanation method and the map beside an answer, a canvas to draw on, durations."""
from __future__ import annotations

import streamlit as st

from app.ui import caches, navigation
from app.ui.safety import plain, run_not_found
from core import i18n


def headline_text(run) -> str:
    """The run's headline test result (accuracy for a classifier, loss for a VAE), or ""."""
    from core.projects import headline_result

    _, value = headline_result(run)
    return "" if value is None else navigation.number(value, ".3f")


def finished_run_choice(key: str, page: str, choices=None, empty: str = "predict_no_runs"):
    """A picker of the finished runs with a model that the page `page` (its role) takes: the
    newest (core.runs.store.PICKER_SIZE) and the chosen one (the picker's own choice, else
    session state's selected_run), with a link to the Runs page for the others. `choices`:
    the store.RunChoices the page has already read (inference.finished_choices, asked with
    these two ids among its own). Stops the page with the note `empty` (an i18n key) when
    there is none."""
    from core import inference
    from core.runs import store

    # The picker's own choice once made, else the run opened elsewhere before.
    wanted = st.session_state.get(key) or st.session_state.get("selected_run")
    if choices is None:
        choices = inference.finished_choices(page, [wanted])
    own = st.session_state.get(key)
    if own and own not in {run.id for run in choices.runs} and not store.run_exists(own):
        run_not_found(own)  # The run it showed was deleted (by another tab, the command line).
    if not choices.runs:
        st.info(navigation.tr(empty))
        st.stop()
    by_id = {run.id: run for run in choices.runs}
    ids = list(by_id)
    # Every run here is finished: no status in the labels, the headline result instead.
    labels = run_labels(choices.related, with_status=False)
    run_id = st.selectbox(
        navigation.tr("run_choose"), ids, index=ids.index(wanted) if wanted in by_id else 0,
        format_func=lambda choice: " · ".join(filter(None, (labels[choice], headline_text(by_id[choice])))), key=key,
    )
    more_runs_link(choices, f"{key}_find")
    return by_id[run_id]


def more_runs_link(choices, key: str, caption: str = "finished_picker_newest") -> None:
    """Under a picker that offers only the newest runs (store.RunChoices): how many there are
    (the i18n key `caption`), and a button to the Runs page, which filters and pages them all."""
    from core.runs import store

    if choices.total <= len(choices.runs):
        return
    st.caption(navigation.tr(caption, shown=store.PICKER_SIZE, total=choices.total))
    if st.button(navigation.tr("run_picker_all"), key=key):
        navigation.switch_page("runs")


def explanation_method_choice(model, key: str) -> str | None:
    """A picker of the explanation methods. A CAM method on a model without convolution
    says why it does not apply, offers saliency, and gives None."""
    from core import explanations, inspection

    names = list(explanations.METHODS)
    method = st.selectbox(navigation.tr("explain_method"), names, format_func=lambda name: navigation.tr(explanations.METHODS[name].title), key=key)
    st.caption(navigation.tr(f"explain_about_{method}"))
    if explanations.METHODS[method].needs_convolution and not inspection.convolution_layers(model):
        st.warning(navigation.tr("inspection_error_no_convolution"))
        st.button(navigation.tr("explain_use_saliency"), on_click=st.session_state.update, kwargs={key: explanations.NO_CONVOLUTION_METHOD}, key=f"{key}_use_saliency")
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

    from core import explanations, pictures

    method = default_explanation_method(model)
    try:
        result = caches.explanation(run, np.asarray(pixels, dtype=np.float32)[np.newaxis], method)
    except i18n.TranslatableError as error:
        container.caption(navigation.error_text(error))
        return
    label = navigation.name(model.class_names[int(result.class_indices[0])])
    caption = navigation.tr("explain_map_of", method=navigation.tr(explanations.METHODS[method].title), label=label)
    container.image(pictures.enlarge(explanations.overlay(pixels, result.maps[0]), size), caption=caption)


def drawing(key: str):
    """A black canvas to draw on in white; the drawing as an RGBA uint8 array once it has ink, else None."""
    import numpy as np

    try:
        from streamlit_drawable_canvas import st_canvas
    except Exception as error:  # A custom component that cannot register: say so, keep the page.
        st.warning(navigation.tr("predict_draw_unavailable", error=plain(error)))
        return None
    st.caption(navigation.tr("predict_draw_help"))
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


def run_label(run, study_values: str = "", with_status: bool = True) -> str:
    """One line naming a run in a run picker: its status, project, model, backend, its study
    and what sets it apart there (`study_values`), and its id last (a picker cuts long lines
    at the end, and the id tells least)."""
    parts = (status_label(run.state) if with_status else "", run.project, run.model, run.backend, study_text(run, study_values), run.id)
    return " · ".join(part for part in parts if part)


def study_text(run, study_values: str) -> str:
    """'lr study: learning_rate=0.01': the run's study and its values there; "" outside a study."""
    tag = run.params.get("study")
    return f"{tag.get('name', tag.get('id'))}: {study_values}" if isinstance(tag, dict) and study_values else ""


def run_labels(runs: list, with_status: bool = True) -> dict:
    """Run id -> run_label, a study's runs told apart by the hyperparameters that vary across them."""
    return {run.id: run_label(run, values, with_status) for run, values in zip(runs, study_values(runs))}


def study_values(runs: list) -> list[str]:
    """Each run's values of what varies across its study (core.studies.study_labels), "" outside one."""
    from core import studies

    labels = studies.study_labels(runs)
    return [labels.get(run.id, "") for run in runs]


def eta_text(run) -> str:
    """The training time left of a run that trains, "" for any other (a run still starting
    or evaluating, or a failed one, has none to say)."""
    from core.runs import reporter

    progress = run.status.get("progress") or {}
    if reporter.phase_of(run.status) != "training" or progress.get("eta") is None:
        return ""
    return format_seconds(progress["eta"])


def training_done(run) -> bool:
    """Training is over and the worker evaluates on the test split and saves (still
    cancellable), early stopping or not: its phase says so, not the epochs counted."""
    from core.runs import reporter

    return reporter.phase_of(run.status) == "evaluating"


def live_phase(run) -> str:
    """What the page outside a run's live part depends on: its status and its phase (core.runs.
    reporter.PHASES). When it changes, the whole page is redrawn (picker label, cancel button)."""
    from core.runs import reporter

    return reporter.phase_of(run.status) or run.state


# How a backend's framework is named while a run loads it.
FRAMEWORK_NAMES = {"keras": "Keras (TensorFlow)", "torch": "PyTorch"}


def starting_text(run) -> str:
    """What a run that has not begun training does (waiting, loading the framework, the
    data, building the model), with the time since launch, or "" once it trains."""
    import time

    from core.runs import reporter

    phase = reporter.phase_of(run.status)
    if phase not in reporter.BEFORE_TRAINING:
        return ""
    backend = run.params.get("backend") or ""
    text = navigation.tr(f"phase_{phase}", framework=FRAMEWORK_NAMES.get(backend, plain(backend)), dataset=plain(run.params.get("dataset") or ""))
    since = run.status.get("created") or run.status.get("started")
    if since is None:
        return text
    return navigation.tr("run_phase_since_launch", phase=text, elapsed=format_seconds(max(0.0, time.time() - since)))


# A session asks for warm workers at most this often (each ask: a lock and a folder listing).
WARM_CHECK_SECONDS = 30.0


def warm_workers(backend: str | None) -> None:
    """Have a warm worker of `backend`'s framework waiting (core.runs.warm) while a page
    shows a project that trains on it, so Launch does not pay the framework's import."""
    import time

    from core.runs import warm

    framework = warm.framework_of(backend)
    key = f"warm_workers_asked_{framework}"
    if framework is None or time.monotonic() - st.session_state.get(key, float("-inf")) < WARM_CHECK_SECONDS:
        return
    st.session_state[key] = time.monotonic()
    try:
        warm.ensure(framework)
    except (OSError, ValueError):
        pass  # A bad setting or a full disk: runs start cold, and Launch says what is wrong.


def status_label(state: str) -> str:
    icons = {"queued": "⏳", "running": "🏃", "finished": "✅", "failed": "❌", "cancelled": "⛔"}
    key = f"status_{state}"
    text = navigation.tr(key) if navigation.has_text(key) else state  # A state newer than the strings shows as it is.
    return f"{icons.get(state, '')} {text}"
