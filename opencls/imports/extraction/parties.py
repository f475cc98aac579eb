"""Who signs: the contract's title and kind, the parties with their representative, their aliases."""

import re
from dataclasses import dataclass, field

from opencls.imports.extraction.document import Check, Doc
from opencls.imports.extraction.text import capitalise, norm, same_meaning, similarity, strip_article

ORGANISATION_KINDS = [  # first match wins: a CPTS is a "communauté" but not an EPCI
    ("cpts", r"communaute professionnelle territoriale|\bcpts\b"),
    ("ars", r"agence regionale de sante|^ars\b|\bars hauts|\bars [a-z]+-"),
    ("cpam", r"caisse primaire|assurance maladie|\bcpam\b"),
    ("prefecture", r"prefecture|\bprefet\b|sous-prefet"),
    ("department", r"conseil departemental|conseil general|^departement\b"),
    ("epci", r"communaute d'agglomeration|communaute de communes|communaute urbaine|^metropole|\bepci\b"),
    ("municipality", r"^(?:commune|ville|mairie)\s+d"),
    ("hospital", r"centre hospitalier|hopital|clinique|etablissement public de sante|\bchu\b|\bepsm\b"),
    ("association", r"\bassociation\b"),
]
CIVILITY = r"(?:Monsieur|Madame|Mademoiselle|M\.|Mme|Mr|Docteur|Dr\.?|Professeur|Pr\.?|Ma[îi]tre)"
POLITE = re.compile(r"^(?:Monsieur|Madame|Mademoiselle|M\.|Mme\.?|Mr\.?)\s+", re.IGNORECASE)
END = r"(?=\s*(?:,|\.(?:\s|$)|\s+d[ûu]ment|\s+et\s+ci-apr|$))"
REPRESENTED = r"repr[ée]sent[ée]e?s?\s+(?:par\s+)?"
REP_TITLE_FIRST = re.compile(
    rf"{REPRESENTED}(?:son|sa|leur)\s+(?P<title>[^,]{{2,150}}?)\s*,\s*(?P<civ>{CIVILITY})\s+(?P<name>[^,]+?){END}",
    re.IGNORECASE,
)
REP_NAME_FIRST = re.compile(
    rf"{REPRESENTED}(?P<civ>{CIVILITY})\s+(?P<name>[^,]+?)\s+en\s+sa\s+qualit[ée]\s+d(?:e\s+|['’])(?P<title>[^,]+?){END}",
    re.IGNORECASE,
)
REP_NAME_ONLY = re.compile(rf"{REPRESENTED}(?P<civ>{CIVILITY})\s+(?P<name>[^,]+?){END}", re.IGNORECASE)
SEAT = re.compile(
    r",?\s+(?:dont\s+(?:le|la|les|l['’])|situ[ée]e?s?\b|sise?\b|ayant\s+son\s+si[èe]ge|repr[ée]sent[ée])",
    re.IGNORECASE,
)
PARTY_LEAD = re.compile(r"^(?:entre\s*(?:d['’]une\s+part)?\s*:?\s*|et\s*[,.:]?\s+)", re.IGNORECASE)
ALIAS = re.compile(r"«\s*([^»]{1,120}?)\s*»")
SIRET = re.compile(r"siret\s*:?\s*((?:\d\s*){14})", re.IGNORECASE)
TITLE = re.compile(
    r"\b(?P<head>(?i:contrat\s+local\s+de\s+sant[ée])|CLS)(?P<inter>(?i:\s+intercommunal))?\s+"
    r"(?P<link>(?i:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|d['’]\s*))"
    r"(?P<name>(?:[A-ZÀ-Ý][\w'’\-]*|(?:de|du|des|la|le|les|et|sur|en|d['’]|l['’]|communes|urbaine)(?=\s|[A-ZÀ-Ý])"
    r"|\s+|[A-ZÀ-Ý][\w]*['’][A-ZÀ-Ý][\w\-]*)+)"
    r"(?:\s*\((?P<short>[A-Z][A-Z0-9]{2,12})\))?",
)
KINDS_BY_TITLE = [
    ("clsm", r"sante mentale"),
    ("city_contract_health", r"contrat de ville"),
    ("asv", r"atelier sante ville"),
]


def organisation_kind(name: str) -> str:
    key = norm(name)
    return next((kind for kind, pattern in ORGANISATION_KINDS if re.search(pattern, key)), "other")


@dataclass
class Party:
    organisation: str
    representative: str = ""
    representative_title: str = ""
    siret: str = ""
    aliases: list[str] = field(default_factory=list)
    index: int = 0
    aside: int | None = None  # its entry in the "not imported" list (address, aliases)

    def as_json(self) -> dict:
        data = {"organisation": self.organisation}
        if self.representative:
            data["representative"] = self.representative
        if self.representative_title:
            data["representative_title"] = self.representative_title
        return data


def _representative(text: str) -> tuple[str, str]:
    for pattern in (REP_TITLE_FIRST, REP_NAME_FIRST, REP_NAME_ONLY):
        if match := pattern.search(text):
            name = POLITE.sub("", f"{match['civ']} {match['name']}".strip()).strip(" .")
            title = match.groupdict().get("title") or ""
            title = re.sub(r"^(?:son|sa|leur)\s+", "", title.strip(" ."), flags=re.IGNORECASE)
            return " ".join(name.split()), capitalise(" ".join(title.split()))
    return "", ""


def _address(text: str) -> str:
    seat = SEAT.search(text)
    represented = re.search(r",?\s*repr[ée]sent[ée]", text, re.IGNORECASE)
    if not seat or not represented or represented.start() <= seat.start():
        return ""
    return text[seat.start() : represented.start()].strip(" ,")


def parse_party(text: str) -> Party | None:
    """'La commune de Gruson, dont la mairie est située …, représentée par son Maire, Monsieur …'"""
    if len(text) > 800 or not re.search(r"repr[ée]sent[ée]", text, re.IGNORECASE):
        return None
    seat = SEAT.search(text)
    if not seat or seat.start() < 3:
        return None
    organisation = strip_article(PARTY_LEAD.sub("", text[: seat.start()]).strip(" ,;:"))
    if not organisation or len(organisation) > 250 or organisation[:1].islower():
        return None
    representative, title = _representative(text)
    if not representative:
        return None
    return Party(organisation=organisation, representative=representative, representative_title=title)


def extract_parties(doc: Doc) -> list[Party]:
    parties: list[Party] = []
    seen: dict[str, Party] = {}
    for i, block in enumerate(doc.blocks):
        if block.kind != "paragraph":
            continue
        key = doc.norms[i]
        if party := parse_party(block.text):
            if norm(party.organisation) in seen:
                doc.consume(i)  # the same party written twice
                continue
            party.index = i
            seen[norm(party.organisation)] = party
            parties.append(party)
            doc.consume(i)
            if address := _address(
                block.text
            ):  # no place for it in a contract: shown with what is not imported
                doc.keep_aside("Signataires : adresses", f"{party.organisation} : {address}", i)
                party.aside = len(doc.extra_not_imported) - 1
            previous = i - 1
            if previous >= 0 and re.fullmatch(r"(?:entre|et)\b.{0,20}", doc.norms[previous]):
                doc.consume(previous)
        elif parties and key.startswith(("ci-apres", "ci apres")) and i - parties[-1].index <= 3:
            aliases = [strip_article(a) for a in ALIAS.findall(block.text)]
            parties[-1].aliases.extend(aliases)
            doc.consume(i)
            if parties[-1].aside is not None and aliases:  # shown beside the address
                doc.extra_not_imported[parties[-1].aside]["text"] += f" (désigné : {', '.join(aliases)})"
        elif parties and (siret := SIRET.search(block.text)) and i - parties[-1].index <= 2:
            parties[-1].siret = re.sub(r"\D", "", siret[1])
            doc.consume(i)
        elif parties and re.fullmatch(r"(?:et|entre)\s*[,.:;]?", key) and i - parties[-1].index <= 3:
            doc.consume(i)
    _check_parties_list(doc, parties)
    _check_signature_block(doc, parties)
    return parties


def _check_parties_list(doc: Doc, parties: list[Party]) -> None:
    """003 repeats the parties in 'Article 2 : parties signataires': compare the two lists."""
    if not parties:
        return
    for i, block in enumerate(doc.blocks):
        if block.kind != "paragraph" or not re.search(r"conclu entre|parties signataires\s*:", doc.norms[i]):
            continue
        items = []
        for j in range(i + 1, min(len(doc), i + 80)):
            if not doc.blocks[j].bullet:
                break
            items.append(j)
        if len(items) < 2:
            continue
        names = [strip_article(doc.text(j).rstrip(".,;")) for j in items]
        unmatched = [n for n in names if not any(same_meaning(n, p.organisation, 0.85) for p in parties)]
        ok = len(names) == len(parties) and not unmatched
        doc.checks.append(
            Check("Signataires (liste de l'article)", f"{len(names)} cités", f"{len(parties)} décrits", ok)
        )
        if ok:
            doc.consume(i, *items)
        else:
            doc.warn(
                f"La liste des parties signataires compte {len(names)} organisations, "
                f"le préambule en décrit {len(parties)}"
                + (f" ; non retrouvées : {', '.join(unmatched)}." if unmatched else ".")
            )
        return


def _check_signature_block(doc: Doc, parties: list[Party]) -> None:
    """Names in the signature block ('Fait à …') should be those of the representatives."""
    start = next((i for i, n in enumerate(doc.norms) if n.startswith("fait a ")), None)
    if start is None:
        return
    words = []
    for j in range(start + 1, len(doc)):
        block = doc.blocks[j]
        if doc.norms[j].startswith(("glossaire", "annexe")):
            break
        text = block.as_text()
        words.extend(re.sub(r"[^\w'\- ]+", " ", norm(text)).split())
    if not words:
        return
    haystack = " ".join(words)
    for party in parties:
        if not party.representative:
            continue
        wanted = norm(POLITE.sub("", party.representative))
        wanted = re.sub(r"^(?:docteur|dr|professeur|pr)\s+", "", wanted)
        if wanted in haystack:
            continue
        size = len(wanted.split())
        best, best_text = 0.0, ""
        for k in range(len(words) - size + 1):
            candidate = " ".join(words[k : k + size])
            score = similarity(candidate, wanted)
            if score > best:
                best, best_text = score, candidate
        if best >= 0.75:
            doc.warn(
                f"Signataire « {party.organisation} » : le représentant est « {party.representative} » "
                f"dans le préambule mais « {best_text.upper()} » dans le bloc de signature."
            )
        else:
            doc.warn(
                f"Signataire « {party.organisation} » : « {party.representative} » "
                "ne figure pas dans le bloc de signature."
            )


def extract_title(doc: Doc, parties: list[Party]) -> dict:
    """Title, kind and short name from the phrase 'Contrat local de santé [intercommunal] de …'."""
    party_names = {norm(p.organisation) for p in parties}
    candidates = []
    for i, block in enumerate(doc.blocks):
        text = block.as_text() if block.kind == "table" else block.text
        for match in TITLE.finditer(text):
            name = re.sub(r"\s+", " ", match["name"]).strip()
            name = re.sub(r"(?:\s+(?:de|du|des|la|le|les|et|sur|en|d['’]|l['’]))+$", "", name).strip()
            if len(name) < 3:
                continue
            caps = name.isupper()
            score = (
                (norm(name) in party_names) * 4 + (not caps) * 2 + bool(match["short"]) + bool(match["inter"])
            )
            candidates.append((score, -i, match, name))
    if not candidates:
        return {}
    _score, _i, match, name = max(candidates, key=lambda c: (c[0], c[1]))
    block = doc.blocks[-_i]
    if block.kind != "table" and len(block.text) - len(match[0]) <= 10:  # the title line itself
        doc.consume(-_i)
    inter = " intercommunal" if match["inter"] else ""
    link = match["link"].strip()
    link = link if link.endswith(("'", "’")) else link + " "
    title = f"Contrat local de santé{inter} {link}{name}"
    kind = "clsi" if inter else "cls"
    for other_kind, pattern in KINDS_BY_TITLE:
        if re.search(pattern, norm(title)):
            kind = other_kind
    shorts = [c[2]["short"] for c in candidates if c[2]["short"] and norm(c[3]) == norm(name)]
    result = {"title": title, "kind": kind, "name": name, "link": link.strip(), "index": -_i}
    if shorts:
        result["short_name"] = shorts[0]
    return result
