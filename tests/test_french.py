"""French everywhere: the language kept in the URL and the session across page switches,
labels of hyperparameters, ranges, errors and stored names, and every page's text checked
against the English table (no English string whose French differs shows on a French page)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from page_fixtures import PAGES, TIMEOUT, make_run, open_page
from streamlit.testing.v1 import AppTest

from core import hyperparams, i18n
from core.i18n import STRINGS

MAIN = Path(__file__).resolve().parent.parent / "app" / "main.py"


def open_main(query: dict | None = None) -> AppTest:
    """The whole app (app/main.py: navigation, language picker) on its home page."""
    app = AppTest.from_file(str(MAIN), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    return app.run()


def language_picker(app: AppTest):
    return app.sidebar.selectbox(key="language_choice")


# The language kept across page switches, reloads and shared links.

def test_a_fresh_session_opened_with_lang_fr_is_french(runs_root):
    app = open_main({"lang": "fr"})
    assert not app.exception
    assert app.title[0].value == i18n.t("home_title", "fr")
    assert language_picker(app).value == "fr"
    assert app.query_params["lang"] == ["fr"] or app.query_params["lang"] == "fr"


def test_an_unknown_lang_falls_back_to_english_and_the_url_says_so(runs_root):
    app = open_main({"lang": "de"})
    assert app.title[0].value == i18n.t("home_title", "en")
    assert str(app.query_params["lang"]).strip("[]'") == "en"


def test_choosing_french_puts_it_in_the_url_and_survives_runs_open(runs_root):
    run_id = make_run(runs_root, with_model=False)
    app = open_main()
    language_picker(app).set_value("fr").run()
    assert str(app.query_params["lang"]).strip("[]'") == "fr"
    app.switch_page("../pages/runs.py").run()
    assert app.title[0].value == i18n.t("runs_title", "fr")
    app.button(key="runs_open").click().run()
    assert not app.exception
    assert app.title[0].value == i18n.t("run_title", "fr")
    assert language_picker(app).value == "fr"
    assert str(app.query_params["run"]).strip("[]'") == run_id
    assert str(app.query_params["lang"]).strip("[]'") == "fr"


# Labels, ranges, errors and numbers.

def project_fields() -> dict:
    from core.projects import PROJECTS

    return {spec.name: spec for project in PROJECTS.values() for spec in hyperparams.field_specs(project.parameters)}


@pytest.mark.parametrize("name", sorted(project_fields()))
def test_every_hyperparameter_has_a_label(name):
    spec = project_fields()[name]
    assert spec.label_key in STRINGS
    assert STRINGS[spec.label_key]["en"] != name  # A label, not the field's name again.


def test_a_refused_value_keeps_its_english_message_and_has_a_french_one():
    from core.projects.digits import DigitsParameters

    with pytest.raises(i18n.TranslatableError) as caught:
        hyperparams.resolve(DigitsParameters, {"learning_rate": 50.0})
    assert str(caught.value) == "learning_rate: expected float from 1e-06 to 10.0, got 50.0"
    french = i18n.t(caught.value.key, "fr", **caught.value.values)
    assert french == "Taux d'apprentissage (learning_rate) : attendu un nombre de 1e-06 à 10,0, reçu 50,0"


def test_ranges_in_french():
    specs = project_fields()
    assert specs["epochs"].describe_range("fr") == "un entier de 1 à 500"
    assert specs["epochs"].describe_range() == "int from 1 to 500"
    assert specs["optimizer"].describe_range("fr").startswith("une valeur parmi sgd")
    assert specs["batch_norm"].describe_range("fr") == "vrai ou faux"


def test_numbers_in_french_use_the_decimal_comma():
    assert i18n.number_text(0.001, "fr") == "0,001"
    assert i18n.number_text(1293, "fr", ",") == "1\u202f293"
    assert i18n.number_text(0.9, "fr", ".0%") == "90\u00a0%"
    assert i18n.number_text(0.9, "en", ".3f") == "0.900"
    assert i18n.number_text("adam", "fr") == "adam"


def test_stored_names_are_translated_at_display_time_only():
    from core.data import anomaly, generated

    stored = [*generated.SHAPE_CLASSES, *generated.PAINTING_CLASSES, *generated.PATCH_CLASSES, anomaly.GOOD, *anomaly.DEFECT_KINDS, *anomaly.TEXTURE_CATEGORIES]
    missing = [name for name in stored if i18n.name_key(name) not in STRINGS]
    assert missing == []
    assert i18n.name_text("horizontal stripes", "fr") == "rayures horizontales"
    assert i18n.name_text("horizontal stripes", "en") == "horizontal stripes"
    assert i18n.name_text("7", "fr") == "7"  # A name without a translation stays.
    assert generated.SHAPE_CLASSES[6] == "horizontal stripes"


def test_the_toolbar_has_no_deploy_button():
    import tomllib

    config = tomllib.loads((MAIN.parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] == "minimal"


# Every page's text in French.

# Proto fields that never show (a form's id, a number's printf format, a chart's spec
# is read through its JSON below); in figures' JSON, the keys whose strings show.
HIDDEN_FIELDS = {"form_id", "id", "format", "type", "spec", "selection_mode", "theme"}
SHOWN_KEYS = {"text", "name", "title", "label", "labels", "hovertemplate", "texttemplate", "ticktext", "x", "y", "z", "datasets"}
# Shown as the frameworks name them: a torch layer's class (the English guide's title of
# the same layer is "Dropout" too).
FRAMEWORK_NAMES = {"Dropout"}


def _strings_of(message, out: list) -> list:
    """Every shown string field of a protobuf message, nested ones included."""
    for field, value in message.ListFields():
        items = value if field.is_repeated else [value]
        if field.type == field.TYPE_STRING and field.name not in HIDDEN_FIELDS:
            out.extend(items)
        elif field.type == field.TYPE_STRING and field.name == "spec":
            for item in items:
                try:
                    _leaves(json.loads(item), out)
                except ValueError:  # A graph in the dot language: its labels show.
                    out.append(item)
        elif field.type == field.TYPE_MESSAGE:
            for item in items:
                _strings_of(item, out)
    return out


def _leaves(value, out: list, shown: bool = False) -> None:
    """The strings of a figure's JSON that show: those under SHOWN_KEYS."""
    if isinstance(value, dict):
        for key, item in value.items():
            _leaves(item, out, shown or key in SHOWN_KEYS)
    elif isinstance(value, list):
        for item in value:
            _leaves(item, out, shown)
    elif isinstance(value, str) and shown:
        out.append(value)


def _table_texts(node) -> list[str]:
    """A table's visible headers (a column's configured label, else its name) and cells."""
    frame = node.value
    config = json.loads(node.proto.columns or "{}")
    headers = [(config.get(str(column)) or {}).get("label") or str(column) for column in frame.columns]
    return headers + [str(value) for value in frame.astype(str).values.ravel()]


def page_texts(app: AppTest) -> list[str]:
    """What a page sends to the browser as text: labels, values, options, help, placeholders,
    captions, tables, and the shown strings of figures and charts."""
    texts = []

    def walk(node) -> None:
        if type(node).__name__ == "Dataframe":
            texts.extend(_table_texts(node))
        elif getattr(node, "proto", None) is not None:
            _strings_of(node.proto, texts)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    return [text for text in texts if not text.startswith("$$ID-") and text not in FRAMEWORK_NAMES]


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[*_`#⏳🏃✅❌⛔]", " ", text).split()).casefold()


def english_left(texts: list[str]) -> list[str]:
    """The texts that equal an English string whose French differs, or contain one that is a
    whole sentence (four words or more)."""
    english = {_normal(texts_["en"]) for texts_ in STRINGS.values() if texts_["en"] != texts_["fr"] and "{" not in texts_["en"]}
    english -= {_normal(texts_["fr"]) for texts_ in STRINGS.values()}  # Said the same in French somewhere.
    sentences = [text for text in english if len(text.split()) >= 4]
    found = []
    for text in texts:
        normal = _normal(text)
        if normal in english or any(sentence in normal for sentence in sentences):
            found.append(text)
    return found


def test_the_check_finds_english(runs_root):
    assert english_left(["Épochs", "Learning rate", "Tout va bien. " + STRINGS["run_none"]["en"]]) == ["Learning rate", "Tout va bien. " + STRINGS["run_none"]["en"]]


@pytest.fixture
def finished_runs(runs_root):
    """Two finished digits runs (Compare takes two) and a failed one, without training."""
    run_id = make_run(runs_root)
    make_run(runs_root)
    make_run(runs_root, state="failed", with_model=False)
    return run_id


@pytest.mark.parametrize("page", sorted(path.stem for path in PAGES.glob("*.py")))
def test_a_french_page_shows_no_english(finished_runs, page):
    app = open_page(page, "fr", query={"run": finished_runs}, selected_run=finished_runs)
    assert not app.exception, app.exception
    assert english_left(page_texts(app)) == []
