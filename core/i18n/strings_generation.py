"""Generative models (project cvae): its hyperparameters, the Generate page, its errors."""

STRINGS: dict[str, dict[str, str]] = {
    "project_cvae_title": {"en": "Generative models: VAE and conditional VAE", "fr": "Modèles génératifs : VAE et VAE conditionnel"},
    "project_cvae_summary": {
        "en": "A variational autoencoder squeezes each image into a small code and rebuilds it; the conditional one is also told the class, "
        "so you can ask it for a shoe or a 7. Reconstructions, the latent space, samples per class, traversals and interpolations.",
        "fr": "Un autoencodeur variationnel comprime chaque image en un petit code puis la reconstruit ; le conditionnel reçoit aussi la classe, "
        "on peut donc lui demander une chaussure ou un 7. Reconstructions, espace latent, échantillons par classe, parcours et interpolations.",
    },
    "help_latent_dim": {
        "en": "Size of the code each image is squeezed into (1 or more, smaller than the image). With 2 the latent space is drawn as it is.",
        "fr": "Taille du code dans lequel chaque image est comprimée (1 ou plus, plus petite que l'image). Avec 2, l'espace latent se dessine tel quel.",
    },
    "help_hidden_sizes": {
        "en": "Widths of the encoder's three layers, separated by commas (the decoder mirrors them), e.g. 256,128,64.",
        "fr": "Largeurs des trois couches de l'encodeur, séparées par des virgules (le décodeur les reprend à l'envers), p. ex. 256,128,64.",
    },
    "help_beta": {
        "en": "Weight of the KL term (0 or more): 0 gives a plain autoencoder, 1 the VAE, more a smoother but blurrier latent space.",
        "fr": "Poids du terme KL (0 ou plus) : 0 donne un autoencodeur simple, 1 le VAE, davantage un espace latent plus lisse mais plus flou.",
    },
    "preset_seed_vae": {"en": "Course: the VAE (3 + latent + 3 dense layers)", "fr": "Cours : le VAE (3 + latente + 3 couches denses)"},
    "preset_seed_cvae": {"en": "Course: the conditional VAE", "fr": "Cours : le VAE conditionnel"},
    "preset_conv_cvae": {"en": "Convolutional CVAE, 8-D code", "fr": "CVAE convolutionnel, code à 8 dimensions"},
    "generate_error_not_conditional": {
        "en": "{model} is not conditional: it cannot be asked for a class. Train a CVAE for that.",
        "fr": "{model} n'est pas conditionnel : on ne peut pas lui demander une classe. Entraînez un CVAE pour cela.",
    },
    "generate_error_unknown_class": {
        "en": "There is no class {wanted!r}; valid: {valid}.",
        "fr": "Il n'y a pas de classe {wanted!r} ; valides : {valid}.",
    },
    "generate_error_count": {
        "en": "Samples per class must be from 1 to 100, got {count}.",
        "fr": "Le nombre d'échantillons par classe doit aller de 1 à 100, reçu {count}.",
    },
    "generate_error_dimension": {
        "en": "Latent dimension {dimension} does not exist: the code has {size} (numbered from 0).",
        "fr": "La dimension latente {dimension} n'existe pas : le code en a {size} (numérotées à partir de 0).",
    },
    # Curves, metrics and study columns of generative runs.
    "curve_reconstruction": {"en": "Reconstruction", "fr": "Reconstruction"},
    "curve_kl": {"en": "KL divergence", "fr": "Divergence KL"},
    "metric_train_reconstruction": {"en": "Train reconstruction", "fr": "Reconstruction (entraînement)"},
    "metric_validation_reconstruction": {"en": "Validation reconstruction", "fr": "Reconstruction (validation)"},
    "metric_train_kl": {"en": "Train KL", "fr": "KL (entraînement)"},
    "metric_validation_kl": {"en": "Validation KL", "fr": "KL (validation)"},
    "metric_test_reconstruction": {"en": "Test reconstruction", "fr": "Reconstruction (test)"},
    "metric_test_kl": {"en": "Test KL", "fr": "KL (test)"},
    "metric_conditional_accuracy": {"en": "Conditional accuracy", "fr": "Exactitude conditionnelle"},
    "metric_conditional_accuracy_help": {
        "en": "A classifier trained on the real training images labels 100 samples per class: the share labelled as the class they were asked for.",
        "fr": "Un classifieur entraîné sur les vraies images d'entraînement étiquette 100 échantillons par classe : la part étiquetée comme la classe demandée.",
    },
    "metric_judge_accuracy": {"en": "Judge accuracy (real test images)", "fr": "Exactitude du juge (vraies images de test)"},
    "studies_validation_reconstruction": {"en": "validation reconstruction", "fr": "reconstruction en validation"},
    "studies_validation_kl": {"en": "validation KL", "fr": "KL en validation"},
    "studies_column_test_reconstruction": {"en": "test reconstruction", "fr": "reconstruction en test"},
    "studies_column_test_kl": {"en": "test KL", "fr": "KL en test"},
    "studies_column_conditional_accuracy": {"en": "conditional accuracy", "fr": "exactitude conditionnelle"},
    "studies_column_best_validation_loss": {"en": "best validation loss", "fr": "meilleure perte en validation"},
    "study_preset_latent_beta": {"en": "CVAE: latent size × beta (the seed's choice by loss)", "fr": "CVAE : taille latente × beta (le choix par la perte du cours)"},
    # The Generate page.
    "page_generate": {"en": "Generate", "fr": "Générer"},
    "generate_intro": {
        "en": "What a trained VAE or conditional VAE makes: new images from random codes, the map of its codes, and images you steer by hand.",
        "fr": "Ce que produit un VAE ou un VAE conditionnel entraîné : de nouvelles images à partir de codes aléatoires, la carte de ses codes, et des images que vous guidez à la main.",
    },
    "generate_no_runs": {
        "en": "No finished generative run yet. Train the project \"Generative models\" (a CVAE on the digits takes about 20 s) on the Train page.",
        "fr": "Aucun modèle génératif entraîné pour l'instant. Entraînez le projet « Modèles génératifs » (un CVAE sur les chiffres prend environ 20 s) sur la page Entraîner.",
    },
    "generate_no_evaluation": {
        "en": "This run's eval/latent.npz is missing or unreadable: train it again.",
        "fr": "Le fichier eval/latent.npz de cet entraînement manque ou est illisible : relancez l'entraînement.",
    },
    "generate_model": {"en": "Model · code size", "fr": "Modèle · taille du code"},
    "generate_tab_samples": {"en": "Samples per class", "fr": "Échantillons par classe"},
    "generate_tab_latent": {"en": "Latent space", "fr": "Espace latent"},
    "generate_tab_traversal": {"en": "Traversal", "fr": "Parcours"},
    "generate_tab_interpolation": {"en": "Interpolation", "fr": "Interpolation"},
    "generate_tab_hand": {"en": "By hand", "fr": "À la main"},
    "generate_samples_help": {
        "en": "Each row asks for one class; each column uses the same random code, so a column keeps its style (thickness, slant) while the class changes.",
        "fr": "Chaque ligne demande une classe ; chaque colonne utilise le même code aléatoire : une colonne garde son style (épaisseur, inclinaison) quand la classe change.",
    },
    "generate_samples_help_vae": {
        "en": "Random codes drawn from N(0, I), decoded. A VAE cannot be asked for a class: train a CVAE for that.",
        "fr": "Des codes tirés de N(0, I), décodés. On ne peut pas demander une classe à un VAE : entraînez un CVAE pour cela.",
    },
    "generate_per_class": {"en": "Samples per class", "fr": "Échantillons par classe"},
    "generate_per_row": {"en": "Samples per row", "fr": "Échantillons par ligne"},
    "generate_seed": {"en": "Seed", "fr": "Graine"},
    "generate_seed_help": {"en": "The same seed gives the same samples.", "fr": "La même graine donne les mêmes échantillons."},
    "generate_class": {"en": "Class", "fr": "Classe"},
    "generate_latent_direct": {
        "en": "The code of every test image (its mean), as it is: the code has 2 dimensions or fewer. Hover a point to see its image.",
        "fr": "Le code de chaque image de test (sa moyenne), tel quel : le code a 2 dimensions ou moins. Survolez un point pour voir son image.",
    },
    "generate_latent_pca": {
        "en": "The code has {size} dimensions: shown here through its first two principal components (PCA). t-SNE and UMAP are in the Projector.",
        "fr": "Le code a {size} dimensions : il est montré ici par ses deux premières composantes principales (ACP). t-SNE et UMAP sont dans le Projecteur.",
    },
    "generate_open_projector": {"en": "Open in the Projector (t-SNE, UMAP)", "fr": "Ouvrir dans le Projecteur (t-SNE, UMAP)"},
    "generate_traversal_help": {
        "en": "Every other dimension stays at 0; one dimension moves down the rows, another across the columns, from -span to +span.",
        "fr": "Toutes les autres dimensions restent à 0 ; une dimension varie de haut en bas, une autre de gauche à droite, de -amplitude à +amplitude.",
    },
    "generate_traversal_one": {"en": "The code has a single dimension: the grid varies it along the rows only.", "fr": "Le code n'a qu'une dimension : la grille la fait varier selon les lignes seulement."},
    "generate_dimension_rows": {"en": "Dimension down the rows", "fr": "Dimension selon les lignes"},
    "generate_dimension_columns": {"en": "Dimension across the columns", "fr": "Dimension selon les colonnes"},
    "generate_steps": {"en": "Steps", "fr": "Pas"},
    "generate_span": {"en": "Span (standard deviations)", "fr": "Amplitude (écarts-types)"},
    "generate_traversal_caption": {"en": "Rows: z{rows} from -{span} to +{span}; columns: z{columns}.", "fr": "Lignes : z{rows} de -{span} à +{span} ; colonnes : z{columns}."},
    "generate_interpolation_help": {
        "en": "Two test images are encoded; the images between them decode the points on the straight line between their codes.",
        "fr": "Deux images de test sont encodées ; les images intermédiaires décodent les points du segment entre leurs codes.",
    },
    "generate_start_image": {"en": "From test image", "fr": "De l'image de test"},
    "generate_end_image": {"en": "To test image", "fr": "À l'image de test"},
    "generate_test_image": {"en": "test image {index} · {label}", "fr": "image de test {index} · {label}"},
    "generate_between_classes": {"en": "Between two classes, same code", "fr": "Entre deux classes, même code"},
    "generate_between_classes_help": {
        "en": "The code of the first image stays; the class moves from one to the other: the style stays, the object changes.",
        "fr": "Le code de la première image reste ; la classe passe de l'une à l'autre : le style reste, l'objet change.",
    },
    "generate_from_class": {"en": "From class", "fr": "De la classe"},
    "generate_to_class": {"en": "To class", "fr": "À la classe"},
    "generate_hand_help": {
        "en": "Move the sliders: the image follows. Values near 0 are the most typical; beyond ±2 the decoder sees codes it rarely met.",
        "fr": "Bougez les curseurs : l'image suit. Les valeurs proches de 0 sont les plus typiques ; au-delà de ±2 le décodeur voit des codes qu'il a rarement rencontrés.",
    },
    "generate_hand_more": {"en": "Sliders for the first {shown} of {size} dimensions; the others stay at 0.", "fr": "Curseurs pour les {shown} premières des {size} dimensions ; les autres restent à 0."},
    "generate_random_code": {"en": "Random code", "fr": "Code aléatoire"},
    "run_reconstructions": {"en": "Test images (top) and their reconstructions (bottom)", "fr": "Images de test (en haut) et leurs reconstructions (en bas)"},
    "run_reconstruction_error": {"en": "Mean absolute pixel error: {error:.3f} (0 to 1).", "fr": "Erreur absolue moyenne par pixel : {error:.3f} (de 0 à 1)."},
    "run_latent": {"en": "Latent space of the test images", "fr": "Espace latent des images de test"},
    "run_samples": {"en": "Five samples per class", "fr": "Cinq échantillons par classe"},
    "run_samples_vae": {"en": "Random samples (a VAE is not told the class)", "fr": "Échantillons aléatoires (un VAE ne reçoit pas la classe)"},
    "run_open_generate": {"en": "Open in Generate", "fr": "Ouvrir dans Générer"},
    "generate_collapse_warning": {
        "en": "The KL term ended at {kl:.4f} per latent dimension (below {threshold}): the decoder ignores the code (posterior collapse), so the grids, traversals and sliders barely change. Train with a smaller KL weight (beta), or longer.",
        "fr": "Le terme KL a fini à {kl:.4f} par dimension latente (sous {threshold}) : le décodeur ignore le code (effondrement du postérieur), les grilles, parcours et curseurs changent donc à peine. Entraînez avec un poids KL (bêta) plus petit, ou plus longtemps.",
    },
}
