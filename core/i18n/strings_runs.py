"""Strings of the Runs page's filters and pages."""

STRINGS = {
    "runs_filter_study_all": {"en": "All studies", "fr": "Toutes les études"},
    "runs_filter_text": {"en": "Search", "fr": "Rechercher"},
    "runs_filter_text_placeholder": {"en": "id, model, dataset, study…", "fr": "identifiant, modèle, jeu de données, étude…"},
    "runs_no_match": {"en": "No run matches these filters.", "fr": "Aucune exécution ne correspond à ces filtres."},
    "runs_page": {"en": "Page (of {count})", "fr": "Page (sur {count})"},
    "runs_shown": {"en": "Runs {first}–{last} of {total}", "fr": "Exécutions {first} à {last} sur {total}"},
}
