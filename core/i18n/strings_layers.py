"""Inside the network: layers explained, summary, filters, feature maps, activation maximisation, convolution."""

# Layers explained: one title and one text per topic of core.analysis.layer_guide.
_TOPICS: dict[str, dict[str, dict[str, str]]] = {
    "input": {
        "title": {"en": "Input", "fr": "Entrée"},
        "text": {
            "en": "Not a computation: it declares the shape of what enters the network (height × width × channels for an image). "
            "It has no parameters; every later shape follows from it.",
            "fr": "Pas un calcul : elle déclare la forme de ce qui entre dans le réseau (hauteur × largeur × canaux pour une image). "
            "Elle n'a aucun paramètre ; toutes les formes suivantes en découlent.",
        },
    },
    "dense": {
        "title": {"en": "Dense (fully connected)", "fr": "Dense (entièrement connectée)"},
        "text": {
            "en": "Each output unit is a weighted sum of all the inputs plus a bias: y = W·x + b, often followed by an activation. "
            "It has inputs × units weights plus units biases, so it is where most parameters of a small network live. "
            "Stacked after the convolutions, dense layers combine the detected features into the final decision.",
            "fr": "Chaque neurone de sortie est une somme pondérée de toutes les entrées plus un biais : y = W·x + b, souvent suivie d'une activation. "
            "Elle a entrées × neurones poids plus un biais par neurone : c'est là que vivent la plupart des paramètres d'un petit réseau. "
            "Placées après les convolutions, les couches denses combinent les caractéristiques détectées pour prendre la décision finale.",
        },
    },
    "convolution": {
        "title": {"en": "Convolution", "fr": "Convolution"},
        "text": {
            "en": "A small kernel (3×3 here) slides over the image; at each position the output is the sum of the pixels times the kernel's weights, plus a bias. "
            "Each filter gives one output channel, a map of where its pattern (an edge, a colour, a texture) appears. "
            "Parameters: kernel height × width × input channels × filters, plus one bias per filter — the same weights are reused at every position, "
            "which is why convolutions need far fewer parameters than dense layers on images.",
            "fr": "Un petit noyau (ici 3×3) glisse sur l'image ; à chaque position, la sortie est la somme des pixels multipliés par les poids du noyau, plus un biais. "
            "Chaque filtre donne un canal de sortie, une carte des endroits où son motif (un bord, une couleur, une texture) apparaît. "
            "Paramètres : hauteur × largeur du noyau × canaux d'entrée × filtres, plus un biais par filtre — les mêmes poids servent à chaque position, "
            "d'où bien moins de paramètres qu'une couche dense sur des images.",
        },
    },
    "repeat": {
        "title": {"en": "Repeat (RepeatVector)", "fr": "Répétition (RepeatVector)"},
        "text": {
            "en": "Copies its input vector a fixed number of times, one copy per row; it learns nothing. "
            "A conditional VAE uses it to spread the one-hot class over every pixel position, so that each convolution filter sees which class is asked for.",
            "fr": "Recopie son vecteur d'entrée un nombre fixe de fois, une copie par ligne ; elle n'apprend rien. "
            "Un VAE conditionnel s'en sert pour étaler la classe (en one-hot) sur chaque position de pixel, afin que chaque filtre de convolution sache quelle classe est demandée.",
        },
    },
    "transposed_convolution": {
        "title": {"en": "Transposed convolution", "fr": "Convolution transposée"},
        "text": {
            "en": "The way back up: each input value stamps a copy of the kernel, scaled by that value, onto a larger output, and overlapping stamps add up. "
            "With stride 2 it doubles the height and the width, so a decoder grows a small map back to the image size. "
            "It learns its kernels like a convolution and has as many parameters as one with the same kernel and channels.",
            "fr": "Le chemin du retour : chaque valeur d'entrée dépose une copie du noyau, multipliée par cette valeur, sur une sortie plus grande, et les copies qui se chevauchent s'additionnent. "
            "Avec un pas de 2, elle double la hauteur et la largeur : un décodeur fait ainsi regrandir une petite carte jusqu'à la taille de l'image. "
            "Elle apprend ses noyaux comme une convolution et a autant de paramètres qu'une convolution de même noyau et mêmes canaux.",
        },
    },
    "depthwise_convolution": {
        "title": {"en": "Depthwise convolution", "fr": "Convolution en profondeur (depthwise)"},
        "text": {
            "en": "A convolution that filters each input channel on its own (one small kernel per channel), usually followed by a 1×1 convolution that mixes the channels. "
            "It computes almost the same kind of features as a full convolution with many times fewer parameters and operations: the trick behind MobileNet.",
            "fr": "Une convolution qui filtre chaque canal d'entrée séparément (un petit noyau par canal), en général suivie d'une convolution 1×1 qui mélange les canaux. "
            "Elle calcule presque le même genre de caractéristiques qu'une convolution complète avec beaucoup moins de paramètres et d'opérations : l'astuce de MobileNet.",
        },
    },
    "max_pooling": {
        "title": {"en": "Max pooling", "fr": "Max pooling (maximum local)"},
        "text": {
            "en": "Keeps the largest value of each 2×2 window, channel by channel: the map is halved in height and width. "
            "No parameters. It keeps the strongest response of each detector while making the network less sensitive to small shifts, and cuts the computation of the next layers.",
            "fr": "Garde la plus grande valeur de chaque fenêtre 2×2, canal par canal : la carte est divisée par deux en hauteur et en largeur. "
            "Aucun paramètre. Elle garde la réponse la plus forte de chaque détecteur, rend le réseau moins sensible aux petits décalages et allège le calcul des couches suivantes.",
        },
    },
    "average_pooling": {
        "title": {"en": "Average pooling", "fr": "Average pooling (moyenne locale)"},
        "text": {
            "en": "Replaces each window (2×2 usually) by the mean of its values, channel by channel: the map shrinks, details are smoothed. "
            "No parameters. Gentler than max pooling: it keeps how much of a pattern is present, not only its peak.",
            "fr": "Remplace chaque fenêtre (2×2 en général) par la moyenne de ses valeurs, canal par canal : la carte rétrécit, les détails sont lissés. "
            "Aucun paramètre. Plus douce que le max pooling : elle garde la quantité d'un motif, pas seulement son pic.",
        },
    },
    "global_pooling": {
        "title": {"en": "Global pooling", "fr": "Pooling global"},
        "text": {
            "en": "Averages (or takes the maximum of) each channel over the whole image: an h × w × c map becomes c numbers. "
            "No parameters. It replaces Flatten before the dense head, with far fewer weights after it and no dependence on where a pattern appeared.",
            "fr": "Fait la moyenne (ou prend le maximum) de chaque canal sur toute l'image : une carte h × l × c devient c nombres. "
            "Aucun paramètre. Elle remplace Flatten avant la tête dense, avec bien moins de poids ensuite et sans dépendre de l'endroit où le motif est apparu.",
        },
    },
    "batch_norm": {
        "title": {"en": "Batch normalisation", "fr": "Normalisation par lots (BatchNorm)"},
        "text": {
            "en": "Normalises each channel to mean 0 and variance 1 over the batch, then rescales it with a learnt scale γ and shift β. "
            "Parameters: γ and β per channel (trained) plus the running mean and variance (not trained, used at test time). "
            "It makes training faster and more stable, and allows larger learning rates.",
            "fr": "Normalise chaque canal à moyenne 0 et variance 1 sur le lot, puis le remet à l'échelle avec un facteur γ et un décalage β appris. "
            "Paramètres : γ et β par canal (entraînés) plus la moyenne et la variance glissantes (non entraînées, utilisées au test). "
            "Elle rend l'entraînement plus rapide et plus stable, et permet des taux d'apprentissage plus grands.",
        },
    },
    "layer_norm": {
        "title": {"en": "Layer normalisation", "fr": "Normalisation de couche (LayerNorm)"},
        "text": {
            "en": "Normalises the features of each example to mean 0 and variance 1 (over its own features, not over the batch), then applies a learnt scale and shift. "
            "Two parameters per feature. It is the normalisation of transformers, where it keeps attention layers stable.",
            "fr": "Normalise les caractéristiques de chaque exemple à moyenne 0 et variance 1 (sur ses propres caractéristiques, pas sur le lot), puis applique un facteur et un décalage appris. "
            "Deux paramètres par caractéristique. C'est la normalisation des transformers, où elle stabilise les couches d'attention.",
        },
    },
    "dropout": {
        "title": {"en": "Dropout", "fr": "Dropout (extinction aléatoire)"},
        "text": {
            "en": "While training, sets a random fraction of its inputs to zero (the rate) and scales the others up to keep the same mean; at test time it does nothing. "
            "No parameters. The network cannot rely on any single unit, which reduces overfitting.",
            "fr": "Pendant l'entraînement, met à zéro une fraction aléatoire de ses entrées (le taux) et agrandit les autres pour garder la même moyenne ; au test, elle ne fait rien. "
            "Aucun paramètre. Le réseau ne peut plus compter sur un seul neurone, ce qui réduit le surapprentissage.",
        },
    },
    "flatten": {
        "title": {"en": "Flatten / reshape", "fr": "Flatten / remise en forme"},
        "text": {
            "en": "Rearranges the values without changing them: Flatten turns an h × w × c map into one vector of h·w·c numbers so a dense layer can read it. "
            "No parameters.",
            "fr": "Réarrange les valeurs sans les changer : Flatten transforme une carte h × l × c en un vecteur de h·l·c nombres qu'une couche dense peut lire. "
            "Aucun paramètre.",
        },
    },
    "relu": {
        "title": {"en": "ReLU activation", "fr": "Activation ReLU"},
        "text": {
            "en": "ReLU(x) = max(0, x): negative values become 0, positive ones pass unchanged. No parameters. "
            "Without a non-linearity between them, stacked layers would collapse into one linear function; ReLU is the cheapest one that trains well.",
            "fr": "ReLU(x) = max(0, x) : les valeurs négatives deviennent 0, les positives passent telles quelles. Aucun paramètre. "
            "Sans non-linéarité entre elles, des couches empilées se réduiraient à une seule fonction linéaire ; ReLU est la moins coûteuse qui s'entraîne bien.",
        },
    },
    "leaky_relu": {
        "title": {"en": "Leaky ReLU activation", "fr": "Activation Leaky ReLU"},
        "text": {
            "en": "Like ReLU, but negative values are multiplied by a small slope (0.01 to 0.3) instead of being set to 0. "
            "No trained parameters. A unit that only receives negative inputs still gets a gradient, so it cannot die.",
            "fr": "Comme ReLU, mais les valeurs négatives sont multipliées par une petite pente (0,01 à 0,3) au lieu d'être mises à 0. "
            "Aucun paramètre entraîné. Un neurone qui ne reçoit que des valeurs négatives garde un gradient : il ne peut pas mourir.",
        },
    },
    "sigmoid": {
        "title": {"en": "Sigmoid activation", "fr": "Activation sigmoïde"},
        "text": {
            "en": "σ(x) = 1 / (1 + e^−x) squeezes any value into (0, 1). No parameters. "
            "Used for a probability of yes/no (binary output, multi-label); in hidden layers it saturates and slows learning, so ReLU replaced it.",
            "fr": "σ(x) = 1 / (1 + e^−x) ramène toute valeur dans (0, 1). Aucun paramètre. "
            "Sert pour une probabilité oui/non (sortie binaire, multi-étiquettes) ; dans les couches cachées elle sature et ralentit l'apprentissage, d'où son remplacement par ReLU.",
        },
    },
    "tanh": {
        "title": {"en": "Tanh activation", "fr": "Activation tanh"},
        "text": {
            "en": "tanh(x) squeezes any value into (−1, 1), centred on 0. No parameters. "
            "Common in recurrent networks and generators; like the sigmoid it saturates for large values.",
            "fr": "tanh(x) ramène toute valeur dans (−1, 1), centrée sur 0. Aucun paramètre. "
            "Courante dans les réseaux récurrents et les générateurs ; comme la sigmoïde, elle sature pour les grandes valeurs.",
        },
    },
    "gelu": {
        "title": {"en": "GELU activation", "fr": "Activation GELU"},
        "text": {
            "en": "GELU(x) = x · Φ(x): a smooth ReLU that lets small negative values through a little. No parameters. "
            "It is the activation of transformers (BERT, GPT, ViT).",
            "fr": "GELU(x) = x · Φ(x) : un ReLU lisse qui laisse un peu passer les petites valeurs négatives. Aucun paramètre. "
            "C'est l'activation des transformers (BERT, GPT, ViT).",
        },
    },
    "softmax": {
        "title": {"en": "Softmax", "fr": "Softmax"},
        "text": {
            "en": "Turns the class scores (logits) into probabilities: exponentiate each one, divide by their sum; all are positive and add up to 1. "
            "No parameters. It ends a classifier, and the cross-entropy loss compares its output with the true class.",
            "fr": "Transforme les scores des classes (logits) en probabilités : on prend l'exponentielle de chacun puis on divise par leur somme ; tout est positif et la somme vaut 1. "
            "Aucun paramètre. Elle termine un classifieur, et la perte d'entropie croisée compare sa sortie à la vraie classe.",
        },
    },
    "residual": {
        "title": {"en": "Residual connection (Add)", "fr": "Connexion résiduelle (Add)"},
        "text": {
            "en": "Adds the input of a block to its output, value by value: the block only has to learn a correction F(x), the output being x + F(x). "
            "No parameters (a 1×1 convolution on the shortcut adapts the shape when it changes). "
            "The gradient flows straight through the shortcut, so very deep networks (ResNet) still train.",
            "fr": "Ajoute l'entrée d'un bloc à sa sortie, valeur par valeur : le bloc n'a qu'une correction F(x) à apprendre, la sortie étant x + F(x). "
            "Aucun paramètre (une convolution 1×1 sur le raccourci adapte la forme quand elle change). "
            "Le gradient traverse directement le raccourci, si bien que des réseaux très profonds (ResNet) s'entraînent encore.",
        },
    },
    "concatenate": {
        "title": {"en": "Concatenate", "fr": "Concaténation"},
        "text": {
            "en": "Puts several inputs side by side along the channel axis: 32 channels and 64 channels make 96. "
            "No parameters. It merges branches that looked at the same input in different ways (here, it can also copy a grey image into three colour channels).",
            "fr": "Met plusieurs entrées côte à côte le long de l'axe des canaux : 32 canaux et 64 canaux en font 96. "
            "Aucun paramètre. Elle fusionne des branches qui ont regardé la même entrée de façons différentes (ici, elle peut aussi recopier une image en gris dans trois canaux de couleur).",
        },
    },
    "attention": {
        "title": {"en": "Multi-head attention", "fr": "Attention multi-têtes"},
        "text": {
            "en": "Each position builds a query, a key and a value (three learnt projections); its output is the average of all the values, weighted by how well its query matches each key (a softmax of the dot products). "
            "Several heads do this in parallel, each with its own projections. "
            "Parameters: the query, key, value and output matrices. Every position can use every other one in a single layer: the core of transformers.",
            "fr": "Chaque position construit une requête, une clé et une valeur (trois projections apprises) ; sa sortie est la moyenne de toutes les valeurs, pondérée par l'accord de sa requête avec chaque clé (un softmax des produits scalaires). "
            "Plusieurs têtes font ce calcul en parallèle, chacune avec ses projections. "
            "Paramètres : les matrices de requête, clé, valeur et sortie. Chaque position peut utiliser toutes les autres en une seule couche : le cœur des transformers.",
        },
    },
    "random_flip": {
        "title": {"en": "Augmentation: random flip", "fr": "Augmentation : retournement aléatoire"},
        "text": {
            "en": "While training, mirrors each image left-right at random; at test time it does nothing. No parameters. "
            "The network sees more varied examples and learns that a mirrored cat is still a cat (not a good idea for digits, where a mirrored 2 is no 2).",
            "fr": "Pendant l'entraînement, retourne chaque image gauche-droite au hasard ; au test, elle ne fait rien. Aucun paramètre. "
            "Le réseau voit des exemples plus variés et apprend qu'un chat retourné reste un chat (mauvaise idée pour des chiffres : un 2 retourné n'est plus un 2).",
        },
    },
    "random_translation": {
        "title": {"en": "Augmentation: random shift", "fr": "Augmentation : décalage aléatoire"},
        "text": {
            "en": "While training, shifts each image by a random fraction of its size, filling the border by reflection; at test time it does nothing. No parameters. "
            "It teaches the network that the object may sit anywhere in the frame, which reduces overfitting.",
            "fr": "Pendant l'entraînement, décale chaque image d'une fraction aléatoire de sa taille, en complétant le bord par réflexion ; au test, elle ne fait rien. Aucun paramètre. "
            "Elle apprend au réseau que l'objet peut se trouver n'importe où dans l'image, ce qui réduit le surapprentissage.",
        },
    },
    "random_rotation": {
        "title": {"en": "Augmentation: random rotation", "fr": "Augmentation : rotation aléatoire"},
        "text": {
            "en": "While training, rotates each image by a random angle (Keras counts in turns: 0.1 is up to ±36°); at test time it does nothing. No parameters. "
            "It makes the network tolerant to tilted inputs.",
            "fr": "Pendant l'entraînement, tourne chaque image d'un angle aléatoire (Keras compte en tours : 0,1 donne jusqu'à ±36°) ; au test, elle ne fait rien. Aucun paramètre. "
            "Elle rend le réseau tolérant aux images penchées.",
        },
    },
    "augmentation": {
        "title": {"en": "Data augmentation", "fr": "Augmentation de données"},
        "text": {
            "en": "While training, changes each image at random (zoom, contrast, crop…); at test time it does nothing. No parameters. "
            "The network sees more varied examples from the same data, which reduces overfitting.",
            "fr": "Pendant l'entraînement, modifie chaque image au hasard (zoom, contraste, recadrage…) ; au test, elle ne fait rien. Aucun paramètre. "
            "Le réseau voit des exemples plus variés à partir des mêmes données, ce qui réduit le surapprentissage.",
        },
    },
    "rescaling": {
        "title": {"en": "Rescaling", "fr": "Remise à l'échelle"},
        "text": {
            "en": "Multiplies every value by a factor and adds an offset (here [0, 1] to [−1, 1], the range a pretrained backbone expects). "
            "No trained parameters. Putting it in the model means the preprocessing is saved with it and cannot be forgotten.",
            "fr": "Multiplie chaque valeur par un facteur et ajoute un décalage (ici de [0, 1] vers [−1, 1], la plage qu'attend un réseau pré-entraîné). "
            "Aucun paramètre entraîné. Dans le modèle, ce prétraitement est sauvegardé avec lui et ne peut pas être oublié.",
        },
    },
    "resizing": {
        "title": {"en": "Resizing", "fr": "Redimensionnement"},
        "text": {
            "en": "Resizes the image (bilinear interpolation) to the size the next layers expect, e.g. a pretrained backbone. No parameters.",
            "fr": "Redimensionne l'image (interpolation bilinéaire) à la taille qu'attendent les couches suivantes, par exemple un réseau pré-entraîné. Aucun paramètre.",
        },
    },
    "backbone": {
        "title": {"en": "Pretrained backbone", "fr": "Réseau de base pré-entraîné"},
        "text": {
            "en": "A whole network used as one layer (here MobileNetV2 without its classifier): dozens of convolutions that turn an image into feature maps. "
            "With ImageNet weights it already knows edges, textures and object parts; frozen, only the new head on top learns: transfer learning.",
            "fr": "Un réseau entier utilisé comme une seule couche (ici MobileNetV2 sans son classifieur) : des dizaines de convolutions qui transforment une image en cartes de caractéristiques. "
            "Avec les poids ImageNet, il connaît déjà les bords, les textures et des parties d'objets ; gelé, seule la nouvelle tête apprend : c'est l'apprentissage par transfert.",
        },
    },
    "identity": {
        "title": {"en": "Identity", "fr": "Identité"},
        "text": {
            "en": "Returns its input unchanged. No parameters; it holds a place in the architecture (for instance a layer switched off by an option).",
            "fr": "Renvoie son entrée telle quelle. Aucun paramètre ; elle tient une place dans l'architecture (par exemple une couche désactivée par une option).",
        },
    },
}

STRINGS: dict[str, dict[str, str]] = {
    **{f"layers_topic_{topic}_{part}": text for topic, parts in _TOPICS.items() for part, text in parts.items()},
    "layers_topic_unknown_text": {
        "en": "A {kind} layer: this page has no explanation for it yet. Its output shape and parameter count above still tell what it does to the data.",
        "fr": "Une couche {kind} : cette page ne l'explique pas encore. Sa forme de sortie et son nombre de paramètres ci-dessus disent tout de même ce qu'elle fait aux données.",
    },
    # The page.
    "layers_intro": {
        "en": "Look inside a trained model: its layers and what each one does, the filters of its first convolution, the feature maps of any layer for an image, "
        "and the images that excite its channels most.",
        "fr": "Regardez à l'intérieur d'un modèle entraîné : ses couches et le rôle de chacune, les filtres de sa première convolution, les cartes de caractéristiques de n'importe quelle couche pour une image, "
        "et les images qui excitent le plus ses canaux.",
    },
    "layers_no_runs": {
        "en": "No finished run yet: train a model to look inside it. The Convolution page works without one.",
        "fr": "Aucune exécution terminée : entraînez un modèle pour regarder à l'intérieur. La page Convolution fonctionne sans.",
    },
    "layers_tab_summary": {"en": "Summary", "fr": "Résumé"},
    "layers_tab_maps": {"en": "Filters & feature maps", "fr": "Filtres et cartes de caractéristiques"},
    "layers_tab_maximisation": {"en": "Activation maximisation", "fr": "Maximisation d'activation"},
    "layers_tab_specialisation": {"en": "Specialisation", "fr": "Spécialisation"},
    "layers_convolution_link": {
        "en": "Play with a convolution, step by step (no run needed)",
        "fr": "Jouer avec une convolution, pas à pas (sans exécution)",
    },
    "layers_layer": {"en": "Layer", "fr": "Couche"},
    "layers_stale_layer": {
        "en": "This model has no layer “{name}”: showing “{default}” instead.",
        "fr": "Ce modèle n'a pas de couche « {name} » : affichage de « {default} » à la place.",
    },
    # Summary.
    "layers_total_parameters": {"en": "Parameters", "fr": "Paramètres"},
    "layers_layer_count": {"en": "Layers", "fr": "Couches"},
    "layers_input": {"en": "Input", "fr": "Entrée"},
    "layers_column_name": {"en": "Layer", "fr": "Couche"},
    "layers_column_kind": {"en": "Class", "fr": "Classe"},
    "layers_column_role": {"en": "What it does", "fr": "Rôle"},
    "layers_column_output": {"en": "Output shape", "fr": "Forme de sortie"},
    "layers_column_parameters": {"en": "Parameters", "fr": "Paramètres"},
    "layers_column_explanation": {"en": "Explanation", "fr": "Explication"},
    "layers_explanation_help": {"en": "Hover over a cell to read it all.", "fr": "Survolez une cellule pour la lire en entier."},
    "layers_explained": {"en": "Layers explained", "fr": "Les couches expliquées"},
    "layers_diagram_parameters": {"en": "{count} parameters", "fr": "{count} paramètres"},
    # Filters and feature maps.
    "layers_filters_title": {"en": "First-layer filters", "fr": "Filtres de la première couche"},
    "layers_filters_help": {
        "en": "Each square is one kernel of the first convolution: grey is a weight of zero, bright a positive weight, dark a negative one. "
        "For colour images the three input channels are shown as red, green and blue.",
        "fr": "Chaque carré est un noyau de la première convolution : le gris est un poids nul, le clair un poids positif, le sombre un poids négatif. "
        "Pour des images en couleur, les trois canaux d'entrée sont affichés en rouge, vert et bleu.",
    },
    "layers_filters_caption": {"en": "{name}: {count} filters of {shape}", "fr": "{name} : {count} filtres de {shape}"},
    "layers_maps_title": {"en": "Feature maps", "fr": "Cartes de caractéristiques"},
    "layers_upload_label": {
        "en": "An image (PNG, JPEG…) or a NumPy array (.npy, height × width × channels)",
        "fr": "Une image (PNG, JPEG…) ou un tableau NumPy (.npy, hauteur × largeur × canaux)",
    },
    "layers_no_test_images": {"en": "This run has no test images saved.", "fr": "Cette exécution n'a pas d'images de test enregistrées."},
    "layers_maps_count": {"en": "Channels shown", "fr": "Canaux affichés"},
    "layers_maps_caption": {
        "en": "{name}: output {shape}, each channel scaled to its own range (bright = strong response)",
        "fr": "{name} : sortie {shape}, chaque canal mis à sa propre échelle (clair = réponse forte)",
    },
    "layers_maps_vector": {"en": "{name}: a vector of {count} values, one bar per unit", "fr": "{name} : un vecteur de {count} valeurs, une barre par neurone"},
    "layers_unit": {"en": "unit", "fr": "neurone"},
    "layers_value": {"en": "value", "fr": "valeur"},
    # Activation maximisation.
    "layers_max_help": {
        "en": "Starting from a grey image, gradient ascent changes the pixels to make one channel (or one unit) of the layer respond as strongly as possible; "
        "small penalties keep the image smooth and close to grey. The result shows what the channel looks for.",
        "fr": "En partant d'une image grise, une montée de gradient modifie les pixels pour que la réponse d'un canal (ou d'un neurone) de la couche soit la plus forte possible ; "
        "de petites pénalités gardent l'image lisse et proche du gris. Le résultat montre ce que le canal recherche.",
    },
    "layers_max_no_convolution": {
        "en": "This model has no convolution: there are no channels to maximise, but the units of its dense layers can be.",
        "fr": "Ce modèle n'a pas de convolution : pas de canaux à maximiser, mais les neurones de ses couches denses peuvent l'être.",
    },
    "layers_max_first": {"en": "First channel", "fr": "Premier canal"},
    "layers_max_count": {"en": "Channels", "fr": "Canaux"},
    "layers_max_compute": {"en": "Compute {count} images", "fr": "Calculer {count} images"},
    "layers_max_hint": {
        "en": "A few seconds of computation; the result is kept for the next visit.",
        "fr": "Quelques secondes de calcul ; le résultat est gardé pour la prochaine visite.",
    },
    "layers_max_running": {"en": "Gradient ascent on the input…", "fr": "Montée de gradient sur l'entrée…"},
    "layers_max_silent": {"en": "#{channel} · dead: never activates", "fr": "#{channel} · mort : ne s'active jamais"},
    "layers_max_silent_help": {
        "en": "{count} channel(s) stay at 0 even on the image made to excite them (or that image is flat): they are dead, their blank tile is no pattern.",
        "fr": "{count} canal(aux) restent à 0 même sur l'image faite pour les exciter (ou cette image est unie) : ils sont morts, leur case vide n'est pas un motif.",
    },
    # Specialisation.
    "layers_special_help": {
        "en": "The same architecture trained on two datasets: compare the filters of the first convolution and what its channels look for.",
        "fr": "La même architecture entraînée sur deux jeux de données : comparez les filtres de la première convolution et ce que ses canaux recherchent.",
    },
    "layers_special_need_two": {
        "en": "Two finished runs are needed: train the same model on two datasets.",
        "fr": "Il faut deux exécutions terminées : entraînez le même modèle sur deux jeux de données.",
    },
    "layers_special_run": {"en": "Run {side}", "fr": "Exécution {side}"},
    "layers_special_other_backend": {
        "en": "These two runs do not share an architecture ({first} and {second}: two different libraries), so their filters cannot be compared one for one. Pick two runs of the same model.",
        "fr": "Ces deux exécutions n'ont pas la même architecture ({first} et {second} : deux bibliothèques différentes), leurs filtres ne se comparent donc pas un à un. Choisissez deux exécutions du même modèle.",
    },
    "layers_special_other_model": {
        "en": "These two runs do not share an architecture ({first} and {second}), so their filters cannot be compared one for one. Pick two runs of the same model.",
        "fr": "Ces deux exécutions n'ont pas la même architecture ({first} et {second}), leurs filtres ne se comparent donc pas un à un. Choisissez deux exécutions du même modèle.",
    },
    "layers_special_same_dataset": {
        "en": "Both runs were trained on the same dataset: pick runs of two different datasets to see how the filters specialise.",
        "fr": "Les deux exécutions ont été entraînées sur le même jeu de données : choisissez deux jeux différents pour voir comment les filtres se spécialisent.",
    },
    # Interactive convolution.
    "layers_conv_help": {
        "en": "A 3×3 kernel slides over the image; each output pixel is the sum of the nine pixels under the kernel times its nine weights. "
        "Like Conv2D in Keras and PyTorch, this is a cross-correlation: the kernel is not flipped.",
        "fr": "Un noyau 3×3 glisse sur l'image ; chaque pixel de sortie est la somme des neuf pixels sous le noyau multipliés par ses neuf poids. "
        "Comme Conv2D dans Keras et PyTorch, c'est une corrélation croisée : le noyau n'est pas retourné.",
    },
    "layers_conv_image": {"en": "Image", "fr": "Image"},
    "layers_conv_source_digit": {"en": "a digit (8×8)", "fr": "un chiffre (8×8)"},
    "layers_conv_source_shape": {"en": "a generated shape (32×32)", "fr": "une forme générée (32×32)"},
    "layers_conv_source_upload": {"en": "my image", "fr": "mon image"},
    "layers_conv_index": {"en": "Image number", "fr": "Numéro de l'image"},
    "layers_conv_kernel": {"en": "Kernel", "fr": "Noyau"},
    "layers_kernel_identity": {"en": "identity (changes nothing)", "fr": "identité (ne change rien)"},
    "layers_kernel_sobel_x": {"en": "edges: Sobel x (vertical edges)", "fr": "bords : Sobel x (bords verticaux)"},
    "layers_kernel_sobel_y": {"en": "edges: Sobel y (horizontal edges)", "fr": "bords : Sobel y (bords horizontaux)"},
    "layers_kernel_laplacian": {"en": "edges: Laplacian (all directions)", "fr": "bords : laplacien (toutes directions)"},
    "layers_kernel_blur": {"en": "blur (mean of 9)", "fr": "flou (moyenne de 9)"},
    "layers_kernel_gaussian": {"en": "blur (Gaussian)", "fr": "flou (gaussien)"},
    "layers_kernel_sharpen": {"en": "sharpen", "fr": "netteté"},
    "layers_kernel_emboss": {"en": "emboss", "fr": "relief"},
    "layers_kernel_custom": {"en": "your own numbers", "fr": "vos propres nombres"},
    "layers_conv_padding": {"en": "Padding", "fr": "Remplissage (padding)"},
    "layers_conv_padding_help": {
        "en": "valid: the kernel stays inside the image, the output loses a pixel on each side. same: zeros around the image keep the output the size of the input.",
        "fr": "valid : le noyau reste dans l'image, la sortie perd un pixel de chaque côté. same : des zéros autour de l'image gardent à la sortie la taille de l'entrée.",
    },
    "layers_conv_row": {"en": "Output row", "fr": "Ligne de sortie"},
    "layers_conv_column": {"en": "Output column", "fr": "Colonne de sortie"},
    "layers_conv_input": {"en": "Input {shape}, the kernel's window in red", "fr": "Entrée {shape}, la fenêtre du noyau en rouge"},
    "layers_conv_output": {"en": "Output {shape}, the pixel it gives in red", "fr": "Sortie {shape}, le pixel obtenu en rouge"},
    "layers_conv_products": {
        "en": "The nine products for output pixel ({row}, {column}): pixel × weight",
        "fr": "Les neuf produits pour le pixel de sortie ({row}, {column}) : pixel × poids",
    },
    "layers_conv_sum": {"en": "Their sum, output pixel ({row}, {column}) = {value}", "fr": "Leur somme, pixel de sortie ({row}, {column}) = {value}"},
    # Errors.
    "layers_error_no_channel": {"en": "Choose at least one channel.", "fr": "Choisissez au moins un canal."},
    "layers_error_too_many_channels": {
        "en": "{count} channels asked at once; at most {limit}.",
        "fr": "{count} canaux demandés à la fois ; {limit} au plus.",
    },
    "layers_error_channel_range": {
        "en": "Channel {channel} does not exist: layer {layer} has {count} channels (0 to {count} − 1).",
        "fr": "Le canal {channel} n'existe pas : la couche {layer} a {count} canaux (de 0 à {count} − 1).",
    },
    "layers_error_not_convolution": {"en": "Layer {name} is not a convolution: it has no kernels to show.", "fr": "La couche {name} n'est pas une convolution : elle n'a pas de noyaux à montrer."},
    "layers_error_kernel_shape": {"en": "The kernel must be a {size}×{size} grid of numbers.", "fr": "Le noyau doit être une grille de {size}×{size} nombres."},
    "layers_error_kernel_empty": {"en": "The kernel cell at row, column {position} is empty: type a number.", "fr": "La case du noyau en ligne, colonne {position} est vide : tapez un nombre."},
    "layers_error_kernel_not_number": {
        "en": "The kernel cell at row, column {position} holds “{value}”, which is not a number.",
        "fr": "La case du noyau en ligne, colonne {position} contient « {value} », qui n'est pas un nombre.",
    },
    "layers_error_kernel_too_large": {
        "en": "The kernel cell at row, column {position} is too large: use values between −{limit} and {limit}.",
        "fr": "La case du noyau en ligne, colonne {position} est trop grande : utilisez des valeurs entre −{limit} et {limit}.",
    },
    "layers_error_bad_array": {
        "en": "This .npy file is not a numeric NumPy array (saved with numpy.save, without pickled objects).",
        "fr": "Ce fichier .npy n'est pas un tableau NumPy numérique (enregistré avec numpy.save, sans objets picklés).",
    },
}
