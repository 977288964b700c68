"""Strings of a run's phases (core.runs.reporter.PHASES) as the Run page shows them."""

STRINGS = {
    "phase_waiting_for_worker": {"en": "Waiting for a free worker", "fr": "En attente d'un processus libre"},
    "phase_loading_framework": {"en": "Starting: loading {framework}", "fr": "Démarrage : chargement de {framework}"},
    "phase_loading_data": {"en": "Loading the data ({dataset})", "fr": "Chargement des données ({dataset})"},
    "phase_building_model": {"en": "Building the model", "fr": "Construction du modèle"},
    "phase_training": {"en": "Training", "fr": "Entraînement"},
    "phase_evaluating": {"en": "Evaluating on the test split and saving the model", "fr": "Évaluation sur le jeu de test et sauvegarde du modèle"},
    "run_phase_since_launch": {"en": "{phase}… · {elapsed} since launch", "fr": "{phase}… · {elapsed} depuis le lancement"},
}
