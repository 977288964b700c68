"""Strings of the Runs page's filters and pages, and of the run pickers of the other pages."""

STRINGS = {
    "runs_filter_study_all": {"en": "All studies", "fr": "Toutes les études"},
    "runs_filter_text": {"en": "Search", "fr": "Rechercher"},
    "runs_filter_text_placeholder": {"en": "id, model, dataset, study…", "fr": "identifiant, modèle, jeu de données, étude…"},
    "runs_no_match": {"en": "No run matches these filters.", "fr": "Aucune exécution ne correspond à ces filtres."},
    "runs_page": {"en": "Page (of {count})", "fr": "Page (sur {count})"},
    "runs_shown": {"en": "Runs {first}–{last} of {total}", "fr": "Exécutions {first} à {last} sur {total}"},
    "run_picker_newest": {
        "en": "The {shown} newest runs are offered here; all {total} are on the Runs page, where you can search and open them.",
        "fr": "Les {shown} exécutions les plus récentes sont proposées ici ; les {total} sont sur la page Exécutions, où vous pouvez les chercher et les ouvrir.",
    },
    "run_picker_all": {"en": "Find another run", "fr": "Chercher une autre exécution"},
    "finished_picker_newest": {
        "en": "The {shown} newest finished runs are offered here; all {total} are on the Runs page: open one there, then come back to this page.",
        "fr": "Les {shown} exécutions terminées les plus récentes sont proposées ici ; les {total} sont sur la page Exécutions : ouvrez-en une là-bas, puis revenez sur cette page.",
    },
}
