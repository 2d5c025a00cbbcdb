"""French for what people read in an API error, set once for every service.

* `TITLES`: the problem+json `title` of each HTTP status (instead of the English reason phrase), read by
  `shared.errors.DomainError.title` and `shared.http.errors`; `DESCRIPTIONS`: the `detail` of werkzeug's
  own errors (unknown URL, method not allowed, body too large…) when nothing more precise is said.
* `install()`: marshmallow's default messages (fields, validators, unknown fields) in French. It runs when
  the `shared` package is imported — before any service declares a schema, since validators copy their
  message when they are built — so every schema inherits it without saying so; a message a schema gives
  itself (`error=`, `error_messages=`) still wins.
"""
from __future__ import annotations

TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Introuvable",
    405: "Méthode non autorisée",
    406: "Format non disponible",
    409: "Règle métier non respectée",
    410: "Supprimé définitivement",
    412: "Modifié entre-temps",
    413: "Requête trop volumineuse",
    415: "Type de contenu non pris en charge",
    422: "Données invalides",
    428: "Condition préalable requise",
    429: "Trop de requêtes",
    500: "Erreur interne",
    502: "Service en amont indisponible",
    503: "Service indisponible",
    504: "Délai dépassé",
}

DESCRIPTIONS = {
    400: "La requête est mal formée.",
    401: "Une authentification est requise.",
    403: "Vous n'avez pas accès à cette ressource.",
    404: "Cette adresse n'existe pas ; vérifiez-la.",
    405: "Cette méthode n'est pas autorisée sur cette adresse.",
    406: "Ce format de réponse n'est pas disponible.",
    413: "Le corps de la requête dépasse la taille autorisée (1 Mio).",
    415: "Ce type de contenu n'est pas pris en charge ; envoyez du JSON (application/json).",
    429: "Trop de requêtes ; réessayez dans un moment.",
    500: "Une erreur inattendue s'est produite ; elle a été journalisée.",
}


def title(status: int, fallback: str = "Erreur") -> str:
    """The French title of `status` (its English reason phrase is never shown)."""
    return TITLES.get(int(status), fallback)


FIELD_MESSAGES = {
    "Field": {"required": "Ce champ est obligatoire.", "null": "Ce champ ne peut pas être nul.",
              "validator_failed": "Valeur invalide."},
    "String": {"invalid": "Ce n'est pas un texte valide.", "invalid_utf8": "Ce n'est pas un texte UTF-8 valide."},
    "Number": {"invalid": "Ce n'est pas un nombre valide.", "too_large": "Ce nombre est trop grand."},
    "Integer": {"invalid": "Ce n'est pas un nombre entier valide."},
    "Decimal": {"special": "Les valeurs numériques spéciales (nan, infini) ne sont pas acceptées."},
    "Float": {"special": "Les valeurs numériques spéciales (nan, infini) ne sont pas acceptées."},
    "Boolean": {"invalid": "Ce n'est pas un booléen valide (true ou false)."},
    "DateTime": {"invalid": "Ce n'est pas une date et heure valide (ISO 8601, par ex. 2026-03-14T09:30:00+01:00).",
                 "invalid_awareness": "Ce n'est pas une date et heure valide.",
                 "format": "« {input} » ne peut pas être mis en forme comme une date et heure."},
    "NaiveDateTime": {"invalid_awareness": "Date et heure sans décalage horaire attendue."},
    "AwareDateTime": {"invalid_awareness": "Date et heure avec décalage horaire attendue (par ex. +01:00)."},
    "Date": {"invalid": "Ce n'est pas une date valide (AAAA-MM-JJ).",
             "format": "« {input} » ne peut pas être mis en forme comme une date."},
    "Time": {"invalid": "Ce n'est pas une heure valide (HH:MM).",
             "format": "« {input} » ne peut pas être mis en forme comme une heure."},
    "TimeDelta": {"invalid": "Ce n'est pas une durée valide.",
                  "format": "{input!r} ne peut pas être mis en forme comme une durée."},
    "List": {"invalid": "Ce n'est pas une liste valide."},
    "Tuple": {"invalid": "Ce n'est pas un n-uplet valide."},
    "Mapping": {"invalid": "Ce n'est pas un objet valide."},
    "Nested": {"type": "Type invalide : un objet est attendu."},
    "Email": {"invalid": "Ce n'est pas une adresse e-mail valide."},
    "Url": {"invalid": "Ce n'est pas une URL valide."},
    "UUID": {"invalid_uuid": "Ce n'est pas un UUID valide."},
    "Enum": {"unknown": "Valeur attendue parmi : {choices}."},
    "IP": {"invalid_ip": "Ce n'est pas une adresse IP valide."},
    "IPv4": {"invalid_ip": "Ce n'est pas une adresse IPv4 valide."},
    "IPv6": {"invalid_ip": "Ce n'est pas une adresse IPv6 valide."},
    "IPInterface": {"invalid_ip_interface": "Ce n'est pas une interface IP valide."},
    "IPv4Interface": {"invalid_ip_interface": "Ce n'est pas une interface IPv4 valide."},
    "IPv6Interface": {"invalid_ip_interface": "Ce n'est pas une interface IPv6 valide."},
}

VALIDATOR_MESSAGES = {
    "URL": {"default_message": "Ce n'est pas une URL valide."},
    "Email": {"default_message": "Ce n'est pas une adresse e-mail valide."},
    "Range": {"message_min": "Doit être {min_op} {{min}}.", "message_max": "Doit être {max_op} {{max}}.",
              "message_all": "Doit être {min_op} {{min}} et {max_op} {{max}}.",
              "message_gte": "supérieur ou égal à", "message_gt": "supérieur à",
              "message_lte": "inférieur ou égal à", "message_lt": "inférieur à"},
    "Length": {"message_min": "Trop court : longueur minimale {min}.",
               "message_max": "Trop long : longueur maximale {max}.",
               "message_all": "La longueur doit être comprise entre {min} et {max}.",
               "message_equal": "La longueur doit être exactement {equal}."},
    "Equal": {"default_message": "Doit être égal à {other}."},
    "Regexp": {"default_message": "Le format n'est pas celui attendu."},
    "Predicate": {"default_message": "Valeur invalide."},
    "NoneOf": {"default_message": "Valeur non acceptée."},
    "OneOf": {"default_message": "Valeur attendue parmi : {choices}."},
    "ContainsOnly": {"default_message": "Un ou plusieurs choix ne font pas partie de : {choices}."},
    "ContainsNoneOf": {"default_message": "Un ou plusieurs choix font partie de : {values}."},
}

SCHEMA_MESSAGES = {"type": "Type invalide : un objet JSON est attendu.", "unknown": "Champ inconnu."}
WEBARGS_VALIDATION_MESSAGE = "Valeur invalide."

_installed = False


def install() -> None:
    """marshmallow's (and webargs') default messages in French; idempotent."""
    global _installed
    if _installed:
        return
    from marshmallow import fields, schema, validate
    from webargs import core

    for name, messages in FIELD_MESSAGES.items():
        cls = getattr(fields, name, None)
        if cls is not None:
            cls.default_error_messages = {**cls.__dict__.get("default_error_messages", {}), **messages}
    for name, messages in VALIDATOR_MESSAGES.items():
        cls = getattr(validate, name, None)
        if cls is not None:
            for attribute, text in messages.items():
                setattr(cls, attribute, text)
    schema.Schema._default_error_messages = {**schema.Schema._default_error_messages, **SCHEMA_MESSAGES}
    core.Parser.DEFAULT_VALIDATION_MESSAGE = WEBARGS_VALIDATION_MESSAGE
    _installed = True
