"""The widgets of the layer views (the Inside page): a layer picker that honours the address,
the first convolution's filters, activation maximisation computed on demand."""
from __future__ import annotations

import streamlit as st

from app.ui import caches, navigation
from app.ui.safety import plain, run_not_found
from core import inspection, pictures
from core.analysis import layers
from core.i18n import TranslatableError


def layer_choice(loaded, names: list[str], default: str, key: str) -> str:
    """A layer picker; a layer asked in the address (?layer=) or left from another run that
    this model has not is named in a message, and the default taken."""
    requested = st.query_params.get("layer")
    if requested and f"{key}_asked" not in st.session_state:
        st.session_state[f"{key}_asked"] = True
        try:
            inspection.layer(loaded, requested)
            if requested in names:
                st.session_state[key] = requested
        except TranslatableError as error:
            st.error(navigation.error_text(error))
    if st.session_state.get(key) is not None and st.session_state[key] not in names:
        st.warning(navigation.tr("layers_stale_layer", name=plain(st.session_state[key]), default=plain(default)))
        st.session_state[key] = default
    st.session_state.setdefault(key, default)
    return st.selectbox(navigation.tr("layers_layer"), names, key=key, format_func=lambda name: f"{name} · {inspection.layer(loaded, name).kind}")


def filters_grid(loaded) -> str | None:
    """The first convolution's filters as a grid; its name, or None (and a note) without one."""
    try:
        name, filters = layers.first_layer_filters(loaded)
    except TranslatableError as error:
        st.info(navigation.error_text(error))
        return None
    caption = navigation.tr("layers_filters_caption", name=name, count=len(filters), shape=layers.shape_text(filters.shape[1:]))
    st.image(pictures.mosaic(filters, columns=16, cell=40, gap=6), caption=caption)
    return name


def maximisation_on_demand(run, layer_name: str, channels: list[int], key: str) -> None:
    """A button computes (once, then cached) one image per channel; shown while the choice stays."""
    request = (str(run.path), layer_name, tuple(channels))
    if st.button(navigation.tr("layers_max_compute", count=len(channels)), key=f"{key}_button"):
        st.session_state[f"{key}_request"] = request
    if st.session_state.get(f"{key}_request") != request:
        st.caption(navigation.tr("layers_max_hint"))
        return
    try:
        with st.spinner(navigation.tr("layers_max_running")):
            maximised_images, silent = caches.maximised(run, layer_name, channels)
    except TranslatableError as error:
        st.error(navigation.error_text(error))
        return
    except (OSError, LookupError):  # The run was deleted since the page listed it.
        run_not_found(run.id)
        return
    # A dead channel's tile is blank or noise: its caption says so rather than leave it unexplained.
    captions = [navigation.tr("layers_max_silent", channel=channel) if dead else f"#{channel}" for channel, dead in zip(channels, silent)]
    st.image([pictures.enlarge(picture, 96) for picture in maximised_images], caption=captions)
    if any(silent):
        st.caption(navigation.tr("layers_max_silent_help", count=sum(silent)))
