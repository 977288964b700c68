"""Strings of the image-classification workbench: projects cifar10 and artists, their
datasets and training options, studies and the Compare page."""

STRINGS = {
    "project_cifar10_title": {"en": "CIFAR-10 and other image sets", "fr": "CIFAR-10 et autres jeux d'images"},
    "project_cifar10_summary": {
        "en": "Course 001 and labs TP1-TP3: from the minimal dense network and CNN to BatchNorm, Dropout, L2, "
        "a mini-ResNet and transfer learning, on CIFAR-10, MNIST, Fashion-MNIST or your own image folder. "
        "Study the influence of each hyperparameter and compare runs side by side.",
        "fr": "Cours 001 et TP1-TP3 : du réseau dense et du CNN minimaux à BatchNorm, Dropout, L2, "
        "un mini-ResNet et l'apprentissage par transfert, sur CIFAR-10, MNIST, Fashion-MNIST ou votre dossier d'images. "
        "Étudiez l'influence de chaque hyperparamètre et comparez les exécutions côte à côte.",
    },
    "project_artists_title": {"en": "Who painted this? (Art Challenge)", "fr": "Qui a peint ce tableau ? (Art Challenge)"},
    "project_artists_summary": {
        "en": "Project 000 P1: predict the painter from the painting. Choose which artists to keep (class imbalance), "
        "the image size, augmentation and the architecture, from a small CNN to transfer learning.",
        "fr": "Projet 000 P1 : prédire le peintre à partir du tableau. Choisissez les artistes à garder (déséquilibre des classes), "
        "la taille des images, l'augmentation et l'architecture, du petit CNN à l'apprentissage par transfert.",
    },
    "dataset_shapes": {
        "en": "Coloured shapes, 10 classes, 32×32 (generated, offline)",
        "fr": "Formes colorées, 10 classes, 32×32 (générées, hors ligne)",
    },
    "dataset_cifar10": {"en": "CIFAR-10 (32×32 colour, downloaded once or local)", "fr": "CIFAR-10 (32×32 couleur, téléchargé une fois ou local)"},
    "dataset_fashion_mnist": {"en": "Fashion-MNIST (28×28, downloaded once or local)", "fr": "Fashion-MNIST (28×28, téléchargé une fois ou local)"},
    "dataset_folder": {"en": "Your image folder (one sub-folder per class)", "fr": "Votre dossier d'images (un sous-dossier par classe)"},
    "dataset_paintings": {
        "en": "Abstract paintings in 5 styles, 64×64 (generated, offline)",
        "fr": "Peintures abstraites en 5 styles, 64×64 (générées, hors ligne)",
    },
    "dataset_best_artworks": {
        "en": "Best Artworks of All Time (images/<Artist>/*.jpg, artists.csv)",
        "fr": "Best Artworks of All Time (images/<Artiste>/*.jpg, artists.csv)",
    },
    # Hyperparameter help.
    "help_early_stopping_patience": {
        "en": "Stop when the validation loss has not improved for this many epochs, and keep the best weights (0: never stop early).",
        "fr": "Arrêter quand la perte de validation ne s'améliore plus depuis ce nombre d'époques, et garder les meilleurs poids (0 : jamais).",
    },
    "help_lr_schedule": {
        "en": "How the learning rate changes: constant; step (÷10 at half, ÷100 at three quarters); cosine decay to 0; plateau (halved when the validation loss stalls).",
        "fr": "Évolution du pas d'apprentissage : constant ; step (÷10 à mi-parcours, ÷100 aux trois quarts) ; décroissance cosinus jusqu'à 0 ; plateau (divisé par 2 quand la perte de validation stagne).",
    },
    "help_batch_norm": {
        "en": "Batch normalisation after every convolution (regularized CNN): faster, steadier convergence.",
        "fr": "Normalisation par lots après chaque convolution (CNN régularisé) : convergence plus rapide et plus stable.",
    },
    "help_augment_flip": {"en": "Random horizontal flips while training.", "fr": "Retournements horizontaux aléatoires pendant l'entraînement."},
    "help_augment_shift": {
        "en": "Random shifts while training, as a fraction of the image size.",
        "fr": "Décalages aléatoires pendant l'entraînement, en fraction de la taille de l'image.",
    },
    "help_augment_rotation": {
        "en": "Random rotations while training, in turns (0.1 is up to ±36°).",
        "fr": "Rotations aléatoires pendant l'entraînement, en tours (0,1 vaut jusqu'à ±36°).",
    },
    "help_class_weights": {
        "en": "Weigh each class by the inverse of its size, so rare classes count as much as common ones.",
        "fr": "Pondérer chaque classe par l'inverse de sa taille, pour que les classes rares comptent autant que les fréquentes.",
    },
    "help_fine_tune": {
        "en": "Transfer learning: also train the pretrained backbone (better, much slower on a CPU).",
        "fr": "Apprentissage par transfert : entraîner aussi le réseau pré-entraîné (meilleur, bien plus lent sur CPU).",
    },
    "help_data_path": {
        "en": "The folder of images on this machine, or upload a zip below.",
        "fr": "Le dossier d'images sur cette machine, ou envoyez un zip ci-dessous.",
    },
    "help_image_size": {"en": "Images are resized to this many pixels a side.", "fr": "Les images sont redimensionnées à ce nombre de pixels de côté."},
    "help_min_per_class": {"en": "Leave out classes with fewer images than this (0: keep all).", "fr": "Écarter les classes ayant moins d'images (0 : tout garder)."},
    "help_max_per_class": {
        "en": "Keep at most this many images of each class, drawn at random (0: no cap).",
        "fr": "Garder au plus ce nombre d'images par classe, tirées au hasard (0 : sans limite).",
    },
    # The folder picker of the Train and Studies pages.
    "picker_upload_zip": {
        "en": "Upload a zip of images (one sub-folder per class)",
        "fr": "Envoyer un zip d'images (un sous-dossier par classe)",
    },
    "picker_path": {"en": "Image folder on this machine", "fr": "Dossier d'images sur cette machine"},
    "picker_choose": {
        "en": "Type the path of a folder with one sub-folder of images per class, or upload a zip.",
        "fr": "Saisissez le chemin d'un dossier contenant un sous-dossier d'images par classe, ou envoyez un zip.",
    },
    "picker_summary": {
        "en": "{classes} classes, {images} images ({ignored} other files ignored).",
        "fr": "{classes} classes, {images} images ({ignored} autres fichiers ignorés).",
    },
    "picker_images": {"en": "images", "fr": "images"},
    "picker_empty_classes": {
        "en": "These classes have no image and are left out: {names}",
        "fr": "Ces classes n'ont aucune image et sont écartées : {names}",
    },
    # Run page: evaluation.
    "metric_test_macro_f1": {"en": "Test macro F1", "fr": "F1 macro (test)"},
    "metric_test_top_3_accuracy": {"en": "Test top-3 accuracy", "fr": "Exactitude top-3 (test)"},
    "diagnosis_overfitting": {
        "en": "Overfitting: {train:.1%} on the training images but {test:.1%} on the test images (a gap of {gap:.1%}). "
        "The model learnt its training set by heart. Try more Dropout or L2, augmentation, early stopping, or more images.",
        "fr": "Surapprentissage : {train:.1%} sur les images d'entraînement mais {test:.1%} sur celles de test (un écart de {gap:.1%}). "
        "Le modèle a appris son jeu d'entraînement par cœur. Essayez plus de Dropout ou de L2, l'augmentation, l'arrêt précoce ou plus d'images.",
    },
    "diagnosis_underfitting": {
        "en": "Underfitting: only {train:.1%} on the training images ({test:.1%} on the test images). "
        "The model has not learnt enough yet: train longer, raise the learning rate, or use a bigger model.",
        "fr": "Sous-apprentissage : seulement {train:.1%} sur les images d'entraînement ({test:.1%} sur celles de test). "
        "Le modèle n'a pas encore assez appris : entraînez plus longtemps, augmentez le pas ou prenez un modèle plus grand.",
    },
    "diagnosis_good": {
        "en": "Generalises well: {train:.1%} on the training images, {test:.1%} on the test images never seen while training. "
        "The test figure is the one that counts: it predicts how the model does on new images.",
        "fr": "Bonne généralisation : {train:.1%} sur les images d'entraînement, {test:.1%} sur les images de test jamais vues pendant l'entraînement. "
        "C'est le chiffre de test qui compte : il prédit le comportement du modèle sur de nouvelles images.",
    },
    "run_cell_help": {
        "en": "Click a cell of the matrix, or pick a true and a predicted class, to see its test images.",
        "fr": "Cliquez sur une case de la matrice, ou choisissez une vraie classe et une classe prédite, pour voir ses images de test.",
    },
    "run_cell_count": {
        "en": "{count} test images of class {true} predicted as {predicted} (the most confident first):",
        "fr": "{count} images de test de la classe {true} prédites {predicted} (les plus sûres d'abord) :",
    },
    "run_cell_empty": {
        "en": "No test image of class {true} is predicted as {predicted}.",
        "fr": "Aucune image de test de la classe {true} n'est prédite {predicted}.",
    },
    "run_cell_empty_right": {
        "en": "No test image of class {true} is classified right.",
        "fr": "Aucune image de test de la classe {true} n'est bien classée.",
    },
    "run_all_right": {
        "en": "Every one of the {count} test images is classified right: no mistake to show.",
        "fr": "Les {count} images de test sont toutes bien classées : aucune erreur à montrer.",
    },
    "run_retrain": {"en": "Retrain this architecture on another dataset", "fr": "Réentraîner cette architecture sur un autre jeu de données"},
    "run_retrain_button": {"en": "Retrain", "fr": "Réentraîner"},
    # Predict page.
    "predict_camera": {"en": "Camera", "fr": "Caméra"},
    "predict_camera_label": {"en": "Take a photo", "fr": "Prendre une photo"},
    "image_note_cropped": {"en": "Cropped to the central square.", "fr": "Recadrée sur le carré central."},
    "image_note_resized": {"en": "Resized to the model's input size.", "fr": "Redimensionnée à la taille d'entrée du modèle."},
    "image_note_uniform": {
        "en": "The image is one flat colour: the model sees no shape in it, so its answer says little.",
        "fr": "L'image est d'une seule couleur unie : le modèle n'y voit aucune forme, sa réponse dit donc peu de chose.",
    },
    "image_error_not_finite": {
        "en": "The image has {count} pixels that are not numbers (NaN) or are infinite: fill them in (or save the image as 8-bit) and upload it again.",
        "fr": "L'image a {count} pixels qui ne sont pas des nombres (NaN) ou sont infinis : remplissez-les (ou enregistrez l'image en 8 bits) puis renvoyez-la.",
    },
    # NumPy arrays (.npy) uploaded on the Inside page.
    "image_error_array_type": {
        "en": "The array holds values of type {dtype}; it must hold real numbers (integers 0-255 or floats 0-1), shaped {expected} (height × width × channels).",
        "fr": "Le tableau contient des valeurs de type {dtype} ; il doit contenir des nombres réels (entiers 0-255 ou flottants 0-1), de forme {expected} (hauteur × largeur × canaux).",
    },
    "image_error_array_shape": {
        "en": "The array has shape {got}; the model takes one image of {expected} (height × width × channels; height × width for one channel).",
        "fr": "Le tableau a la forme {got} ; le modèle prend une image de {expected} (hauteur × largeur × canaux ; hauteur × largeur pour un seul canal).",
    },
    "image_error_array_not_finite": {
        "en": "The array has {count} values that are not numbers (NaN) or are infinite: replace them before uploading it.",
        "fr": "Le tableau a {count} valeurs qui ne sont pas des nombres (NaN) ou sont infinies : remplacez-les avant de l'envoyer.",
    },
    # Enrich page.
    "help_enrichment": {
        "en": "An enrichment set (made on the Enrich page): its images and their variants join the training images.",
        "fr": "Un jeu d'enrichissement (fait dans la page Enrichir) : ses images et leurs variantes rejoignent les images d'entraînement.",
    },
    "enrich_title": {"en": "Enrich a dataset with your own images", "fr": "Enrichir un jeu de données avec vos images"},
    "enrich_intro": {
        "en": "Add a few images of your own to the classes of a trained model. Each becomes several variants (flip, rotations, shift, zoom, brightness); "
        "see how the model does on them, then retrain with them added to the training images.",
        "fr": "Ajoutez quelques images à vous aux classes d'un modèle entraîné. Chacune devient plusieurs variantes (miroir, rotations, décalage, zoom, luminosité) ; "
        "voyez comment le modèle s'en sort, puis réentraînez-le avec ces images ajoutées à l'entraînement.",
    },
    "enrich_add": {"en": "Add images to a class", "fr": "Ajouter des images à une classe"},
    "enrich_class": {"en": "Class", "fr": "Classe"},
    "enrich_draw": {"en": "Draw one", "fr": "En dessiner une"},
    "enrich_add_button": {"en": "Add to the class", "fr": "Ajouter à la classe"},
    "enrich_added": {"en": "{count} images added to {name}.", "fr": "{count} images ajoutées à {name}."},
    "enrich_empty": {"en": "No image added yet for this run.", "fr": "Aucune image ajoutée pour cette exécution."},
    "enrich_sources": {"en": "Your images", "fr": "Vos images"},
    "enrich_with_variants": {"en": "With their variants", "fr": "Avec leurs variantes"},
    "enrich_train_before": {"en": "Training images before", "fr": "Images d'entraînement avant"},
    "enrich_train_after": {"en": "Training images after", "fr": "Images d'entraînement après"},
    "enrich_accuracy": {
        "en": "The trained model recognises {sources:.0%} of your images and {variants:.0%} of all the variants.",
        "fr": "Le modèle entraîné reconnaît {sources:.0%} de vos images et {variants:.0%} de l'ensemble des variantes.",
    },
    "enrich_variants": {"en": "Each image and the variants made from it", "fr": "Chaque image et les variantes faites à partir d'elle"},
    "enrich_model_says": {"en": "the model says {predicted} ({confidence:.0%})", "fr": "le modèle répond {predicted} ({confidence:.0%})"},
    "enrich_remove": {"en": "Remove", "fr": "Retirer"},
    "enrich_retrain": {"en": "Retrain with these images", "fr": "Réentraîner avec ces images"},
    "enrich_retrain_help": {
        "en": "Queues a new run with the same dataset, model and hyperparameters, your images and their variants added to the training split. The test images stay the same, so the two runs compare fairly.",
        "fr": "Met en file une nouvelle exécution avec les mêmes jeu de données, modèle et hyperparamètres, vos images et leurs variantes ajoutées à l'entraînement. Les images de test restent les mêmes : les deux exécutions se comparent honnêtement.",
    },
    "enrich_retrain_button": {"en": "Retrain with them", "fr": "Réentraîner avec elles"},
    "enrich_not_supported": {
        "en": "Project {project} cannot take extra training images: use a cifar10 or artists run.",
        "fr": "Le projet {project} ne peut pas prendre d'images d'entraînement en plus : utilisez une exécution cifar10 ou artists.",
    },
    # Presets.
    "label_preset": {"en": "Start from", "fr": "Partir de"},
    "preset_none": {"en": "The defaults", "fr": "Les valeurs par défaut"},
    "preset_seed_dense": {"en": "The course's minimal dense network", "fr": "Le réseau dense minimal du cours"},
    "preset_seed_cnn": {"en": "The course's minimal CNN", "fr": "Le CNN minimal du cours"},
    "preset_cpu_best": {
        "en": "Best on a CPU: BatchNorm, augmentation, cosine schedule (about 15 min on 2 cores)",
        "fr": "Le meilleur sur CPU : BatchNorm, augmentation, pas cosinus (environ 15 min sur 2 cœurs)",
    },
    "preset_resnet": {"en": "Mini-ResNet (lab TP3)", "fr": "Mini-ResNet (TP3)"},
    "preset_transfer": {"en": "Transfer learning from MobileNetV2", "fr": "Apprentissage par transfert depuis MobileNetV2"},
    # Home page.
    "home_generated": {
        "en": "Generated by dllab from a fixed seed, so the project runs offline: not real photographs or paintings.",
        "fr": "Généré par dllab à partir d'une graine fixe, pour que le projet marche hors ligne : ni vraies photos ni vraies peintures.",
    },
    "home_split_train": {"en": "Training images", "fr": "Images d'entraînement"},
    "home_split_validation": {"en": "Validation images", "fr": "Images de validation"},
    "home_split_test": {"en": "Test images", "fr": "Images de test"},
}
