"""Anomaly detection (project anomaly): its datasets' errors."""

STRINGS: dict[str, dict[str, str]] = {
    "anomaly_error_no_path": {
        "en": "Give the path of a category folder (MVTec AD or AutoVI layout: train/good, test/<defect>, ground_truth/<defect>).",
        "fr": "Indiquez le chemin d'un dossier de catégorie (organisation MVTec AD ou AutoVI : train/good, test/<défaut>, ground_truth/<défaut>).",
    },
    "anomaly_error_not_a_folder": {"en": "{path} is not a folder.", "fr": "{path} n'est pas un dossier."},
    "anomaly_error_no_train_good": {
        "en": "{path} has no train/good folder of images: the models learn only from defect-free images, which must be there.",
        "fr": "{path} n'a pas de dossier train/good d'images : les modèles n'apprennent que sur des images sans défaut, qui doivent s'y trouver.",
    },
    "anomaly_error_no_test": {
        "en": "{path} has no test/<type> folder of images: there is nothing to score.",
        "fr": "{path} n'a pas de dossier test/<type> d'images : il n'y a rien à évaluer.",
    },
    "anomaly_error_unreadable": {"en": "{path} is not a readable image ({error}).", "fr": "{path} n'est pas une image lisible ({error})."},
}
