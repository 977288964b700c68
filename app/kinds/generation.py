"""The views of generation: the Run page's reconstructions, latent space and samples per
class; Compare's sample grids from the same codes."""
from __future__ import annotations

import streamlit as st

from app import ui
from app.kinds import images
from core import inference
from core.kinds.generation import analysis as generation_views
from core.kinds.generation import train as generation

home_preview = images.image_preview


def collapse_warning(run, description: dict) -> None:
    """A warning when the run's KL term is about 0 per latent dimension: its code is unused
    (posterior collapse), so what the views vary barely changes the images."""
    from core.runs import store

    results = run.status.get("results") or {}
    # A finished run's test KL decides alone (final_kl): metrics.jsonl is read only without it,
    # not on every slider move of Generate.
    records = [] if results.get("test_kl") is not None else store.read_metrics(run.path)
    per_dimension = generation_views.collapsed_kl(results, records, int(description.get("latent_dim") or 0))
    if per_dimension is not None:
        st.warning(ui.tr("generate_collapse_warning", kl=per_dimension, threshold=generation_views.COLLAPSED_KL_PER_DIMENSION))


def run_views(run, project_views: tuple) -> None:
    """Test images beside their reconstructions, the latent space, five samples per class."""
    from core.projector import figure

    try:
        latent = ui.cached_evaluation(run)
        description = inference.read_description(run.path)
    except (OSError, ValueError, KeyError) as error:
        st.error(ui.tr("run_eval_unreadable", error=ui.plain(error)))
        return
    collapse_warning(run, description)
    class_names = description["class_names"]
    if "reconstructions" in project_views:
        st.subheader(ui.tr("run_reconstructions"))
        pairs, _ = generation_views.reconstruction_pairs(latent, count=2 * len(class_names))
        st.image(generation_views.grid_picture(pairs, cell=56))
        st.caption(ui.tr("run_reconstruction_error", error=generation_views.mean_reconstruction_error(latent)))
    left, right = st.columns(2)
    if "latent" in project_views:
        with left:
            st.subheader(ui.tr("run_latent"))
            projection = generation_views.latent_projection(latent)
            if projection.info["method"] == "pca":
                st.caption(ui.tr("generate_latent_pca", size=latent["codes"].shape[1]))
            titles = {"index": ui.tr("projector_field_index"), "label": ui.tr("generate_class"), "group": ui.tr("generate_class")}
            shown_names = [ui.name(name) for name in class_names]
            st.altair_chart(figure.scatter(projection, shown_names, "label", shown_names, titles).properties(height=420), key="run_latent")
    with right:
        st.subheader(ui.tr("run_samples" if description.get("conditional") else "run_samples_vae"))
        grid = generation.sample_grid(ui.cached_model(run), generation.DEFAULT_PER_CLASS, seed=0)
        st.image(generation_views.grid_picture(grid, cell=40))
        if st.button(ui.tr("run_open_generate"), key="run_open_generate"):
            st.session_state["selected_run"] = run.id
            ui.switch_page("generate")


def samples_section(comparison) -> None:
    st.subheader(ui.tr("compare_samples"))
    left, right = st.columns(2)
    per_class = left.number_input(ui.tr("generate_per_class"), min_value=1, max_value=10, value=3, key="compare_per_class")
    seed = right.number_input(ui.tr("generate_seed"), min_value=0, max_value=2**31 - 1, value=0, key="compare_seed")
    st.caption(ui.tr("compare_samples_caption"))
    for column, name, run in zip(images.grid(len(comparison.runs)), comparison.names, comparison.runs):
        loaded = ui.cached_model(run)
        column.markdown(f"**{name}**")
        column.image(generation_views.grid_picture(generation.sample_grid(loaded, int(per_class), int(seed)), cell=40))
        column.caption(", ".join(ui.plain(ui.name(name)) for name in loaded.class_names) if generation.is_conditional_model(loaded) else ui.tr("compare_samples_vae"))


compare_sections = (samples_section,)
