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
    "dataset_digits": {"en": "scikit-learn digits (8×8, offline)", "fr": "chiffres de scikit-learn (8×8, hors ligne)"},
    "dataset_mnist": {"en": "MNIST (28×28, downloaded or local)", "fr": "MNIST (28×28, téléchargé ou local)"},
    # Hyperparameter help.
    "help_epochs": {"en": "Passes over the training set.", "fr": "Nombre de passages sur le jeu d'entraînement."},
    "help_batch_size": {"en": "Images per gradient step: smaller is noisier.", "fr": "Images par pas de gradient : plus petit, plus bruité."},
    "help_learning_rate": {"en": "Step size of the optimizer (adam: ~0.001, sgd: ~0.01).", "fr": "Pas de l'optimiseur (adam : ~0,001, sgd : ~0,01)."},
    "help_optimizer": {"en": "sgd, SGD with momentum 0.9, RMSprop or Adam.", "fr": "sgd, SGD avec moment 0,9, RMSprop ou Adam."},
    "help_dropout": {"en": "Fraction of units dropped while training.", "fr": "Fraction des neurones éteints pendant l'entraînement."},
    "help_l2": {"en": "Weight decay: l2 × sum of squared weights added to the loss.", "fr": "Pénalité L2 : l2 × somme des poids au carré ajoutée à la perte."},
    "help_seed": {"en": "Seeds the split, the initial weights and the batch order.", "fr": "Graine du découpage, des poids initiaux et de l'ordre des lots."},
    "help_validation_fraction": {"en": "Part of the training pool held out for validation.", "fr": "Part du jeu d'entraînement réservée à la validation."},
}
