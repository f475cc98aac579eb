"""Turn 'Coordination du CLS en lien avec l'APPA et Atmo HDF' into organisation names."""

import re

from opencls.imports.extraction.parties import Party
from opencls.imports.extraction.text import (
    STOPWORDS,
    is_empty_value,
    norm,
    split_names,
    split_outside_brackets,
    strip_article,
)

WITH = re.compile(
    r"\s+en\s+(?:lien|partenariat|collaboration|coordination)\s+avec\s+|\s+avec\s+", re.IGNORECASE
)
AND = r"\s*[,;]\s*|\s+et/ou\s+|\s+et\s+|\s+/\s+"
DANGLING = re.compile(
    r"(?:\s+(?:et|ou|de|du|des|la|le|les|l'|avec|en|à|a|au|aux|et/ou|,))+\s*$", re.IGNORECASE
)
COMPLEMENT = re.compile(r"^(?:du|de la|de l['’]|des|d['’])\s*", re.IGNORECASE)
COORDINATION = re.compile(
    r"^coordination\s+(?:du\s+|de\s+la\s+|de\s+l')?(?:cls\w*|contrat(?: local de sante)?\w*)$"
)
ACRONYM = re.compile(r"[A-ZÀ-Ý0-9&'’\-]{2,12}")


def _initials(text: str) -> str:
    words = re.split(r"[\s\-'’]+", text)
    return "".join(w[0] for w in words if w and norm(w) not in STOPWORDS and norm(w) != "l").upper()


def _bracketed(name: str) -> str:
    """'le CSAPA (Centres de soins…)' → 'CSAPA'; 'Association pour la prévention … (APPA)' → 'APPA'."""
    match = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", name)
    if not match or not match[1]:
        return name
    outside, inside = match[1].strip(), match[2].strip()
    if len(outside.split()) == 1 or ACRONYM.fullmatch(outside.split()[0]) and len(outside.split()) <= 2:
        return outside
    if ACRONYM.fullmatch(inside) and _initials(outside).startswith(inside[0].upper()):
        if len(inside) <= len(_initials(outside)) + 1:
            return inside
    return name


class Names:
    """Resolves the names the plan uses to the organisations the preamble describes ('l'ARS')."""

    def __init__(self, parties: list[Party], short_name: str = ""):
        self.aliases: dict[str, str] = {}
        for party in parties:
            for alias in party.aliases:
                self.aliases.setdefault(norm(strip_article(alias)), party.organisation)
        # Without the contract's own acronym, "Coordination du CLSI2M" is kept as the document writes it.
        self.coordination = f"Coordination du {short_name}" if short_name else None

    def resolve(self, name: str) -> str:
        name = _bracketed(strip_article(name.strip(" .;,:"), lowercase_only=True))
        key = norm(strip_article(name))
        if COORDINATION.match(key):
            name = self.coordination or name
        else:
            name = self.aliases.get(key, name)
        return name

    def leads(self, text: str) -> list[str]:
        text = DANGLING.sub("", " ".join((text or "").split())).strip(" .;,")
        if not text or is_empty_value(text):
            return []
        head, *rest = WITH.split(text, maxsplit=1)
        parts = self._conjuncts(head) + (self._conjuncts(rest[0]) if rest else [])
        names = [self.resolve(p) for p in parts]
        return list(dict.fromkeys(n for n in names if n))

    def partners(self, text: str) -> list[str]:
        names = [self.resolve(n) for n in split_names(text)]
        return list(dict.fromkeys(n for n in names if n))

    @staticmethod
    def _conjuncts(text: str) -> list[str]:
        """'Coordination du CLSI2M et du CISM' → both coordinations; 'l'IPL, l'OMS et IKAMBERE' → three."""
        parts = []
        for part in split_outside_brackets(text, AND):
            part = part.strip(" .")
            if COMPLEMENT.match(part) and parts:  # "… et du CISM": the head noun is shared
                part = f"{parts[-1].split()[0]} {part}"
            if part:
                parts.append(part)
        return parts
