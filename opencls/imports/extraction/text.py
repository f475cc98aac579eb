"""Small text tools shared by the extractors: normalising, French numbers, splitting lists."""

import re
from difflib import SequenceMatcher

from opencls.accounts.models import normalise_name

NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19, "vingt": 20, "vingt-et-un": 21,
    "vingt-deux": 22, "vingt-trois": 23, "vingt-quatre": 24, "vingt-cinq": 25, "trente": 30,
}  # fmt: skip
ORDINAL_WORDS = {
    "premier": 1, "premiere": 1, "1er": 1, "second": 2, "seconde": 2, "deuxieme": 2, "troisieme": 3,
    "quatrieme": 4, "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8,
}  # fmt: skip
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
# Words after which a capitalised word continues the same item ("la Maison Sport Santé").
STOPWORDS = {
    "de", "du", "des", "d'", "la", "le", "les", "l'", "a", "au", "aux", "en", "et", "ou", "avec", "par",
    "pour", "sur", "dans", "chez", "via", "dont", "vers", "entre", "sans", "sous", "un", "une", "type",
    "notamment", "comme", "cf", "cf.", "dit", "dite", "programme", "projet", "dispositif",
}  # fmt: skip
EMPTY_VALUES = {"", "/", "-", "--", "—", "–", "·", "•", "*", "nc", "n.c.", "n/a", "neant", "sans objet", "x"}
INTEGER = re.compile(r"(?<![\d,.])\d{1,3}(?:[  \u202f]\d{3})+(?![\d,])|(?<![\d,.])\d+(?![\d,])")
ARTICLE = re.compile(r"^(?:(?:les|la|le|des|du)\s+|l['’]\s*)(?=\S)", re.IGNORECASE)


def norm(text: str) -> str:
    """Comparable form: lower case, no accents, straight apostrophes, simple dashes, single spaces."""
    return normalise_name((text or "").replace("–", "-").replace("—", "-").replace("‘", "'"))


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, norm(a), norm(b)).ratio()


def same_meaning(a: str, b: str, threshold: float = 0.9) -> bool:
    """Two wordings of one thing: equal up to case/accents/punctuation, one contains the other, or close."""
    na, nb = (re.sub(r"[^\w' ]+", " ", norm(x)).split() for x in (a, b))
    ja, jb = " ".join(na), " ".join(nb)
    if not ja or not jb:
        return ja == jb
    if ja == jb or ja in jb or jb in ja:
        return True
    matcher = SequenceMatcher(
        None, ja, jb
    )  # the quick ratios bound the ratio from above: same answer, faster
    return (
        matcher.real_quick_ratio() >= threshold
        and matcher.quick_ratio() >= threshold
        and matcher.ratio() >= threshold
    )


def parse_int(text: str) -> int | None:
    """'242 587' → 242587; None when there is no whole number."""
    match = INTEGER.search(text or "")
    return int(re.sub(r"\D", "", match[0])) if match else None


def fr_int(value: int) -> str:
    """55000 → '55 000'."""
    return f"{value:,}".replace(",", " ")


def count_word(word: str) -> int | None:
    """'quinze' → 15, '36' → 36, 'premier' → 1."""
    key = norm(word).strip(" .,;:")
    if key.isdigit():
        return int(key)
    return NUMBER_WORDS.get(key) or ORDINAL_WORDS.get(key)


def roman_or_int(value: str) -> str:
    key = value.strip().lower()
    return str(ROMAN[key]) if key in ROMAN else str(int(key)) if key.isdigit() else key


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def strip_article(name: str, *, lowercase_only: bool = False) -> str:
    """'la CPAM' → 'CPAM'. With `lowercase_only`, 'La Belle Histoire' (a proper name) is kept whole."""
    name = name.strip()
    if lowercase_only and name[:1].isupper():
        return name
    return capitalise(ARTICLE.sub("", name, count=1).strip())


def is_empty_value(text: str) -> bool:
    return norm(text).strip(" .") in EMPTY_VALUES


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def clean_value(text: str) -> str:
    text = (text or "").strip()
    return "" if is_empty_value(text) else text


def _splits_here(previous: str, token: str) -> bool:
    """A capitalised word after a lower-case one starts a new item in a flattened list cell."""
    if not token[:1].isupper() or not previous:
        return False
    if len(token) > 1 and (
        token.isupper() or any(c.isupper() for c in token[1:]) or token[1:2] in {".", "'"}
    ):
        return False  # an acronym (EESH), a proper noun (PréSaFe), an initial
    if norm(previous) in STOPWORDS or previous.endswith((":", "-", "/", "'", "’", "«", "(")):
        return False
    return previous[-1].islower() or previous[-1].isdigit() or previous.endswith((")", ".", "»", "®"))


def split_items(text: str, *, min_words: int = 2) -> list[str]:
    """Deliverables or indicators flattened into one cell: split on line breaks, bullets, ' ; ',
    then before a capitalised word following a lower-case one (outside brackets)."""
    items = []
    for chunk in re.split(r"\n|•|(?<=\S)\s+;\s+|^\s*-\s+|\s+-\s+(?=[A-ZÉÈÀ])", text or ""):
        chunk = chunk.strip(" ;-–")
        if not chunk:
            continue
        tokens, current, depth = chunk.split(), [], 0
        for token in tokens:
            if depth == 0 and len(current) >= min_words and _splits_here(current[-1], token):
                items.append(" ".join(current))
                current = []
            current.append(token)
            depth = max(0, depth + token.count("(") - token.count(")"))
        if current:
            items.append(" ".join(current))
    return [item.strip(" ;,") for item in items if not is_empty_value(item)]


def split_outside_brackets(text: str, separators: str) -> list[str]:
    parts, current, depth = [], "", 0
    pattern = re.compile(separators)
    position = 0
    while position < len(text):
        char = text[position]
        if char in "([«":
            depth += 1
        elif char in ")]»" and depth:
            depth -= 1
        if depth == 0 and (match := pattern.match(text, position)):
            parts.append(current)
            current = ""
            position = match.end()
            continue
        current += char
        position += 1
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def split_names(text: str) -> list[str]:
    """A list of organisations or people: commas, semicolons, line breaks (never inside brackets)."""
    names = []
    for part in split_outside_brackets(text or "", r"\s*[,;\n]\s*|\s+•\s*"):
        part = re.sub(r"^(?:etc\.?|…)$|\s*(?:,\s*)?(?:etc\.?|…)$", "", part.strip(" .:")).strip(" .")
        if ":" in part and len(part.split(":", 1)[0].split()) <= 4:  # "Partenaires du CISM : EPSM …"
            part = part.split(":", 1)[1].strip()
        if part and not is_empty_value(part):
            names.append(part)
    return list(dict.fromkeys(names))


def first_sentences(text: str, limit: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
