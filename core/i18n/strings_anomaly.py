"""Anomaly detection (project anomaly): the project, its hyperparameters, its datasets' errors."""

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
    "project_anomaly_title": {"en": "Anomaly detection: pretext tasks", "fr": "Détection d'anomalies : tâches prétextes"},
    "project_anomaly_summary": {
        "en": "Learn only from defect-free images: colorization, inpainting, a masked autoencoder or a plain autoencoder rebuilds what it sees; "
        "where it cannot, there is a defect. Image and pixel AUROC on MVTec AD or AutoVI categories, or on generated textures offline.",
        "fr": "Apprendre seulement sur des images sans défaut : colorisation, inpainting, autoencodeur masqué ou autoencodeur simple reconstruisent ce qu'ils voient ; "
        "là où ils n'y arrivent pas, il y a un défaut. AUROC image et pixel sur des catégories MVTec AD ou AutoVI, ou sur des textures générées hors ligne.",
    },
    "dataset_textures": {"en": "Generated textures with defects (offline)", "fr": "Textures générées avec défauts (hors ligne)"},
    "dataset_anomaly_folder": {"en": "A category folder (MVTec AD or AutoVI layout)", "fr": "Un dossier de catégorie (organisation MVTec AD ou AutoVI)"},
    "help_anomaly_image_size": {"en": "Images are resized to this square side (a multiple of 8).", "fr": "Les images sont redimensionnées en carré de ce côté (un multiple de 8)."},
    "help_mask_ratio": {"en": "Masked autoencoder: the share of small patches hidden while it learns.", "fr": "Autoencodeur masqué : la part des petits carrés cachés pendant l'apprentissage."},
    "help_anomaly_score": {
        "en": "How the error map is made: l2 (squared difference) or ssim (1 − local structural similarity).",
        "fr": "Comment la carte d'erreur est faite : l2 (différence au carré) ou ssim (1 − similarité structurelle locale).",
    },
    "help_top_fraction": {"en": "An image's score: the mean of this share of its highest-error pixels.", "fr": "Le score d'une image : la moyenne de cette part de ses pixels les plus erronés."},
    "help_texture_category": {"en": "Generated textures: which category (stripes is grey).", "fr": "Textures générées : quelle catégorie (stripes est en gris)."},
    "help_category_path": {
        "en": "Category folders: the path of one category (train/good, test/<defect>, ground_truth/<defect>).",
        "fr": "Dossiers de catégorie : le chemin d'une catégorie (train/good, test/<défaut>, ground_truth/<défaut>).",
    },
    "metric_image_auroc": {"en": "Image AUROC", "fr": "AUROC image"},
    "metric_pixel_auroc": {"en": "Pixel AUROC", "fr": "AUROC pixel"},
    "studies_column_image_auroc": {"en": "image AUROC", "fr": "AUROC image"},
    "studies_column_pixel_auroc": {"en": "pixel AUROC", "fr": "AUROC pixel"},
}
