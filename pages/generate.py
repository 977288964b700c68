"""Generate: what a trained VAE or CVAE makes. Samples per class, the latent space, a
traversal of two latent dimensions, interpolations, and a code set by hand."""
import numpy as np
import streamlit as st

from app import ui
from app.kinds import generation as generation_run_views
from core import pictures
from core.i18n import TranslatableError
from core.kinds.generation import analysis as generation_views
from core.kinds.generation import train as generation
from core.projector import figure

# Sliders beyond this many dimensions would fill the page: the others stay at 0.
HAND_SLIDERS = 16

st.title(ui.tr("page_generate"))
st.caption(ui.tr("generate_intro"))
run = ui.finished_run_choice("generate_run", "generate", empty="generate_no_runs")
loaded = ui.load_model_or_stop(run)
try:
    latent = ui.cached_evaluation(run)
except OSError:
    st.error(ui.tr("generate_no_evaluation"))
    st.stop()
generation_run_views.collapse_warning(run, loaded.description)
conditional = generation.is_conditional_model(loaded)
class_names = [ui.name(name) for name in loaded.class_names]  # As shown: "circle" is "cercle" in French.
size = generation.latent_dim(loaded)
results = run.status.get("results") or {}
columns = st.columns(4)
columns[0].metric(ui.tr("generate_model"), f"{loaded.description['model']} · {size}-D")
columns[1].metric(ui.tr("metric_test_loss"), ui.number(results.get("test_loss", float("nan")), ".2f"))
columns[2].metric(ui.tr("metric_test_reconstruction"), ui.number(results.get("test_reconstruction", float("nan")), ".2f"))
if "conditional_accuracy" in results:
    columns[3].metric(ui.tr("metric_conditional_accuracy"), ui.number(results["conditional_accuracy"], ".1%"), help=ui.tr("metric_conditional_accuracy_help"))


def class_choice(key: str, label: str = "generate_class", index: int = 0):
    """A class picker for a CVAE; None (and nothing shown) for a VAE."""
    if not conditional:
        return None
    return st.selectbox(ui.tr(label), range(len(class_names)), index=index, format_func=lambda position: class_names[position], key=f"{key}_{run.id}")


def show_error(error: TranslatableError) -> None:
    st.error(ui.error_text(error))


samples_tab, latent_tab, traversal_tab, interpolation_tab, hand_tab = st.tabs(
    [ui.tr("generate_tab_samples"), ui.tr("generate_tab_latent"), ui.tr("generate_tab_traversal"), ui.tr("generate_tab_interpolation"), ui.tr("generate_tab_hand")]
)

with samples_tab:
    st.caption(ui.tr("generate_samples_help" if conditional else "generate_samples_help_vae"))
    settings = st.columns(2)
    per_class = settings[0].number_input(ui.tr("generate_per_class" if conditional else "generate_per_row"), min_value=1, max_value=20, value=generation.DEFAULT_PER_CLASS, key="generate_per_class")
    seed = settings[1].number_input(ui.tr("generate_seed"), min_value=0, max_value=2**31 - 1, value=0, key="generate_seed", help=ui.tr("generate_seed_help"))
    grid = generation.sample_grid(loaded, int(per_class), int(seed))
    if conditional:
        for row, name in enumerate(class_names):
            label, row_picture = st.columns([1, 6], vertical_alignment="center")
            label.markdown(f"**{ui.plain(name)}**")
            row_picture.image(generation_views.grid_picture(grid[row : row + 1], cell=64))
    else:
        st.image(generation_views.grid_picture(grid, cell=64))

with latent_tab:
    projection = generation_views.latent_projection(latent)
    if projection.info["method"] == "pca":
        st.info(ui.tr("generate_latent_pca", size=size))
        if st.button(ui.tr("generate_open_projector"), key="generate_open_projector"):
            st.session_state["selected_run"] = run.id
            ui.switch_page("projector")
    else:
        st.caption(ui.tr("generate_latent_direct"))
    titles = {"index": ui.tr("projector_field_index"), "label": ui.tr("generate_class"), "group": ui.tr("generate_class")}
    thumbnails = figure.hover_images(projection, latent["images"], limit=400)
    st.altair_chart(figure.scatter(projection, class_names, "label", class_names, titles, thumbnails), key=f"generate_latent_{run.id}")

with traversal_tab:
    if size < 2:
        st.info(ui.tr("generate_traversal_one"))
    st.caption(ui.tr("generate_traversal_help"))
    settings = st.columns(4)
    first = settings[0].selectbox(ui.tr("generate_dimension_rows"), range(size), key=f"generate_rows_{run.id}")
    second = settings[1].selectbox(ui.tr("generate_dimension_columns"), range(size), index=min(1, size - 1), key=f"generate_columns_{run.id}")
    steps = settings[2].slider(ui.tr("generate_steps"), 3, 11, 7, step=2, key="generate_traversal_steps")
    span = settings[3].slider(ui.tr("generate_span"), 0.5, 4.0, 2.5, step=0.5, key="generate_span")
    wanted = class_choice("generate_traversal_class")
    try:
        picture = generation_views.grid_picture(generation.traversal(loaded, (first, second), steps, span, wanted), cell=56)
    except TranslatableError as error:
        show_error(error)
    else:
        st.image(picture, caption=ui.tr("generate_traversal_caption", rows=first, columns=second, span=span))

with interpolation_tab:
    st.caption(ui.tr("generate_interpolation_help"))
    count = len(latent["labels"])
    settings = st.columns(3)
    start = settings[0].number_input(ui.tr("generate_start_image"), min_value=0, max_value=count - 1, value=0, key=f"generate_start_{run.id}")
    end = settings[1].number_input(ui.tr("generate_end_image"), min_value=0, max_value=count - 1, value=min(1, count - 1), key=f"generate_end_{run.id}")
    steps = settings[2].slider(ui.tr("generate_steps"), 3, 12, 8, key="generate_interpolation_steps")
    positions = [int(start), int(end)]
    images = pictures.as_float(latent["images"][positions])
    labels = latent["labels"][positions]
    path = generation.interpolate_images(loaded, images, labels, steps)
    ends = st.columns(2)
    for column, position in zip(ends, positions):
        column.image(pictures.enlarge(latent["images"][position], 84), caption=ui.tr("generate_test_image", index=position, label=class_names[int(latent["labels"][position])]))
    st.image(generation_views.grid_picture(path[np.newaxis], cell=64))
    if conditional:
        st.subheader(ui.tr("generate_between_classes"))
        st.caption(ui.tr("generate_between_classes_help"))
        settings = st.columns(2)
        with settings[0]:
            from_class = class_choice("generate_from_class", "generate_from_class")
        with settings[1]:
            to_class = class_choice("generate_to_class", "generate_to_class", index=min(1, len(class_names) - 1))
        code = generation.encode(loaded, images[:1], labels[:1])[0]
        st.image(generation_views.grid_picture(generation.interpolate_classes(loaded, code, from_class, to_class, steps)[np.newaxis], cell=64))

@ui.fragment()
def hand_view() -> None:
    """A code set by hand: a slider move reruns this part alone, not the other tabs."""
    st.caption(ui.tr("generate_hand_help"))
    wanted = class_choice("generate_hand_class")
    if size > HAND_SLIDERS:
        st.info(ui.tr("generate_hand_more", shown=HAND_SLIDERS, size=size))
    if st.button(ui.tr("generate_random_code"), key="generate_random_code"):
        random = np.random.default_rng().standard_normal(min(size, HAND_SLIDERS))
        for dimension, value in enumerate(random):
            st.session_state[f"generate_z_{run.id}_{dimension}"] = float(np.clip(np.round(value, 1), -3.0, 3.0))
    code = np.zeros(size, dtype=np.float32)
    slider_columns = st.columns(2)
    for dimension in range(min(size, HAND_SLIDERS)):
        code[dimension] = slider_columns[dimension % 2].slider(f"z{dimension}", -3.0, 3.0, 0.0, step=0.1, key=f"generate_z_{run.id}_{dimension}")
    st.image(pictures.enlarge(generation.generate(loaded, code, wanted)[0], 224), caption=class_names[wanted] if wanted is not None else None)


with hand_tab:
    hand_view()
