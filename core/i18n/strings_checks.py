"""Strings of what is checked before a run exists (enrichment sets; folder paths are in
strings_folders) and of the checkpoints a page refuses to load."""

STRINGS = {
    "enrichment_error_not_a_set": {
        "en": "{path} is not an enrichment set: make one on the Enrich page, which fills this option for you.",
        "fr": "{path} n'est pas un jeu d'enrichissement : faites-en un dans la page Enrichir, qui remplit cette option pour vous.",
    },
    "checkpoint_error_refused": {
        "en": "This checkpoint holds more than weights and is refused for safety; retrain the run.",
        "fr": "Ce point de sauvegarde contient plus que des poids et il est refusé par sécurité ; réentraînez l'exécution.",
    },
    "checkpoint_error_unreadable": {
        "en": "This checkpoint is damaged or not a model file; retrain the run.",
        "fr": "Ce point de sauvegarde est abîmé ou n'est pas un fichier de modèle ; réentraînez l'exécution.",
    },
}
