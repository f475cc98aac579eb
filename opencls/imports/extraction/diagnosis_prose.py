"""Diagnosis figures written in sentences rather than tables.

004: « le taux de non recours aux soins depuis 24 mois s'élève à 6,69 % sur le territoire, ce qui
est plus élevé que le taux régional (4,29 %) »; 003: « 28 % de la population non scolarisée des
15 ans et plus ne dispose d'aucun diplôme, contre 25 % pour le département et 21 % au national ».

A sentence gives a figure when a value of the territory (a number with its unit) is compared with
the same unit for France, the région or the département. The source says the figure was read in
the text, for the coordinator to check it on the diagnosis page.
"""

import re
import unicodedata

from opencls.imports.extraction.document import Doc
from opencls.imports.extraction.text import norm

NUM = r"[-+−]?\d{1,3}(?:[  \u202f]\d{3})*(?:[.,]\d+)?"
UNIT = r"\s?(?:%|ans\b|€|\\in\b|euros?\b)"
VALUE = re.compile(rf"(?<![\d,.])({NUM}{UNIT})")
REF = r"(?P<ref>france|national(?:e|es)?|hexagon\w*|metropol\w*|region(?:al|ale|aux)?|departement(?:al|ale|aux)?)"
# Where the references sit, after the territory's value (folded text: no accents, lower case).
REFERENCES = [
    re.compile(rf"^contre\s+(?:respectivement\s+)?(?P<value>{NUM}{UNIT})[^.;,()]{{0,40}}?\b{REF}"),
    re.compile(
        rf"^(?P<value>{NUM}{UNIT})\s*\)?\s*(?:(?!\w*(?:plus|moins|ecart|point))[^\d.;()%]){{0,30}}?\b{REF}"
    ),
    re.compile(rf"^{REF}[^.;(\d]{{0,25}}\(\s*(?P<value>{NUM}{UNIT})"),
]
# What may separate the territory's value from the references: punctuation, or words up to a
# reference word, « contre » or a number.
SKIP = re.compile(
    r"\s*(?:et\b|,|;|\)|\(|[^\d(),;]+?(?=\s*(?:contre\b|france|national|region|departement|hexagon|metropol)"
    r"|[\d(),;]|$))\s*"
)
# A value followed by these is the territory's own (« 7,4 % pour la CALL »), or a reference's.
TERRITORY_MARK = re.compile(
    r"^\s*(?:pour|sur|dans|au sein de)\s+(?:la|le|l'|les)?\s*(?!(?:region|departement|france|national|hexagon|metropol))\w"
)
REFERENCE_MARK = re.compile(
    r"^\s*(?:sur la |au niveau |a l'echelle |en |pour (?:le|la) |au |dans (?:le|la) )?(?:france|national|region|departement|hexagon|metropol)"
)
SOURCE = "Texte du document (chiffre lu dans une phrase, à vérifier)"
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# The verb or words that introduce the territory's value; the label is what comes before them.
INTRO = re.compile(
    r"(?:\s+(?:s'eleve|s'elevait|atteint|atteignait|represente|est|etait|sont)(?:\s+en\s+(?:19|20)\d\d)?"
    r"\s*(?:a|de|d'environ|d'un|d'une)?|\s+(?:de|a|:)|\s+en\s+(?:19|20)\d\d)?\s*\(?\s*$"
)
VERDICT = re.compile(
    r"\s+(?:est|sont|reste|restent|etait|etaient|semble|semblent)\b|\s+constatee?s?\s+en\s+\d{4}"
)
LEAD_IN = re.compile(
    r"^.*?\b(?:indique que|montre que|on (?:compte|observe|constate)(?: que)?|ainsi,|cependant,|en \d{4},"
    r"|parallelement,|par ailleurs,|de plus,|enfin,)\s*"
)
WHERE = re.compile(
    r"\s*(?:au sein (?:du|de la|de l'|des|de)|sur (?:le territoire|la|le)\b|dans le territoire"
    r"|au niveau (?:du|de la|de l')\s*(?!region|departement|nation))\b.*$"
)
OF_WHOM = re.compile(
    r"^\s*(?P<of>des|de la|de l'|de|d')\s*(?P<who>[^,;()]+?)(?=\s+(?:sur|dans|au sein|contre|en \d{4})\b|[,;()]|$)"
)
RESPECTIVELY = re.compile(
    rf"(?P<subject>[^.:;]*?)\s*(?:est [^.:;]*?)?:?\s*(?:elle|il)?\s*(?:est|sont)\s+de\s+(?P<t1>{NUM}{UNIT})\s+"
    rf"(?P<q1>chez les \w+|pour les \w+)\s+et\s+de\s+(?P<t2>{NUM}{UNIT})\s+(?P<q2>chez les \w+|pour les \w+)\s+"
    rf"contre\s+respectivement\s+(?P<r1>{NUM}{UNIT})\s+et\s+(?P<r2>{NUM}{UNIT})\s+(?P<where>[^.;]*)"
)
SHARE = re.compile(
    rf"^(?P<t>{NUM}\s?%)\s+des\s+(?P<rest>(?:personnes|habitants|assures|menages|familles|jeunes|enfants|femmes"
    rf"|hommes|eleves|patients)[^.;(]{{8,140}})"
)
REFERENCE_KEYS = (("france", "nation"), ("nation", "nation"), ("hexagon", "nation"), ("metropol", "nation"),
                  ("region", "region"), ("departement", "department"))  # fmt: skip


def _fold(text: str) -> str:
    """Lower case without accents, one character for one: positions still point in the original."""
    return "".join(unicodedata.normalize("NFKD", c)[:1] for c in text).lower().replace("’", "'")


def _key(reference: str) -> str:
    return next(key for prefix, key in REFERENCE_KEYS if reference.startswith(prefix))


def _clean_value(value: str) -> str:
    value = " ".join(value.replace("\\in", "€").replace("−", "-").split())
    value = re.sub(r"(\d)\.(\d)", r"\1,\2", value)  # « 4.29 % » as French writes it
    return re.sub(r"(\d)\s?%", r"\1 %", value)


def _unit(value: str) -> str:
    value = _clean_value(value)
    return next((unit for unit in ("%", "ans", "€") if value.endswith(unit)), "")


def _capital(text: str) -> str:
    text = re.sub(r"^(?:l'|le |la |les |un |une )", "", text.strip(" ,:;-*"), flags=re.IGNORECASE).strip()
    return text[:1].upper() + text[1:] if text else ""


def _label(before: str, after_colon: bool = True) -> str:
    """The subject of the figure, from the words before its value."""
    text = before.replace("*", "")
    lead = LEAD_IN.match(_fold(text))
    if lead:
        text = text[len(lead[0]) :]
    text = re.sub(r"^.*\b(?:que|dont|qu')\s*", "", text)
    if after_colon and ":" in text:
        label = _label(text.rsplit(":", 1)[1], after_colon=False)
        # « Les jeunes de moins de 30 ans … : le taux atteint 34,4 % »: the subject is before the colon.
        return label if len(label) >= 14 else _label(text.replace(":", ","), after_colon=False)
    for pattern in (INTRO, VERDICT, WHERE):
        found = pattern.search(_fold(text))
        if found and found.start() > 8:
            text = text[: found.start()]
    return _capital(text)


def _references(rest: str, original: str, unit: str) -> dict[str, str]:
    """France, région and département values listed after the territory's, in the same unit."""
    found: dict[str, str] = {}
    position = 0
    while position < len(rest):
        for pattern in REFERENCES:
            match = pattern.match(rest[position:])
            if match and _unit(match["value"]) == unit:
                key = _key(match["ref"])
                start = position + match.start("value")
                found.setdefault(key, original[start : start + len(match["value"])])
                position += match.end()
                break
        else:
            step = re.match(SKIP, rest[position:])
            if not step or not step.group(0):
                break
            position += len(step.group(0))
    return found


def extract_diagnosis_prose(doc: Doc, known_labels: set[str] | None = None) -> list[dict]:
    figures: list[dict] = []
    seen = {norm(label) for label in known_labels or ()}

    def add(label: str, territory: str, references: dict[str, str], year: str) -> None:
        if not 8 <= len(label) <= 200 or norm(label) in seen or not re.search(r"[a-zA-Z]{4}", label):
            return
        seen.add(norm(label))
        figure = {"theme": "", "label": label, "unit": _unit(territory), "year": year, "source": SOURCE,
                  "territory_value": _clean_value(territory)}  # fmt: skip
        figure.update({f"{key}_value": _clean_value(value) for key, value in references.items()})
        figures.append(figure)

    for index, block in enumerate(doc.blocks):
        if not doc.is_paragraph(index) or len(block.text) > 3000:
            continue
        text = " ".join(block.text.replace("**", "").split())
        for sentence in re.split(r"(?<=[.;:])\s+(?=[A-ZÀ-Ý0-9-])", text):
            folded = _fold(sentence)
            if len(folded) != len(sentence):  # a character that folds into two: read nothing here
                continue
            years = set(YEAR.findall(sentence))
            year = years.pop() if len(years) == 1 else ""
            if match := RESPECTIVELY.search(folded):
                where = (
                    _key(re.search(REF, match["where"])["ref"]) if re.search(REF, match["where"]) else None
                )
                subject = _label(sentence[match.start("subject") : match.end("subject")])
                for n in ("1", "2"):
                    qualifier = sentence[match.start(f"q{n}") : match.end(f"q{n}")].split()[-1]
                    territory = sentence[match.start(f"t{n}") : match.end(f"t{n}")]
                    reference = sentence[match.start(f"r{n}") : match.end(f"r{n}")]
                    if where:
                        add(f"{subject} ({qualifier})", territory, {where: reference}, year)
                continue
            if share := SHARE.match(folded):
                rest = re.sub(r"\s+(?:sont|est)\s+", " ", sentence[share.start("rest") : share.end("rest")])
                add(f"Part des {rest.strip(' ,')}", sentence[share.start("t") : share.end("t")], {}, year)
                continue
            for value in VALUE.finditer(folded):
                before = folded[max(0, value.start() - 30) : value.start()]
                if re.match(r"^\s*(?:compare|par rapport)", folded[value.end() :]):
                    break  # a difference with the reference (« -10,1 % comparé au national »), not a value
                own = TERRITORY_MARK.match(folded[value.end() :])
                reference_before = re.search(rf"(?<!celui )(?<!celle )\b{REF}\s*\(?\s*$", before) and not own
                if (
                    reference_before
                    or re.search(r"(?:contre\s+(?:respectivement\s+)?|soit\s+)$", before)
                    or REFERENCE_MARK.match(folded[value.end() :])
                ):
                    continue  # a reference value (or a difference), not the territory's
                territory = sentence[value.start() : value.end()]
                after = value.end()
                of_whom = OF_WHOM.match(folded[after:])
                if of_whom:
                    after += of_whom.end()
                references = _references(folded[after:], sentence[after:], _unit(territory))
                if not references:
                    continue
                label = _label(sentence[: value.start()])
                if of_whom and (len(label) < 8 or _unit(territory) == "%"):
                    who = sentence[value.end() + of_whom.start("of") : value.end() + of_whom.end("who")]
                    label = _capital("Part " + who)
                add(label, territory, references, year)
                break  # one figure per sentence: the others compare it
    return figures
