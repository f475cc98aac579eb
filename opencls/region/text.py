"""Words of French text reduced to comparable stems, for theme suggestions and the SQLite search.

Text is first folded (case, accents, typographic apostrophes: `opencls.spreadsheets.cells.fold`,
itself on top of `opencls.core.text.normalize_text`), then cut into words, and each word loses
one common French ending (« vaccinations » → « vaccin », « dépistages » → « depist »). It is a
light stemmer, not Snowball: PostgreSQL's French dictionary does the real work in production.
"""

import re
from functools import lru_cache

from opencls.core.text import normalize_text
from opencls.spreadsheets.cells import fold

WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    "a au aux avec ce ces d dans de des du en et l la le les leur leurs ou par pour qu que qui sa se "
    "ses son sur un une".split()
)
# Longest first; an ending is removed only when at least MIN_STEM letters remain.
SUFFIXES = sorted(
    (
        "issements issement ements ement ations ation atrices atrice ateurs ateur ations ances ance "
        "ences ence ismes isme istes iste ites ite iques ique ives ive ifs if euses euse eux ales ale "
        "aux al ages age esses esse elles elle ers er ees ee es s x e"
    ).split(),
    key=len,
    reverse=True,
)
MIN_STEM = 4


def folded(text: str) -> str:
    return fold(normalize_text(text or ""))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """One folded word without its most common French ending."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Folded words of `text`, stop words kept out."""
    return [word for word in WORD.findall(folded(text)) if word not in STOPWORDS]


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


def contains_phrase(haystack: list[str], phrase: list[str]) -> bool:
    """Does the list of stems hold `phrase` (a list of stems) as consecutive words?"""
    if not phrase:
        return False
    width = len(phrase)
    first = phrase[0]
    return any(haystack[i : i + width] == phrase for i, value in enumerate(haystack) if value == first)


def query_terms(query: str, limit: int = 8) -> list[str]:
    """The folded words of a search query (at most `limit`, each at least 2 letters)."""
    terms = []
    for word in words(query):
        if len(word) >= 2 and word not in terms:
            terms.append(word)
    return terms[:limit]


def matches_all(text_words: list[str], terms: list[str]) -> bool:
    """Every query term found in the text: same stem, or the term starts a word of the text."""
    text_stems = {stem(word) for word in text_words}
    for term in terms:
        term_stem = stem(term)
        if term_stem in text_stems:
            continue
        if any(word.startswith(term) or word.startswith(term_stem) for word in text_words):
            continue
        return False
    return True
