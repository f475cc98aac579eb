"""What the document announces about itself, compared with what was found in it."""

import re
from decimal import Decimal

from opencls.imports.extraction.document import Check, Doc
from opencls.imports.extraction.text import ORDINAL_WORDS, count_word

WORD = r"(\d+|[a-z\-]+)"
TOTAL = re.compile(
    rf"\b(?:soit|au total|en tout|comporte|compte|comprend|decline en)\s+{WORD}\s+(?:fiches?[\s-]actions?|actions)\b"
)
PER_AXIS = re.compile(
    rf"\b{WORD}\s+(?:fiches?[\s-]actions?\s+|actions?\s+)?(?:pour|dans|sur)\s+(?:le\s+|l'\s*)?"
    rf"(?:(?P<ordinal>{'|'.join(ORDINAL_WORDS)})\s+axe|axe\s*(?P<number>\d+))"
)
AXES_COUNT = re.compile(
    rf"\b{WORD}\s+(?:axes|orientations)\s+strategiques\s+(?:du|de ce|de la|de l'|de notre)\s*"
    r"(?:cls\w*|contrat|present contrat)"
)
SHARE = re.compile(r"^(\d{1,3}(?:[.,]\d{1,2})?)\s*%\s+(?:financ|pris en charge|a la charge)")


def check_announcements(doc: Doc, axes: list[dict]) -> None:
    found_total = sum(len(axis["actions"]) for axis in axes)
    per_axis = {axis["code"]: len(axis["actions"]) for axis in axes}
    for i, text in enumerate(doc.norms):
        if doc.is_table(i):
            continue
        if match := AXES_COUNT.search(text):
            announced = count_word(match[1])
            if announced:
                ok = announced == len(axes)
                doc.checks.append(Check("Axes stratégiques", str(announced), str(len(axes)), ok))
                if not ok:
                    doc.warn(
                        f"Le document annonce {announced} axes stratégiques ; {len(axes)} ont été trouvés."
                    )
        match = TOTAL.search(text)
        announced = count_word(match[1]) if match else None
        if not announced:
            continue
        ok = announced == found_total
        doc.checks.append(Check("Fiches actions (total)", str(announced), str(found_total), ok))
        if not ok:
            doc.warn(f"Le document annonce {announced} actions ; {found_total} ont été trouvées.")
        used = [i]
        for j in range(
            i, min(len(doc), i + 8)
        ):  # 'dont : trois actions pour le premier axe ; cinq pour l'axe 2…'
            for item in PER_AXIS.finditer(doc.norms[j]):
                count = count_word(item[1])
                axis = str(ORDINAL_WORDS[item["ordinal"]]) if item["ordinal"] else str(int(item["number"]))
                if count is None:
                    continue
                found = per_axis.get(axis, 0)
                doc.checks.append(Check(f"Actions de l'axe {axis}", str(count), str(found), count == found))
                if count != found:
                    doc.warn(f"Le document annonce {count} action(s) pour l'axe {axis} ; {found} trouvée(s).")
                used.append(j)
        if len(used) > 1 or ok:
            doc.consume(*used)


def check_shares(doc: Doc) -> None:
    """A list of 'x % financés par …' (004: the coordinator's post) should total 100 %."""
    i = 0
    while i < len(doc):
        run = []
        while i < len(doc) and doc.is_paragraph(i) and (match := SHARE.match(doc.norms[i])):
            run.append(Decimal(match[1].replace(",", ".")))
            i += 1
        if len(run) >= 3:
            total = sum(run)
            shown = f"{total:.2f}".replace(".", ",")
            doc.checks.append(Check("Répartition d'un cofinancement", "100 %", f"{shown} %", total == 100))
            if total != 100:
                doc.warn(
                    f"Une répartition de financement totalise {shown} % au lieu de 100 % ({len(run)} parts)."
                )
        i += 1
