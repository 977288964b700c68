"""What every page shares, by role: navigation and text (navigation.py), the forms of a new
run (forms.py), shared widgets (widgets.py), the layer views' widgets (layer_views.py), the
Projector's views of a projection (projector_views.py) and
what is read or computed of a run once (caches.py).
Pages write `from app import ui` and call `ui.tr(...)`, `ui.cached_model(run)`, ...

The only modules besides pages that import streamlit; the logic stays in core.
"""
from app.ui.caches import (
    cached_evaluation,
    cached_model,
    cached_pixel_roc,
    explanation,
    load_model_or_none,
    load_model_or_stop,
    maximised,
)
from app.ui.forms import folder_picker, hyperparameter_input, hyperparameter_inputs, preset_choice, retrain_elsewhere, run_choice
from app.ui.layer_views import filters_grid, layer_choice, maximisation_on_demand
from app.ui.navigation import (
    PAGE_FILES,
    PAGE_SECTIONS,
    PAGES_DIR,
    error_text,
    has_text,
    keep_queue_moving,
    language,
    language_switch,
    open_run,
    page_path,
    tr,
    warm_projector,
)
from app.ui.widgets import (
    answer_map,
    default_explanation_method,
    drawing,
    explanation_method_choice,
    finished_run_choice,
    format_seconds,
    headline_text,
    run_label,
    status_label,
)

__all__ = [
    "PAGES_DIR",
    "PAGE_FILES",
    "PAGE_SECTIONS",
    "answer_map",
    "cached_evaluation",
    "cached_model",
    "cached_pixel_roc",
    "default_explanation_method",
    "drawing",
    "error_text",
    "explanation",
    "explanation_method_choice",
    "filters_grid",
    "finished_run_choice",
    "folder_picker",
    "format_seconds",
    "has_text",
    "headline_text",
    "hyperparameter_input",
    "hyperparameter_inputs",
    "keep_queue_moving",
    "language",
    "language_switch",
    "layer_choice",
    "load_model_or_none",
    "load_model_or_stop",
    "maximisation_on_demand",
    "maximised",
    "open_run",
    "page_path",
    "preset_choice",
    "retrain_elsewhere",
    "run_choice",
    "run_label",
    "status_label",
    "tr",
    "warm_projector",
]
