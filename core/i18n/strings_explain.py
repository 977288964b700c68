"""Explanations: CAM methods, the Explain page, CAMs on Predict and Compare; layer access."""

STRINGS: dict[str, dict[str, str]] = {
    "explain_method_gradcam_plus_plus": {"en": "GradCAM++", "fr": "GradCAM++"},
    "explain_method_gradcam": {"en": "GradCAM", "fr": "GradCAM"},
    "explain_method_scorecam": {"en": "ScoreCAM (slow: one pass per channel)", "fr": "ScoreCAM (lent : une passe par canal)"},
    "explain_method_saliency": {"en": "Saliency (input gradient)", "fr": "Saillance (gradient de l'entrée)"},
    "explain_method_smoothgrad": {"en": "SmoothGrad (saliency averaged over noise)", "fr": "SmoothGrad (saillance moyennée sur du bruit)"},
    "explain_about_gradcam_plus_plus": {
        "en": "Weighs the chosen convolution's feature maps by how much they raise the class score, with weights that favour every region of evidence, not just the strongest (Chattopadhyay et al. 2018).",
        "fr": "Pondère les cartes de caractéristiques de la convolution choisie selon leur effet sur le score de la classe, avec des poids qui valorisent chaque zone d'indice, pas seulement la plus forte (Chattopadhyay et al. 2018).",
    },
    "explain_about_gradcam": {
        "en": "Weighs the chosen convolution's feature maps by their average gradient for the class, keeps the positive part (Selvaraju et al. 2017). Coarse: as fine as that layer's grid.",
        "fr": "Pondère les cartes de caractéristiques de la convolution choisie par leur gradient moyen pour la classe et garde la partie positive (Selvaraju et al. 2017). Grossière : aussi fine que la grille de cette couche.",
    },
    "explain_about_scorecam": {
        "en": "No gradients: each feature map masks the input, and its weight is how much the masked input still scores for the class (Wang et al. 2020).",
        "fr": "Sans gradient : chaque carte masque l'entrée, et son poids est le score que l'entrée masquée garde pour la classe (Wang et al. 2020).",
    },
    "explain_about_saliency": {
        "en": "How much each input pixel changes the class score: the gradient with respect to the image (Simonyan et al. 2014). Pixel-fine, noisy; needs no convolution.",
        "fr": "Combien chaque pixel de l'entrée change le score de la classe : le gradient par rapport à l'image (Simonyan et al. 2014). Fin au pixel, bruité ; pas besoin de convolution.",
    },
    "explain_about_smoothgrad": {
        "en": "Saliency averaged over noisy copies of the image, which removes much of its noise (Smilkov et al. 2017).",
        "fr": "La saillance moyennée sur des copies bruitées de l'image, ce qui en retire une bonne part du bruit (Smilkov et al. 2017).",
    },
    "explain_error_unknown_method": {
        "en": "Unknown explanation method {name!r}; valid: {valid}.",
        "fr": "Méthode d'explication inconnue {name!r} ; possibles : {valid}.",
    },
    "explain_error_layer_not_spatial": {
        "en": "Layer {name!r} has no feature maps (its output is a vector), so a class activation map cannot use it. Layers that can: {valid}.",
        "fr": "La couche {name!r} n'a pas de cartes de caractéristiques (sa sortie est un vecteur) : une carte d'activation de classe ne peut pas s'en servir. Couches possibles : {valid}.",
    },
    "explain_error_unknown_class": {
        "en": "Class {index} does not exist: the model has {count} classes (0 to {count} - 1).",
        "fr": "La classe {index} n'existe pas : le modèle a {count} classes (de 0 à {count} - 1).",
    },
    "explain_title": {"en": "Explain: where does the model look?", "fr": "Expliquer : où le modèle regarde-t-il ?"},
    "explain_method": {"en": "Method", "fr": "Méthode"},
    "explain_layer": {"en": "Convolution layer", "fr": "Couche de convolution"},
    "explain_layer_help": {
        "en": "The last convolution (the default) has the most abstract features; earlier ones give finer but less specific maps.",
        "fr": "La dernière convolution (par défaut) a les caractéristiques les plus abstraites ; les précédentes donnent des cartes plus fines mais moins spécifiques.",
    },
    "explain_use_saliency": {"en": "Use saliency instead", "fr": "Utiliser la saillance à la place"},
    "explain_class_choice": {"en": "Explain which class", "fr": "Expliquer quelle classe"},
    "explain_class_predicted": {"en": "The predicted one", "fr": "Celle prédite"},
    "explain_class_true": {"en": "The true one", "fr": "La vraie"},
    "explain_class_any": {"en": "A class I choose", "fr": "Une classe que je choisis"},
    "explain_class": {"en": "Class", "fr": "Classe"},
    "explain_images": {"en": "Images", "fr": "Images"},
    "explain_images_test": {"en": "Test images", "fr": "Images de test"},
    "explain_images_misclassified": {"en": "Misclassified test images", "fr": "Images de test mal classées"},
    "explain_images_upload": {"en": "My images", "fr": "Mes images"},
    "explain_count": {"en": "How many", "fr": "Combien"},
    "explain_start": {"en": "From test image number", "fr": "À partir de l'image de test numéro"},
    "explain_upload_label": {"en": "Images (PNG, JPEG, ...)", "fr": "Images (PNG, JPEG, ...)"},
    "explain_opacity": {"en": "Map opacity", "fr": "Opacité de la carte"},
    "explain_no_misclassified": {"en": "The model classifies every test image correctly: nothing to show.", "fr": "Le modèle classe bien toutes les images de test : rien à montrer."},
    "explain_caption": {"en": "{name}: says {predicted} ({probability:.0%}), map for {explained}", "fr": "{name} : dit {predicted} ({probability:.0%}), carte pour {explained}"},
    "explain_caption_true": {"en": "true: {label}", "fr": "vraie : {label}"},
    "explain_reading": {
        "en": "Red is where the evidence for the explained class is, blue where there is none. A map on the background, not on the object, is a sign the model learnt a shortcut.",
        "fr": "Le rouge montre où sont les indices pour la classe expliquée, le bleu où il n'y en a pas. Une carte sur le fond plutôt que sur l'objet signale un raccourci appris par le modèle.",
    },
    "explain_map_of": {"en": "{method} for {label}", "fr": "{method} pour {label}"},
    "dataset_patches": {
        "en": "Generated patches (offline: the class is a small pattern at a random place, to check explanations)",
        "fr": "Motifs générés (hors ligne : la classe est un petit motif placé au hasard, pour vérifier les explications)",
    },
    "inspection_error_unknown_layer": {
        "en": "The model has no layer called {name!r}. Its layers: {valid}.",
        "fr": "Le modèle n'a pas de couche nommée {name!r}. Ses couches : {valid}.",
    },
    "inspection_error_no_convolution": {
        "en": "This model has no convolution layer, so there is no feature map to weigh: class activation maps (GradCAM, GradCAM++, ScoreCAM) do not apply. Saliency and SmoothGrad work on any model.",
        "fr": "Ce modèle n'a pas de couche de convolution, donc pas de carte de caractéristiques à pondérer : les cartes d'activation de classe (GradCAM, GradCAM++, ScoreCAM) ne s'appliquent pas. La saillance et SmoothGrad marchent sur tout modèle.",
    },
    "inspection_error_image_shape": {
        "en": "The images are {got}; the model takes {expected} (height × width × channels).",
        "fr": "Les images font {got} ; le modèle prend {expected} (hauteur × largeur × canaux).",
    },
    "inspection_error_channels": {
        "en": "The image has {got} channel(s); the model takes {expected} (1 is greyscale, 3 is colour).",
        "fr": "L'image a {got} canal(aux) ; le modèle en prend {expected} (1 pour des niveaux de gris, 3 pour la couleur).",
    },
}
