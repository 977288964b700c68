"""Strings of the compare page."""

STRINGS = {
    # The kinds of task (Project.task), as Compare offers them.
    "task_image_classification": {"en": "classifiers", "fr": "classifieurs"},
    "task_generation": {"en": "generative models", "fr": "modèles génératifs"},
    "task_anomaly_detection": {"en": "anomaly detectors", "fr": "détecteurs d'anomalies"},
    "compare_title": {"en": "Compare runs", "fr": "Comparer des exécutions"},
    "compare_intro": {
        "en": "Put 2 to 6 finished runs of the same kind of task side by side: their test metrics and learning curves; "
        "for classifiers their confusion matrices and the same image through every model, for generative models their "
        "samples, for anomaly detectors their ROC curves and the same test image through every detector.",
        "fr": "Mettez côte à côte 2 à 6 exécutions terminées d'une même tâche : leurs métriques de test et leurs courbes "
        "d'apprentissage ; pour des classifieurs leurs matrices de confusion et la même image passée dans chaque modèle, "
        "pour des modèles génératifs leurs échantillons, pour des détecteurs d'anomalies leurs courbes ROC et la même image "
        "de test passée dans chaque détecteur.",
    },
    "compare_task": {"en": "Kind of task", "fr": "Type de tâche"},
    "compare_no_runs": {
        "en": "Fewer than two finished runs: train at least two models first.",
        "fr": "Moins de deux exécutions terminées : entraînez d'abord au moins deux modèles.",
    },
    "compare_choose": {"en": "Runs to compare (2 to 6)", "fr": "Exécutions à comparer (2 à 6)"},
    "compare_pick": {"en": "Pick at least two runs above.", "fr": "Choisissez au moins deux exécutions ci-dessus."},
    "compare_not_offered": {
        "en": "Not offered (not found, not finished, without a model, or of another kind of task than the one shown): {runs}",
        "fr": "Non proposées (introuvables, non terminées, sans modèle, ou d'un autre type de tâche que celui affiché) : {runs}",
    },
    # Why runs cannot be compared (raised by core.analysis.compare).
    "compare_error_count": {
        "en": "Compare {minimum} to {maximum} runs; {count} picked.",
        "fr": "Comparez de {minimum} à {maximum} exécutions ; {count} choisie(s).",
    },
    "compare_error_unfinished": {
        "en": "Only finished runs can be compared: {runs}.",
        "fr": "Seules les exécutions terminées se comparent : {runs}.",
    },
    "compare_error_unknown_project": {
        "en": "These runs belong to a project this version of dllab does not know: {runs}.",
        "fr": "Ces exécutions appartiennent à un projet que cette version de dllab ne connaît pas : {runs}.",
    },
    "compare_error_tasks": {
        "en": "These runs solve different tasks, so their results cannot be compared: {runs}.",
        "fr": "Ces exécutions résolvent des tâches différentes, leurs résultats ne se comparent pas : {runs}.",
    },
    "compare_error_classes": {
        "en": "These runs have different classes, so their confusion matrices cannot be subtracted: {runs}.",
        "fr": "Ces exécutions n'ont pas les mêmes classes, leurs matrices de confusion ne se soustraient pas : {runs}.",
    },
    "compare_unreadable": {"en": "A run's files could not be read: {error}", "fr": "Les fichiers d'une exécution sont illisibles : {error}"},
    # Metrics table.
    "compare_metrics": {"en": "Test metrics and cost", "fr": "Métriques de test et coût"},
    "compare_metrics_caption": {
        "en": "The best value of each metric is highlighted. Hyperparameters that differ between the runs are the last columns; – means not recorded.",
        "fr": "La meilleure valeur de chaque métrique est surlignée. Les hyperparamètres qui diffèrent entre les exécutions sont les dernières colonnes ; – signifie non enregistré.",
    },
    "compare_column_label": {"en": "run", "fr": "exécution"},
    "compare_column_run": {"en": "id", "fr": "identifiant"},
    "compare_column_project": {"en": "project", "fr": "projet"},
    "compare_column_dataset": {"en": "dataset", "fr": "jeu de données"},
    "compare_column_model": {"en": "model", "fr": "modèle"},
    "compare_column_backend": {"en": "backend", "fr": "bibliothèque"},
    "compare_column_test_accuracy": {"en": "test accuracy", "fr": "exactitude (test)"},
    "compare_column_test_macro_f1": {"en": "macro F1", "fr": "F1 macro"},
    "compare_column_test_loss": {"en": "test loss", "fr": "perte (test)"},
    "compare_column_image_auroc": {"en": "image AUROC", "fr": "AUROC image"},
    "compare_column_pixel_auroc": {"en": "pixel AUROC", "fr": "AUROC pixel"},
    "compare_column_test_reconstruction": {"en": "test reconstruction", "fr": "reconstruction (test)"},
    "compare_column_test_kl": {"en": "test KL", "fr": "KL (test)"},
    "compare_column_conditional_accuracy": {"en": "conditional accuracy", "fr": "exactitude conditionnelle"},
    "compare_column_judge_accuracy": {"en": "judge accuracy", "fr": "exactitude du juge"},
    "compare_column_test_top_3_accuracy": {"en": "top-3 accuracy", "fr": "exactitude top-3"},
    "compare_column_training_seconds": {"en": "training time (s)", "fr": "durée d'entraînement (s)"},
    "compare_column_parameters": {"en": "parameters", "fr": "paramètres"},
    "compare_column_train_size": {"en": "training images", "fr": "images d'entraînement"},
    "compare_column_peak_memory_mb": {"en": "peak memory (MB)", "fr": "mémoire maximale (Mo)"},
    "compare_column_epochs_trained": {"en": "epochs trained", "fr": "époques effectuées"},
    # Curves.
    "compare_curves": {"en": "Learning curves", "fr": "Courbes d'apprentissage"},
    "compare_curve_metric": {"en": "Metric", "fr": "Métrique"},
    "compare_curve_split": {"en": "Split", "fr": "Partie"},
    # Confusion.
    "compare_confusions": {"en": "Confusion matrices", "fr": "Matrices de confusion"},
    "compare_difference": {"en": "Difference between two runs", "fr": "Différence entre deux exécutions"},
    "compare_difference_a": {"en": "Run A", "fr": "Exécution A"},
    "compare_difference_b": {"en": "Run B", "fr": "Exécution B"},
    "compare_difference_same": {"en": "Pick two different runs.", "fr": "Choisissez deux exécutions différentes."},
    "compare_difference_caption": {
        "en": "Each row is a true class; each cell is the share of its images B puts in that column minus the share A puts there. "
        "Blue: B predicts it more often; red: less often; white: no change.",
        "fr": "Chaque ligne est une vraie classe ; chaque case est la part de ses images que B range dans cette colonne moins celle de A. "
        "Bleu : B la prédit plus souvent ; rouge : moins souvent ; blanc : pas de changement.",
    },
    "compare_difference_hover": {
        "en": "true %{y}, predicted %{x}: %{z:+.1%}<extra></extra>",
        "fr": "vraie %{y}, prédite %{x} : %{z:+.1%}<extra></extra>",
    },
    # The same image through every model.
    # Generative models.
    "compare_samples": {"en": "Samples of every model", "fr": "Échantillons de chaque modèle"},
    "compare_samples_caption": {
        "en": "The same seed draws the same codes for every model: a row per class for a CVAE.",
        "fr": "La même graine tire les mêmes codes pour chaque modèle : une ligne par classe pour un CVAE.",
    },
    "compare_samples_vae": {"en": "not conditional: rows of random samples", "fr": "non conditionnel : des lignes d'échantillons au hasard"},
    # Anomaly detectors.
    "compare_roc": {"en": "Image-level ROC of every detector", "fr": "Courbe ROC au niveau image de chaque détecteur"},
    "compare_per_defect": {
        "en": "Image AUROC of each defect type against the good images, a column per run (the best of each row highlighted).",
        "fr": "AUROC image de chaque type de défaut contre les images sans défaut, une colonne par exécution (la meilleure de chaque ligne en évidence).",
    },
    "compare_same_test_image": {"en": "The same test image through every detector", "fr": "La même image de test dans chaque détecteur"},
    "compare_other_test_images": {
        "en": "These runs were not scored on the same test images (another dataset, category or image size): pick runs of one test set to see an image through each.",
        "fr": "Ces exécutions n'ont pas été évaluées sur les mêmes images de test (autre jeu, catégorie ou taille d'image) : choisissez des exécutions d'un même jeu de test pour voir une image dans chacune.",
    },
    "compare_detection_caption": {
        "en": "Each heatmap is on its run's own colour scale (L2 and SSIM errors do not share a unit); green outlines the true defect. "
        "Flagged means above the run's F1-best threshold.",
        "fr": "Chaque carte a l'échelle de couleurs de son exécution (les erreurs L2 et SSIM n'ont pas la même unité) ; le vert entoure le vrai défaut. "
        "Signalée veut dire au-dessus du seuil de meilleur F1 de l'exécution.",
    },
    "compare_detection": {"en": "score {score:.5f}: {verdict}", "fr": "score {score:.5f} : {verdict}"},
    "compare_error_map": {"en": "error map", "fr": "carte d'erreur"},
    "compare_kind_position": {"en": "Which image of this kind (from 0; {count} in all)", "fr": "Quelle image de ce type (à partir de 0 ; {count} en tout)"},
    "compare_flagged": {"en": "flagged", "fr": "signalée"},
    "compare_passed": {"en": "not flagged", "fr": "non signalée"},
    "compare_same_image": {"en": "The same image through every model", "fr": "La même image dans chaque modèle"},
    "compare_source": {"en": "Image", "fr": "Image"},
    "compare_source_test": {"en": "A test image", "fr": "Une image de test"},
    "compare_source_upload": {"en": "Upload an image", "fr": "Envoyer une image"},
    "compare_upload_only": {
        "en": "These runs differ in classes or input size, so they share no test image: upload one.",
        "fr": "Ces exécutions diffèrent par leurs classes ou la taille de leurs entrées, elles n'ont pas d'image de test commune : envoyez-en une.",
    },
    "compare_upload_label": {"en": "An image (PNG, JPEG, GIF, BMP, WebP, TIFF)", "fr": "Une image (PNG, JPEG, GIF, BMP, WebP, TIFF)"},
    "compare_test_index": {"en": "Test image number (from the first run)", "fr": "Numéro de l'image de test (de la première exécution)"},
    "compare_true_label": {"en": "True class: {label}", "fr": "Vraie classe : {label}"},
    "compare_loading": {"en": "Loading the models…", "fr": "Chargement des modèles…"},
    "compare_model_error": {"en": "A model could not be loaded: {error}", "fr": "Un modèle n'a pas pu être chargé : {error}"},
    "compare_answer": {"en": "**{run}** → {label} ({probability:.1%})", "fr": "**{run}** → {label} ({probability:.1%})"},
    "compare_as_seen": {"en": "What the model sees ({shape})", "fr": "Ce que voit le modèle ({shape})"},
    "compare_probability": {"en": "probability", "fr": "probabilité"},
}
