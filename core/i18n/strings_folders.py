"""Strings of image folders and uploaded archives (core.data.folders)."""

STRINGS = {
    "folder_error_missing": {
        "en": "No folder at {path}.",
        "fr": "Aucun dossier à l'emplacement {path}.",
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
    "folder_error_zip_write_failed": {
        "en": "The entry {name} could not be written ({reason}).",
        "fr": "L'entrée {name} n'a pas pu être écrite ({reason}).",
    },
    "folder_error_no_path": {
        "en": "No image folder given: type its path or upload a zip.",
        "fr": "Aucun dossier d'images indiqué : saisissez son chemin ou envoyez un zip.",
    },
}
