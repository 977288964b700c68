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
}
