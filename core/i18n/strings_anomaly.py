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
    "anomaly_error_unreadable": {
        "en": "{path} is not a readable image: it is damaged, truncated, or another kind of file named like an image. Replace or remove it.",
        "fr": "{path} n'est pas une image lisible : il est abîmé, tronqué, ou c'est un autre type de fichier nommé comme une image. Remplacez-le ou retirez-le.",
    },
    "anomaly_error_too_large": {
        "en": "{path} is larger than {limit} megapixels: resize it (a few megapixels are plenty at the sizes models take).",
        "fr": "{path} dépasse {limit} mégapixels : réduisez-la (quelques mégapixels suffisent largement aux tailles que prennent les modèles).",
    },
    "anomaly_error_colorization_grey": {
        "en": "colorization does not apply to a grey category: its images have no colour to learn from their grey version; pick inpainting, mae or autoencoder.",
        "fr": "la colorisation ne s'applique pas à une catégorie en niveaux de gris : ses images n'ont aucune couleur à apprendre de leur version grise ; choisissez inpainting, mae ou autoencoder.",
    },
    "anomaly_error_mask_size": {
        "en": "The mask {path} is {mask_size} pixels but its image is {image_size}: a mask must have the size of its image.",
        "fr": "Le masque {path} fait {mask_size} pixels mais son image {image_size} : un masque doit avoir la taille de son image.",
    },
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
    # The Anomalies page.
    "page_anomaly": {"en": "Anomalies", "fr": "Anomalies"},
    "anomaly_intro": {
        "en": "A model that learnt only defect-free images tries to rebuild each test image; where it fails, the error map lights up. "
        "An image's score is the mean of its worst pixels: above the threshold, it is called defective.",
        "fr": "Un modèle qui n'a appris que des images sans défaut tente de reconstruire chaque image de test ; là où il échoue, la carte d'erreur s'allume. "
        "Le score d'une image est la moyenne de ses pires pixels : au-dessus du seuil, elle est déclarée défectueuse.",
    },
    "anomaly_no_runs": {
        "en": "No finished anomaly-detection run yet. Train the project \"Anomaly detection\" on the Train page (about a minute on the generated textures).",
        "fr": "Aucune détection d'anomalies terminée pour l'instant. Entraînez le projet « Détection d'anomalies » sur la page Entraîner (environ une minute sur les textures générées).",
    },
    "anomaly_no_scores": {"en": "This run's eval/anomaly.npz is missing or unreadable: train it again.", "fr": "Le fichier eval/anomaly.npz de cet entraînement manque ou est illisible : relancez l'entraînement."},
    "anomaly_test_images": {"en": "Test images", "fr": "Images de test"},
    "anomaly_defective": {"en": "defective", "fr": "défectueuses"},
    "anomaly_good": {"en": "good", "fr": "sans défaut"},
    "anomaly_tab_images": {"en": "Images and heatmaps", "fr": "Images et cartes d'erreur"},
    "anomaly_tab_threshold": {"en": "Threshold", "fr": "Seuil"},
    "anomaly_tab_roc": {"en": "ROC curves", "fr": "Courbes ROC"},
    "anomaly_kind": {"en": "Kind", "fr": "Type"},
    "anomaly_all_kinds": {"en": "all", "fr": "tous"},
    "anomaly_from": {"en": "From image", "fr": "À partir de l'image"},
    "anomaly_input": {"en": "test image {index} · {kind}", "fr": "image de test {index} · {kind}"},
    "anomaly_reconstruction": {"en": "reconstruction", "fr": "reconstruction"},
    "anomaly_heatmap": {"en": "error (score {score:.5f}); green: the true defect", "fr": "erreur (score {score:.5f}) ; vert : le vrai défaut"},
    "anomaly_threshold": {"en": "Threshold", "fr": "Seuil"},
    "anomaly_threshold_position": {"en": "Threshold: share of test images below it", "fr": "Seuil : part des images de test en dessous"},
    "anomaly_threshold_position_help": {
        "en": "The slider moves along the sorted scores: each step passes one test image, however the scores bunch up. The threshold itself is shown beside it.",
        "fr": "Le curseur avance le long des scores triés : chaque pas franchit une image de test, même quand les scores sont serrés. Le seuil lui-même est affiché à côté.",
    },
    "anomaly_order": {
        "en": "Defective images first, then the good ones, each the highest score first.",
        "fr": "Les images défectueuses d'abord, puis les bonnes, chacune du score le plus haut au plus bas.",
    },
    "anomaly_warning_inverted": {
        "en": "Image AUROC {auroc:.3f} is below 0.5, worse than chance: the score ranks good images above defective ones. Either the score is inverted, or the model learned to rebuild the defects too.",
        "fr": "L'AUROC image {auroc:.3f} est sous 0,5, pire que le hasard : le score classe les bonnes images au-dessus des défectueuses. Soit le score est inversé, soit le modèle a aussi appris à reconstruire les défauts.",
    },
    "anomaly_warning_few_images": {
        "en": "Only {count} good training images (fewer than {minimum}): the model saw too little of what good looks like, and its scores may mean little.",
        "fr": "Seulement {count} images d'entraînement sans défaut (moins de {minimum}) : le modèle a vu trop peu de bonnes images, ses scores risquent de ne pas dire grand-chose.",
    },
    "run_open_anomaly": {"en": "Open in Anomalies", "fr": "Ouvrir dans Anomalies"},
    "anomaly_threshold_undefined": {
        "en": "The test set needs both good and defective images for a threshold or a ROC curve: AUROC is undefined here.",
        "fr": "Il faut des images de test sans défaut et défectueuses pour un seuil ou une courbe ROC : l'AUROC n'est pas défini ici.",
    },
    "anomaly_scores_equal": {
        "en": "Every test image has the same score ({score:.5f}): no threshold can tell them apart. The model has probably not learnt yet: train it longer.",
        "fr": "Toutes les images de test ont le même score ({score:.5f}) : aucun seuil ne peut les séparer. Le modèle n'a sans doute pas encore appris : entraînez-le plus longtemps.",
    },
    "anomaly_precision": {"en": "Precision", "fr": "Précision"},
    "anomaly_recall": {"en": "Recall", "fr": "Rappel"},
    "anomaly_f1": {"en": "F1", "fr": "F1"},
    "anomaly_score": {"en": "image score", "fr": "score de l'image"},
    "anomaly_count": {"en": "images", "fr": "images"},
    "anomaly_true_good": {"en": "truly good", "fr": "vraiment sans défaut"},
    "anomaly_true_defective": {"en": "truly defective", "fr": "vraiment défectueuse"},
    "anomaly_predicted_good": {"en": "called good", "fr": "déclarée sans défaut"},
    "anomaly_predicted_defective": {"en": "called defective", "fr": "déclarée défectueuse"},
    "anomaly_false_positive_rate": {"en": "false positive rate", "fr": "taux de faux positifs"},
    "anomaly_true_positive_rate": {"en": "true positive rate", "fr": "taux de vrais positifs"},
    "anomaly_chance": {"en": "chance", "fr": "hasard"},
    "anomaly_all_defects": {"en": "all defects", "fr": "tous les défauts"},
    "anomaly_image_roc": {"en": "Image level: each defect type against the good images", "fr": "Niveau image : chaque type de défaut contre les images sans défaut"},
    "anomaly_pixel_roc": {"en": "Pixel level", "fr": "Niveau pixel"},
    "anomaly_pixels": {"en": "pixels", "fr": "pixels"},
    # The folder picker of the Home, Train and Studies pages, for a category folder.
    "picker_category_upload_zip": {
        "en": "Upload a zip of a category (train/good, test/<kind>, ground_truth/<kind>)",
        "fr": "Envoyer le zip d'une catégorie (train/good, test/<type>, ground_truth/<type>)",
    },
    "picker_category_path": {"en": "Category folder on this machine", "fr": "Dossier de catégorie sur cette machine"},
    "picker_category_choose": {
        "en": "Type the path of an MVTec AD or AutoVI category folder (for instance …/mvtec_ad/grid), or upload a zip of one.",
        "fr": "Saisissez le chemin d'un dossier de catégorie MVTec AD ou AutoVI (par exemple …/mvtec_ad/grid), ou envoyez-en un zip.",
    },
    "picker_category_summary": {
        "en": "{train} good images to learn from; {test} test images, {defective} of them defective in {kinds} kinds.",
        "fr": "{train} images sans défaut pour apprendre ; {test} images de test, dont {defective} défectueuses de {kinds} types.",
    },
}
