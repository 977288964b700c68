"""key: {"en": ..., "fr": ...}. Every key has both languages (a test checks it)."""

STRINGS = {
    # Projects and datasets.
    "project_digits_title": {"en": "Handwritten digits", "fr": "Chiffres manuscrits"},
    "project_digits_summary": {
        "en": "Classify handwritten digits with a dense network (MLP) or a small convolutional network (CNN), "
        "in Keras or PyTorch: the whole loop of training, validation and testing in under a minute.",
        "fr": "Classer des chiffres manuscrits avec un réseau dense (MLP) ou un petit réseau convolutif (CNN), "
        "en Keras ou PyTorch : toute la boucle entraînement, validation et test en moins d'une minute.",
    },
    "dataset_digits": {"en": "scikit-learn digits (8×8)", "fr": "chiffres de scikit-learn (8×8)"},
    "dataset_mnist": {"en": "MNIST (28×28, downloaded once or local)", "fr": "MNIST (28×28, téléchargé une fois ou local)"},
    # Hyperparameter help.
    "help_epochs": {"en": "Passes over the training set.", "fr": "Nombre de passages sur le jeu d'entraînement."},
    "help_batch_size": {"en": "Images per gradient step: smaller is noisier.", "fr": "Images par pas de gradient : plus petit, plus bruité."},
    "help_learning_rate": {"en": "Step size of the optimizer (adam: ~0.001, sgd: ~0.01).", "fr": "Pas de l'optimiseur (adam : ~0,001, sgd : ~0,01)."},
    "help_optimizer": {"en": "sgd, SGD with momentum 0.9, RMSprop or Adam.", "fr": "sgd, SGD avec moment 0,9, RMSprop ou Adam."},
    "help_dropout": {"en": "Fraction of units dropped while training.", "fr": "Fraction des neurones éteints pendant l'entraînement."},
    "help_l2": {"en": "Weight decay: l2 × sum of squared weights added to the loss.", "fr": "Pénalité L2 : l2 × somme des poids au carré ajoutée à la perte."},
    "help_seed": {"en": "Seeds the split, the initial weights and the batch order.", "fr": "Graine du découpage, des poids initiaux et de l'ordre des lots."},
    "help_validation_fraction": {"en": "Part of the training pool held out for validation.", "fr": "Part du jeu d'entraînement réservée à la validation."},
    "hyperparameter_error_not_honoured": {
        "en": "{field}={value} is not implemented by the {backend} backend: set it back or choose a backend that implements it ({backends}).",
        "fr": "{field}={value} n'est pas pris en charge par le backend {backend} : remettez-le à sa valeur par défaut ou choisissez un backend qui le prend en charge ({backends}).",
    },
    # Navigation and shared labels.
    # The sidebar's sections.
    "nav_work": {"en": "Train and follow", "fr": "Entraîner et suivre"},
    "nav_classifiers": {"en": "Explain and explore", "fr": "Expliquer et explorer"},
    "nav_other_tasks": {"en": "Generation and anomalies", "fr": "Génération et anomalies"},
    "page_home": {"en": "Home", "fr": "Accueil"},
    "page_train": {"en": "Train", "fr": "Entraîner"},
    "page_runs": {"en": "Runs", "fr": "Exécutions"},
    "page_run": {"en": "Run", "fr": "Exécution"},
    "page_predict": {"en": "Predict", "fr": "Prédire"},
    "page_studies": {"en": "Studies", "fr": "Études"},
    "page_compare": {"en": "Compare", "fr": "Comparer"},
    "page_enrich": {"en": "Enrich", "fr": "Enrichir"},
    "page_explain": {"en": "Explain", "fr": "Expliquer"},
    "page_inside": {"en": "Inside the network", "fr": "Dans le réseau"},
    "page_convolution": {"en": "Convolution", "fr": "Convolution"},
    "page_projector": {"en": "Projector", "fr": "Projecteur"},
    "label_project": {"en": "Project", "fr": "Projet"},
    "label_dataset": {"en": "Dataset", "fr": "Jeu de données"},
    "label_model": {"en": "Model", "fr": "Modèle"},
    "label_backend": {"en": "Backend", "fr": "Bibliothèque"},
    "label_status": {"en": "Status", "fr": "Statut"},
    "label_class": {"en": "Class", "fr": "Classe"},
    "label_predicted": {"en": "Predicted class", "fr": "Classe prédite"},
    "label_true": {"en": "True class", "fr": "Vraie classe"},
    "status_queued": {"en": "queued", "fr": "en attente"},
    "status_running": {"en": "running", "fr": "en cours"},
    "status_finished": {"en": "finished", "fr": "terminée"},
    "status_failed": {"en": "failed", "fr": "échouée"},
    "status_cancelled": {"en": "cancelled", "fr": "annulée"},
    # Home.
    "home_title": {"en": "dllab — a lab bench for deep learning", "fr": "dllab — un banc d'essai pour l'apprentissage profond"},
    "home_intro": {
        "en": "Pick a course project, set its hyperparameters, train it in the background and look inside the model while it learns. "
        "Start on the Train page; follow your runs on Runs and Run; vary hyperparameters on Studies and put runs side by side on Compare; "
        "try your own images on Predict and add them to a dataset on Enrich; see where a model looks on Explain and Inside; "
        "make new images with a trained VAE or CVAE on Generate.",
        "fr": "Choisissez un projet du cours, réglez ses hyperparamètres, entraînez-le en arrière-plan et regardez le modèle apprendre. "
        "Commencez par la page Entraîner ; suivez vos exécutions dans Exécutions et Exécution ; faites varier les hyperparamètres dans Études "
        "et mettez des exécutions côte à côte dans Comparer ; essayez vos images dans Prédire et ajoutez-les à un jeu de données dans Enrichir ; "
        "voyez où regarde un modèle dans Expliquer et Dans le réseau ; créez de nouvelles images avec un VAE ou un CVAE entraîné dans Générer.",
    },
    "home_offline": {"en": "offline", "fr": "hors ligne"},
    "home_backends": {"en": "Backends", "fr": "Bibliothèques"},
    "home_models": {"en": "Models", "fr": "Modèles"},
    "home_hyperparameters": {"en": "Hyperparameters", "fr": "Hyperparamètres"},
    "home_datasets": {"en": "Datasets", "fr": "Jeux de données"},
    "home_preview": {"en": "Dataset preview", "fr": "Aperçu d'un jeu de données"},
    "home_preview_not_local": {
        "en": "This dataset is not on this machine yet: it is downloaded (and cached) by the first run that uses it. "
        "To use a local copy, set DLLAB_DATA_DIR (see the README).",
        "fr": "Ce jeu de données n'est pas encore sur cette machine : la première exécution qui l'utilise le télécharge (et le garde en cache). "
        "Pour une copie locale, définissez DLLAB_DATA_DIR (voir le README).",
    },
    "home_loading": {"en": "Loading the dataset…", "fr": "Chargement du jeu de données…"},
    "home_preview_error": {"en": "The dataset could not be loaded: {error}", "fr": "Le jeu de données n'a pas pu être chargé : {error}"},
    "home_class_counts": {"en": "Images per class", "fr": "Images par classe"},
    "home_count": {"en": "images", "fr": "images"},
    # Train.
    "train_title": {"en": "Train a model", "fr": "Entraîner un modèle"},
    "train_hyperparameters": {"en": "Hyperparameters", "fr": "Hyperparamètres"},
    "train_launch": {"en": "Launch", "fr": "Lancer"},
    "train_error": {"en": "Not launched: {error}", "fr": "Non lancé : {error}"},
    # Runs.
    "runs_title": {"en": "Runs", "fr": "Exécutions"},
    "runs_empty": {"en": "No run yet: launch one on the Train page.", "fr": "Aucune exécution : lancez-en une depuis la page Entraîner."},
    "runs_filter_all": {"en": "All", "fr": "Tous"},
    "runs_actions": {"en": "Act on a run", "fr": "Agir sur une exécution"},
    "runs_choose": {"en": "Run", "fr": "Exécution"},
    "runs_open": {"en": "Open", "fr": "Ouvrir"},
    "runs_cancel": {"en": "Cancel run", "fr": "Annuler l'exécution"},
    "runs_cancel_result": {"en": "{run_id}: {state}", "fr": "{run_id} : {state}"},
    "runs_cancel_requested": {
        "en": "{run_id}: stop requested; the run ends cancelled in a moment",
        "fr": "{run_id} : arrêt demandé ; l'exécution sera annulée dans un instant",
    },
    "runs_delete": {"en": "Delete", "fr": "Supprimer"},
    "runs_delete_confirm": {
        "en": "Delete run {run_id} and everything it produced? This cannot be undone.",
        "fr": "Supprimer l'exécution {run_id} et tout ce qu'elle a produit ? C'est définitif.",
    },
    "runs_delete_yes": {"en": "Yes, delete it", "fr": "Oui, supprimer"},
    "runs_delete_no": {"en": "Keep it", "fr": "La garder"},
    "column_id": {"en": "Run", "fr": "Exécution"},
    "column_progress": {"en": "Progress", "fr": "Progression"},
    "column_eta": {"en": "Time left", "fr": "Temps restant"},
    "column_epochs": {"en": "Epochs", "fr": "Époques"},
    "column_learning_rate": {"en": "Learning rate", "fr": "Taux d'apprentissage"},
    "column_created": {"en": "Created", "fr": "Créée"},
    "column_error": {"en": "Error", "fr": "Erreur"},
    # Run.
    "run_title": {"en": "Run", "fr": "Exécution"},
    "run_none": {"en": "No run yet: launch one on the Train page.", "fr": "Aucune exécution : lancez-en une depuis la page Entraîner."},
    "page_failed": {
        "en": "Something went wrong on this page; the details are in {path}. Try again, or choose another page; if it happens again, send that file to whoever maintains dllab.",
        "fr": "Un problème est survenu sur cette page ; les détails sont dans {path}. Réessayez ou choisissez une autre page ; si cela se reproduit, envoyez ce fichier à qui maintient dllab.",
    },
    "run_not_offered": {
        "en": "Run {run_id} is not one this page shows: it has not finished, saved no model, or is of another kind of task.",
        "fr": "L'exécution {run_id} n'est pas de celles que cette page montre : elle n'est pas terminée, n'a pas enregistré de modèle, ou est d'un autre type de tâche.",
    },
    "page_failed_unlogged": {
        "en": "Something went wrong on this page, and its details could not be written to the log ({error}): they are in the server's console.",
        "fr": "Un problème est survenu sur cette page, et ses détails n'ont pas pu être écrits dans le journal ({error}) : ils sont dans la console du serveur.",
    },
    "run_not_found": {"en": "Run not found: {run_id} (it may have been deleted).", "fr": "Exécution introuvable : {run_id} (elle a peut-être été supprimée)."},
    "run_choose": {"en": "Run", "fr": "Exécution"},
    "run_progress": {
        "en": "Epoch {epoch}/{epochs} · elapsed {elapsed} · time left {eta}",
        "fr": "Époque {epoch}/{epochs} · écoulé {elapsed} · restant {eta}",
    },
    "run_finishing": {"en": "Training done: evaluating on the test split and saving the model…", "fr": "Entraînement terminé : évaluation sur le jeu de test et sauvegarde du modèle…"},
    "runs_column_study": {"en": "Study", "fr": "Étude"},
    "preset_set": {"en": "This starting point set: {fields}", "fr": "Ce point de départ a réglé : {fields}"},
    "run_failed": {"en": "The run failed: {error}", "fr": "L'exécution a échoué : {error}"},
    "run_error_killed": {
        "en": "the training process was killed ({signal}) before it finished; the system does this when memory runs out: try a smaller batch size, model or dataset",
        "fr": "le processus d'entraînement a été tué ({signal}) avant la fin ; le système le fait quand la mémoire manque : essayez un lot, un modèle ou un jeu de données plus petit",
    },
    "run_error_exited": {
        "en": "the training process ended (code {code}) without writing the run's result; the log below says what it did last",
        "fr": "le processus d'entraînement s'est arrêté (code {code}) sans écrire le résultat ; le journal ci-dessous dit ce qu'il a fait en dernier",
    },
    "run_error_worker_gone": {
        "en": "the worker process ended unexpectedly",
        "fr": "le processus de l'exécution s'est arrêté de façon inattendue",
    },
    "run_error_diverged": {
        "en": "the training diverged ({detail}): lower the learning rate (or the weight decay) and train again",
        "fr": "l'entraînement a divergé ({detail}) : baissez le taux d'apprentissage (ou la pénalité L2) et relancez",
    },
    "run_warning_not_learning": {
        "en": "The loss stayed at or above chance level ({loss:.3f}; guessing among {classes} classes scores {chance:.3f}): the model is not learning. Lower the learning rate (0.001 is a safe start with Adam) and train again.",
        "fr": "La perte est restée au niveau du hasard ou au-dessus ({loss:.3f} ; deviner parmi {classes} classes donne {chance:.3f}) : le modèle n'apprend pas. Baissez le taux d'apprentissage (0,001 est un bon départ avec Adam) et relancez.",
    },
    "run_warning_diverged": {
        "en": "The training loss became infinite or NaN: the model diverged. Lower the learning rate and train again.",
        "fr": "La perte d'entraînement est devenue infinie ou NaN : le modèle a divergé. Baissez le taux d'apprentissage et relancez.",
    },
    "inference_error_damaged_description": {
        "en": "This run's checkpoint description (checkpoint.json) is damaged: its model cannot be loaded. Train the run again (or delete it).",
        "fr": "La description du point de sauvegarde de cette exécution (checkpoint.json) est endommagée : son modèle ne peut pas être chargé. Relancez l'entraînement (ou supprimez l'exécution).",
    },
    "run_waiting_metrics": {"en": "Waiting for the first metrics…", "fr": "En attente des premières mesures…"},
    "run_hyperparameters": {"en": "Hyperparameters and environment", "fr": "Hyperparamètres et environnement"},
    "run_eval_unreadable": {"en": "The evaluation files could not be read: {error}", "fr": "Les fichiers d'évaluation sont illisibles : {error}"},
    "run_confusion": {"en": "Confusion matrix and per-class scores (test set)", "fr": "Matrice de confusion et scores par classe (test)"},
    "confusion_hover": {"en": "true %{y}, predicted %{x}: %{z}<extra></extra>", "fr": "vraie %{y}, prédite %{x} : %{z}<extra></extra>"},
    "run_misclassified": {"en": "Misclassified test images, most confident first", "fr": "Images de test mal classées, les plus sûres d'abord"},
    "run_no_mistakes": {"en": "No test image is misclassified.", "fr": "Aucune image de test n'est mal classée."},
    "run_mistake_caption": {"en": "{true} → {predicted} ({confidence:.0%})", "fr": "{true} → {predicted} ({confidence:.0%})"},
    "run_log": {"en": "Log", "fr": "Journal"},
    "run_log_empty": {"en": "(empty)", "fr": "(vide)"},
    "metric_train_loss": {"en": "Train loss", "fr": "Perte (entraînement)"},
    "metric_validation_loss": {"en": "Validation loss", "fr": "Perte (validation)"},
    "metric_train_accuracy": {"en": "Train accuracy", "fr": "Exactitude (entraînement)"},
    "metric_validation_accuracy": {"en": "Validation accuracy", "fr": "Exactitude (validation)"},
    "metric_test_accuracy": {"en": "Test accuracy", "fr": "Exactitude (test)"},
    "metric_test_loss": {"en": "Test loss", "fr": "Perte (test)"},
    "curve_loss": {"en": "Loss", "fr": "Perte"},
    "curve_accuracy": {"en": "Accuracy", "fr": "Exactitude"},
    "curve_epoch": {"en": "epoch", "fr": "époque"},
    "split_train": {"en": "train", "fr": "entraînement"},
    "split_validation": {"en": "validation", "fr": "validation"},
    "split_running": {"en": "train (running mean)", "fr": "entraînement (moyenne courante)"},
    # Predict.
    "predict_title": {"en": "Predict", "fr": "Prédire"},
    "predict_no_runs": {"en": "No finished run yet: train a model first.", "fr": "Aucune exécution terminée : entraînez d'abord un modèle."},
    "predict_loading": {"en": "Loading the model…", "fr": "Chargement du modèle…"},
    "predict_model_error": {"en": "The model could not be loaded: {error}", "fr": "Le modèle n'a pas pu être chargé : {error}"},
    "predict_source": {"en": "Input", "fr": "Entrée"},
    "predict_upload": {"en": "Upload an image", "fr": "Envoyer une image"},
    "predict_draw": {"en": "Draw", "fr": "Dessiner"},
    "predict_test_image": {"en": "A test image", "fr": "Une image de test"},
    "predict_upload_label": {"en": "An image (PNG, JPEG, GIF, BMP, WebP, TIFF)", "fr": "Une image (PNG, JPEG, GIF, BMP, WebP, TIFF)"},
    "predict_draw_help": {"en": "Draw one digit, large, in the middle.", "fr": "Dessinez un seul chiffre, grand, au milieu."},
    "predict_draw_unavailable": {"en": "The drawing canvas is not available here ({error}).", "fr": "Le canevas de dessin n'est pas disponible ici ({error})."},
    "predict_test_index": {"en": "Test image number", "fr": "Numéro de l'image de test"},
    "predict_as_seen": {"en": "What the model sees ({shape})", "fr": "Ce que voit le modèle ({shape})"},
    "predict_answer": {"en": "{label} ({probability:.1%})", "fr": "{label} ({probability:.1%})"},
    "predict_true_label": {"en": "True class: {label}", "fr": "Vraie classe : {label}"},
    "predict_probability": {"en": "probability", "fr": "probabilité"},
    # Image checks (core.images).
    "image_error_empty": {"en": "The file is empty.", "fr": "Le fichier est vide."},
    "image_error_not_image": {
        "en": "This file is not an image this app can read (PNG, JPEG, GIF, BMP, WebP or TIFF).",
        "fr": "Ce fichier n'est pas une image lisible (PNG, JPEG, GIF, BMP, WebP ou TIFF).",
    },
    "image_error_damaged": {"en": "The image is truncated or damaged: its pixels could not be read.", "fr": "L'image est tronquée ou abîmée : ses pixels sont illisibles."},
    "image_error_too_large": {
        "en": "The image is {width}×{height} pixels, over the {limit}-megapixel limit: scale it down first.",
        "fr": "L'image fait {width}×{height} pixels, au-delà de la limite de {limit} mégapixels : réduisez-la d'abord.",
    },
    "image_error_too_large_unknown": {
        "en": "The image is over the {limit}-megapixel limit: scale it down first.",
        "fr": "L'image dépasse la limite de {limit} mégapixels : réduisez-la d'abord.",
    },
    "image_error_blank": {"en": "The image is blank: there is nothing to recognise.", "fr": "L'image est vide : rien à reconnaître."},
    "image_note_first_frame": {"en": "Animated image: its first frame is used.", "fr": "Image animée : sa première image est utilisée."},
    "image_note_high_depth": {"en": "16-bit or floating-point image rescaled to 8 bits.", "fr": "Image 16 bits ou flottante ramenée à 8 bits."},
    "image_note_converted": {"en": "Converted to greyscale from its colour mode.", "fr": "Convertie en niveaux de gris depuis son mode de couleur."},
    "image_note_inverted": {
        "en": "Inverted: the training images have light ink on a dark background.",
        "fr": "Inversée : les images d'entraînement ont une encre claire sur fond sombre.",
    },
}

# Topics kept in their own modules, merged into the one table.
from core.i18n import (  # noqa: E402
    strings_anomaly,
    strings_checks,
    strings_compare,
    strings_explain,
    strings_folders,
    strings_generation,
    strings_images,
    strings_labels,
    strings_layers,
    strings_projector,
    strings_runs,
    strings_studies,
    strings_workers,
)


def merge(*tables: dict) -> dict:
    """One table from several; a key defined twice is a mistake, refused at import."""
    merged = {}
    for table in tables:
        duplicated = sorted(merged.keys() & table.keys())
        if duplicated:
            raise ValueError(f"i18n keys defined twice: {', '.join(duplicated)}")
        merged.update(table)
    return merged


STRINGS = merge(
    STRINGS,
    strings_folders.STRINGS,
    strings_checks.STRINGS,
    strings_images.STRINGS,
    strings_labels.STRINGS,
    strings_studies.STRINGS,
    strings_compare.STRINGS,
    strings_explain.STRINGS,
    strings_layers.STRINGS,
    strings_projector.STRINGS,
    strings_generation.STRINGS,
    strings_anomaly.STRINGS,
    strings_runs.STRINGS,
    strings_workers.STRINGS,
)
