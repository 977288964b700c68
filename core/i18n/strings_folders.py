"""Strings of image folders and uploaded archives (core.data.folders)."""

STRINGS = {
    "folder_error_missing": {
        # One sentence for a folder missing, unreadable or outside the allowed folders:
        # it must not tell which (core.data.allowed_folders).
        "en": "{path} cannot be used: it is missing, unreadable, or outside the folders this server allows.",
        "fr": "{path} est inutilisable : il est absent, illisible, ou hors des dossiers que ce serveur autorise.",
    },
    "folder_error_not_folder": {
        "en": "{path} is a file, not a folder.",
        "fr": "{path} est un fichier, pas un dossier.",
    },
    "folder_error_no_classes": {
        "en": "{path} has no class sub-folder: put the images of each class in a sub-folder named after the class.",
        "fr": "{path} ne contient aucun sous-dossier de classe : rangez les images de chaque classe dans un sous-dossier qui porte son nom.",
    },
    "folder_error_no_images": {
        "en": "No class sub-folder of {path} holds an image (JPEG, PNG, BMP, GIF, WebP or TIFF).",
        "fr": "Aucun sous-dossier de {path} ne contient d'image (JPEG, PNG, BMP, GIF, WebP ou TIFF).",
    },
    "folder_error_single_class": {
        "en": "Only one class has images ({name}): a classifier needs at least two.",
        "fr": "Une seule classe contient des images ({name}) : un classifieur en demande au moins deux.",
    },
    "folder_error_too_few_classes": {
        "en": "Only {count} classes have at least {minimum} images: a classifier needs at least two. Lower the minimum per class.",
        "fr": "Seules {count} classes ont au moins {minimum} images : un classifieur en demande au moins deux. Baissez le minimum par classe.",
    },
    "folder_error_class_unreadable": {
        "en": "No image of the class {name} could be read: the files are damaged or not really images.",
        "fr": "Aucune image de la classe {name} n'a pu être lue : les fichiers sont abîmés ou ne sont pas de vraies images.",
    },
    "folder_error_zip_invalid": {
        "en": "The file is not a zip archive, or the archive is damaged.",
        "fr": "Le fichier n'est pas une archive zip, ou l'archive est abîmée.",
    },
    "folder_error_zip_unsafe_path": {
        "en": "The archive was refused: the entry {name} would be written outside its folder.",
        "fr": "Archive refusée : l'entrée {name} serait écrite hors de son dossier.",
    },
    "folder_error_zip_too_many_entries": {
        "en": "The archive holds {count} entries; at most {limit} are accepted.",
        "fr": "L'archive contient {count} entrées ; {limit} au plus sont acceptées.",
    },
    "folder_error_zip_too_large": {
        "en": "Once unpacked, the archive would exceed {limit_mb} MB: send fewer or smaller images.",
        "fr": "Une fois décompressée, l'archive dépasserait {limit_mb} Mo : envoyez moins d'images, ou des images plus légères.",
    },
    "folder_error_zip_bomb": {
        "en": "The archive was refused: the entry {name} unpacks to far more than it weighs (a zip bomb).",
        "fr": "Archive refusée : l'entrée {name} se décompresse en bien plus que son poids (une bombe zip).",
    },
    "folder_error_zip_no_images": {
        "en": "The archive holds no image (JPEG, PNG, BMP, GIF, WebP or TIFF).",
        "fr": "L'archive ne contient aucune image (JPEG, PNG, BMP, GIF, WebP ou TIFF).",
    },
    "folder_error_zip_encrypted": {
        "en": "The entry {name} is protected by a password: send an archive without a password.",
        "fr": "L'entrée {name} est protégée par un mot de passe : envoyez une archive sans mot de passe.",
    },
    "folder_error_zip_expands": {
        "en": "The archive was refused: it would unpack to {ratio} times its size, and at most {limit} times is accepted (images barely compress; this looks like a zip bomb).",
        "fr": "Archive refusée : elle se décompresserait en {ratio} fois sa taille, et {limit} fois au plus sont acceptées (les images se compressent peu ; cela ressemble à une bombe zip).",
    },
    "folder_error_zip_conflict": {
        "en": "The archive was refused: {name} is both a file and a folder in it.",
        "fr": "Archive refusée : {name} y est à la fois un fichier et un dossier.",
    },
    "folder_error_uploads_full": {
        "en": "No room for this archive: unpacked it needs {needed_mb} MB, and the uploaded folders may take {limit_mb} MB in all while runs still use them. Wait for those runs to end, or send fewer images.",
        "fr": "Pas de place pour cette archive : décompressée, elle demande {needed_mb} Mo, et les dossiers envoyés peuvent occuper {limit_mb} Mo en tout tant que des exécutions s'en servent. Attendez la fin de ces exécutions, ou envoyez moins d'images.",
    },
    "folder_error_uploads_unwritable": {
        "en": "The archive could not be unpacked into {path} ({reason}).",
        "fr": "L'archive n'a pas pu être décompressée dans {path} ({reason}).",
    },
    "folder_error_too_few_to_split": {
        "en": "{count} images in {classes} classes are too few to split into training, validation and test images that each hold every class: about {needed} are needed (with this validation fraction). Add images, or keep fewer classes.",
        "fr": "{count} images en {classes} classes, c'est trop peu pour les répartir en images d'entraînement, de validation et de test contenant chacune toutes les classes : il en faut environ {needed} (avec cette part de validation). Ajoutez des images, ou gardez moins de classes.",
    },
    "folder_error_class_too_small": {
        "en": "The class {name} has {count} images: it needs at least {needed} to appear in the training images after the split. Add images to it, or leave it out with a minimum per class.",
        "fr": "La classe {name} a {count} images : il lui en faut au moins {needed} pour figurer dans les images d'entraînement après la répartition. Ajoutez-lui des images, ou écartez-la avec un minimum par classe.",
    },
    "folder_error_zip_write_failed": {
        "en": "The entry {name} could not be written ({reason}).",
        "fr": "L'entrée {name} n'a pas pu être écrite ({reason}).",
    },
    "folder_error_too_many_files": {
        "en": "{path} holds more than {limit} files and folders: name the folder of one dataset.",
        "fr": "{path} contient plus de {limit} fichiers et dossiers : indiquez le dossier d'un seul jeu de données.",
    },
    "folder_error_no_path": {
        "en": "No image folder given: type its path or upload a zip.",
        "fr": "Aucun dossier d'images indiqué : saisissez son chemin ou envoyez un zip.",
    },
}
