"""The projector: features, PCA / t-SNE / UMAP, k-means, projection jobs."""

STRINGS: dict[str, dict[str, str]] = {
    "projector_intro": {
        "en": "How does the network see the test images? The outputs of one layer, for a sample of test images, drawn in 2-D: "
        "points close together look alike to that layer. k-means on the same features tells how well they separate the classes "
        "(adjusted Rand index: 1 = the clusters are the classes, 0 = chance).",
        "fr": "Comment le réseau voit-il les images de test ? Les sorties d'une couche, pour un échantillon d'images de test, dessinées en 2-D : "
        "des points proches se ressemblent pour cette couche. Un k-means sur les mêmes caractéristiques dit à quel point elles séparent les classes "
        "(indice de Rand ajusté : 1 = les groupes sont les classes, 0 = le hasard).",
    },
    "projector_method_pca": {"en": "PCA (linear, instant)", "fr": "ACP (linéaire, immédiate)"},
    "projector_method_tsne": {"en": "t-SNE (local neighbourhoods)", "fr": "t-SNE (voisinages locaux)"},
    "projector_method_umap": {"en": "UMAP (local and global shape)", "fr": "UMAP (forme locale et globale)"},
    "projector_layer": {"en": "Layer", "fr": "Couche"},
    "projector_layer_help": {
        "en": "Whose outputs are projected. By default the layer that feeds the classifier: the features the network learnt.",
        "fr": "La couche dont les sorties sont projetées. Par défaut celle qui alimente le classifieur : les caractéristiques apprises.",
    },
    "projector_latent_intro": {
        "en": "A generative run (VAE, CVAE): the points are the mean codes (z_mean) its encoder gives the test images, so the projector shows "
        "how the latent space is laid out. A VAE's code has to carry the class, so its classes tend to form groups; a CVAE is given the class "
        "beside the code, so its code is free to ignore it, and a low adjusted Rand index is what one expects there.",
        "fr": "Une exécution générative (VAE, CVAE) : les points sont les codes moyens (z_mean) que son encodeur donne aux images de test, "
        "le projecteur montre donc comment l'espace latent est organisé. Le code d'un VAE doit porter la classe, ses classes ont donc tendance "
        "à former des groupes ; un CVAE reçoit la classe à côté du code, son code peut donc l'ignorer, et un indice de Rand ajusté bas est attendu.",
    },
    "projector_latent_layer": {"en": "{name} · z_mean {width}", "fr": "{name} · z_mean {width}"},
    "projector_latent_layer_help": {
        "en": "A generative run has one thing to project: its latent codes, the encoder's mean (z_mean) for each test image.",
        "fr": "Une exécution générative n'a qu'une chose à projeter : ses codes latents, la moyenne (z_mean) de l'encodeur pour chaque image de test.",
    },
    "projector_method": {"en": "Method", "fr": "Méthode"},
    "projector_count": {"en": "Test images", "fr": "Images de test"},
    "projector_count_help": {
        "en": "A sample of the test set, each class in its share; at most {maximum}.",
        "fr": "Un échantillon du jeu de test, chaque classe dans sa proportion ; au plus {maximum}.",
    },
    "projector_seed": {"en": "Seed", "fr": "Graine"},
    "projector_compute": {"en": "Compute", "fr": "Calculer"},
    "projector_colour_by": {"en": "Colour by", "fr": "Couleur selon"},
    "projector_colour_label": {"en": "true class", "fr": "classe réelle"},
    "projector_colour_prediction": {"en": "predicted class", "fr": "classe prédite"},
    "projector_colour_cluster": {"en": "k-means cluster", "fr": "groupe du k-means"},
    "projector_cluster_name": {"en": "cluster {number}", "fr": "groupe {number}"},
    "projector_field_index": {"en": "test image", "fr": "image de test"},
    "projector_field_label": {"en": "true", "fr": "réelle"},
    "projector_field_prediction": {"en": "predicted", "fr": "prédite"},
    "projector_not_computed": {
        "en": "This projection has not been computed yet: press Compute. It runs in the background; you can leave the page.",
        "fr": "Cette projection n'a pas encore été calculée : cliquez sur Calculer. Le calcul tourne en arrière-plan ; vous pouvez quitter la page.",
    },
    "projector_stage_queued": {"en": "Waiting for the projection service…", "fr": "En attente du service de projection…"},
    "projector_stage_features": {"en": "Computing the layer's outputs…", "fr": "Calcul des sorties de la couche…"},
    "projector_stage_projection": {"en": "Projecting to 2-D…", "fr": "Projection en 2-D…"},
    "projector_stage_clusters": {"en": "k-means…", "fr": "k-means…"},
    "projector_failed": {"en": "The projection failed: {error}", "fr": "La projection a échoué : {error}"},
    "projector_run_gone": {
        "en": "This run no longer exists (it was deleted): its projections went with it. Pick another run.",
        "fr": "Cette exécution n'existe plus (elle a été supprimée) : ses projections sont parties avec elle. Choisissez-en une autre.",
    },
    "projector_no_evaluation": {
        "en": "This run kept no test predictions (eval/predictions.npz): there are no test images to project.",
        "fr": "Cette exécution n'a pas gardé ses prédictions de test (eval/predictions.npz) : pas d'images de test à projeter.",
    },
    "projector_no_latent": {
        "en": "This run kept no latent codes (eval/latent.npz): there are no test images to project.",
        "fr": "Cette exécution n'a pas gardé ses codes latents (eval/latent.npz) : pas d'images de test à projeter.",
    },
    "projector_ari": {"en": "k-means vs classes (ARI)", "fr": "k-means vs classes (ARI)"},
    "projector_ari_help": {
        "en": "Adjusted Rand index between k-means clusters (k = number of classes) on the layer's features and the true classes.",
        "fr": "Indice de Rand ajusté entre les groupes du k-means (k = nombre de classes) sur les caractéristiques de la couche et les vraies classes.",
    },
    "projector_seconds": {"en": "Computed in", "fr": "Calculé en"},
    "projector_points": {"en": "Points", "fr": "Points"},
    "projector_width": {"en": "Feature size", "fr": "Taille des caractéristiques"},
    "projector_reduction": {"en": "Outputs of {width} numbers an image, shrunk by a random projection first: {reduction}.", "fr": "Sorties de {width} nombres par image, réduites d'abord par une projection aléatoire : {reduction}."},
    "projector_select_hint": {
        "en": "Hover a point to see its image; click points (shift-click for more) or drag a box to list their images below.",
        "fr": "Survolez un point pour voir son image ; cliquez sur des points (Maj-clic pour en ajouter) ou tracez un rectangle pour lister leurs images ci-dessous.",
    },
    "projector_selected": {"en": "Selected: {count} images (the first {shown} shown)", "fr": "Sélection : {count} images (les {shown} premières affichées)"},
    "projector_image_caption": {"en": "#{index} · true {label} · predicted {prediction}", "fr": "n°{index} · réelle {label} · prédite {prediction}"},
    "projector_image_caption_latent": {"en": "#{index} · {label}", "fr": "n°{index} · {label}"},
    "projector_stored": {"en": "Stored projections of this run", "fr": "Projections enregistrées de cette exécution"},
    "projector_open": {"en": "Open a stored projection", "fr": "Ouvrir une projection enregistrée"},
    "projector_stored_none": {"en": "None yet.", "fr": "Aucune pour l'instant."},
    "projector_stored_label": {
        "en": "{method} · {layer} · {count} images · seed {seed} · ARI {ari}",
        "fr": "{method} · {layer} · {count} images · graine {seed} · ARI {ari}",
    },
    # Errors (core.projector raises them as TranslatableError).
    "projector_error_unknown_method": {"en": "Unknown projection method {method!r}; valid: {valid}.", "fr": "Méthode de projection inconnue {method!r} ; valides : {valid}."},
    "projector_error_too_few": {
        "en": "{method} needs at least {minimum} points; {count} asked. Pick more test images.",
        "fr": "{method} demande au moins {minimum} points ; {count} demandés. Choisissez plus d'images de test.",
    },
    "projector_error_too_many": {
        "en": "At most {maximum} test images can be projected here; {count} asked.",
        "fr": "On peut projeter au plus {maximum} images de test ici ; {count} demandées.",
    },
    "projector_error_service_died": {
        "en": "The projection service stopped during this job (see artifacts/projections/service.log). Press Compute to try again.",
        "fr": "Le service de projection s'est arrêté pendant ce calcul (voir artifacts/projections/service.log). Cliquez sur Calculer pour réessayer.",
    },
}
