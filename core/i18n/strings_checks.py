"""Strings of what is checked before a run exists (choices, hyperparameters across fields,
enrichment sets; folder paths are in strings_folders) and of the checkpoints a page refuses
to load. The English text is also the command line's."""

STRINGS = {
    # A project, dataset, model or backend that does not exist (the command line's choices).
    "project_error_unknown": {
        "en": "unknown project {project}; valid: {valid}",
        "fr": "projet inconnu {project} ; choisissez parmi : {valid}",
    },
    "project_error_unknown_dataset": {
        "en": "unknown dataset {dataset} for {project}; valid: {valid}",
        "fr": "jeu de données inconnu {dataset} pour {project} ; choisissez parmi : {valid}",
    },
    "project_error_unknown_model": {
        "en": "unknown model {model} for {project}; valid: {valid}",
        "fr": "modèle inconnu {model} pour {project} ; choisissez parmi : {valid}",
    },
    "project_error_no_backend": {
        "en": "model {model} has no backend {backend}; valid: {valid}",
        "fr": "le modèle {model} n'a pas de backend {backend} ; choisissez parmi : {valid}",
    },
    "hyperparameter_error_unknown": {
        "en": "unknown hyperparameter {name}; valid: {valid}",
        "fr": "hyperparamètre inconnu {name} ; choisissez parmi : {valid}",
    },
    "hyperparameter_error_assignment": {
        "en": "--set expects NAME=VALUE, got {text}",
        "fr": "--set attend NOM=VALEUR, reçu {text}",
    },
    # Checks of one project's fields.
    "generation_error_hidden_sizes": {
        "en": "{field}: expected three whole numbers from 1 to 4096 separated by commas, such as 256,128,64, got {text}",
        "fr": "{field} : donnez trois nombres entiers de 1 à 4096 séparés par des virgules, par exemple 256,128,64 (reçu {text}).",
    },
    "generation_error_latent_too_large": {
        "en": "{field}: {latent_dim} is larger than the {numbers} numbers of a {dataset} image ({size}); the code must be smaller than the image it compresses: lower it to {numbers} or less",
        "fr": "{field} : {latent_dim} dépasse les {numbers} nombres d'une image de {dataset} ({size}) ; le code doit être plus petit que l'image qu'il compresse : ramenez-le à {numbers} ou moins.",
    },
    "anomaly_error_image_size": {
        "en": "{field}: the models halve the image three times, so it must be a multiple of 8, got {image_size}",
        "fr": "{field} : les modèles divisent l'image par deux trois fois, elle doit donc être un multiple de 8 (reçu {image_size}).",
    },
    # A real dataset a run meets neither on disk nor online.
    "dataset_error_unavailable": {
        "en": "{title} is not cached and could not be downloaded ({reason}); set {variable} to a local .npz or folder, or DLLAB_DATA_DIR to a folder holding {folder}/, or pick a dataset that works offline",
        "fr": "{title} n'est pas en cache et n'a pas pu être téléchargé ({reason}) ; donnez à {variable} le chemin d'un .npz ou d'un dossier local, ou à DLLAB_DATA_DIR celui d'un dossier contenant {folder}/, ou choisissez un jeu de données qui fonctionne hors ligne.",
    },
    # An enrichment set a run meets (checked again by the worker: the set can change).
    "enrichment_error_gone": {
        "en": "The enrichment set {path} was not found: it was removed after the run was queued. Make it again on the Enrich page.",
        "fr": "Le jeu d'enrichissement {path} est introuvable : il a été supprimé après la mise en file de l'exécution. Refaites-le dans la page Enrichir.",
    },
    "enrichment_error_shape": {
        "en": "The enrichment images are {images}, the dataset's are {dataset}: make the set for a run on this dataset, at this image size.",
        "fr": "Les images d'enrichissement font {images}, celles du jeu de données {dataset} : faites le jeu pour une exécution sur ce jeu de données, à cette taille d'image.",
    },
    "enrichment_error_classes": {
        "en": "The enrichment set has class {label}, the dataset has {count} classes: make the set for a run on this dataset.",
        "fr": "Le jeu d'enrichissement a la classe {label}, le jeu de données a {count} classes : faites le jeu pour une exécution sur ce jeu de données.",
    },
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
    # A study's plan (the Studies page and core.studies), refused before any run is queued.
    "study_error_no_values_text": {
        "en": "{field}: give at least one value, separated by commas",
        "fr": "{field} : donnez au moins une valeur, séparées par des virgules.",
    },
    "study_error_no_values": {
        "en": "{field}: give at least one value",
        "fr": "{field} : donnez au moins une valeur.",
    },
    "study_error_axis_count": {
        "en": "a study varies 1 or {most} hyperparameters, got {count}",
        "fr": "Une étude fait varier 1 ou {most} hyperparamètres, pas {count}.",
    },
    "study_error_twice": {
        "en": "{field} is chosen twice: pick two different hyperparameters",
        "fr": "{field} est choisi deux fois : prenez deux hyperparamètres différents.",
    },
    "study_error_too_many": {
        "en": "this study would queue {count} runs; the limit is {limit}: remove some values",
        "fr": "Cette étude mettrait {count} exécutions en file ; la limite est {limit} : retirez des valeurs.",
    },
}
