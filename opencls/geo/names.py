"""Names of communes as keys: what "the same commune name" means, whatever the spelling.

`name_key("Fouquières Les Lens") == name_key("Fouquières-lès-Lens") == "fouquieres les lens"`:
case, accents, hyphens, apostrophes and dots do not count, "St"/"Ste" stand for
"Saint"/"Sainte", and the INSEE form "Portel (Le)" is read as "Le Portel". Document names
also lose a leading "Ville de", "Commune de" or "Mairie de" (`document_name_keys`).
"""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s'’`´‘\-‐‑–—_.,;:/()\"«»]+")
_TRAILING_ARTICLE = re.compile(r"^(?P<name>.+?)\s*\((?P<article>le|la|les|l['’])\)\s*$", re.IGNORECASE)
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_DOCUMENT_PREFIXES = re.compile(
    r"^(ville|commune|mairie|municipalite|cite)\s+(de|du|des|d)\s+(?=\S)", re.IGNORECASE
)


def strip_accents(text: str) -> str:
    text = (text or "").replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(name: str) -> str:
    """The comparison key of a place name (stored as `normalised_name`)."""
    name = (name or "").strip()
    trailing = _TRAILING_ARTICLE.match(name)
    if trailing:
        name = f"{trailing['article']} {trailing['name']}"
    words = _SEPARATORS.sub(" ", strip_accents(name).lower()).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def document_name_keys(name: str) -> list[str]:
    """Keys to try for a name read in a document, most literal first ("Ville de Lens" → "lens")."""
    key = name_key(name)
    keys = [key] if key else []
    stripped = _DOCUMENT_PREFIXES.sub("", key)
    if stripped and stripped != key:
        keys.append(stripped)
    return keys
