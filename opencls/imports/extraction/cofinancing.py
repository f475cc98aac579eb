"""The coordinator post's co-financing as the contract states it (issue 17) → `extensions.finance`
(opencls/finance/io.py): the ARS's rate ("la moitié", "50 %") and yearly cap ("dans la limite de
30 000 euros par an"), the rule for the rest — pro rata population (004), one payer (003: the
agglomeration), or the fixed shares of the table — and that table as signed, kept for comparison."""

import re
from decimal import Decimal

from opencls.imports.extraction.document import Doc
from opencls.imports.extraction.text import norm, parse_int

POST = r"(?:poste|coordinat|coordination)"
ARS_HALF = re.compile(rf"\bars\b[^.]{{0,160}}?(?:la\s+moitie|50\s*%)[^.]{{0,80}}?{POST}")
ARS_RATE = re.compile(rf"\bars\b[^.]{{0,160}}?(?P<rate>\d{{1,3}}(?:[.,]\d{{1,2}})?)\s*%[^.]{{0,80}}?{POST}")
CAP = re.compile(
    r"dans\s+la\s+limite\s+de\s+(?P<amount>\d[\d\s\u202f\u00a0.]*)\s*(?:euros|€)\s*(?:par\s+an|annuels?)"
)
PRO_RATA = re.compile(
    r"au\s+prorata\s+(?:du\s+nombre\s+d'habitants|de\s+(?:la|leur)\s+population|des\s+habitants)"
)
REST_PAYER = re.compile(
    r"(?:le\s+reste|le\s+restant|le\s+solde|l'autre\s+moitie)[^.]{0,60}?(?:a\s+la\s+charge\s+de|finance\s+par|"
    r"pris\s+en\s+charge\s+par|assure\s+par|par)\s+(?P<payer>[^.;,]+)"
)
SHARE_LINE = re.compile(
    r"^(?P<pct>\d{1,3}(?:[.,]\d{1,2})?)\s*%\s+(?:finances?|pris en charge|a la charge)\s+(?:par|de)\s+(?P<party>.+?)[\s;:.]*$"
)


def _percentage(text: str) -> str:
    return f"{Decimal(text.replace(',', '.')):.2f}"


def _stated_shares(doc: Doc, municipalities: list[str]) -> list[dict]:
    """The signed table: 'x % financés par la commune de Y' lines, the ARS's line first as printed."""
    by_key = {norm(m): m for m in municipalities}
    shares = []
    for i in range(len(doc)):
        if not doc.is_paragraph(i) or not (match := SHARE_LINE.match(doc.norms[i])):
            continue
        party = match["party"]
        if re.search(r"\bars\b|agence regionale de sante", party):
            shares.append({"party": "ars", "percentage": _percentage(match["pct"])})
            continue
        town = next(
            (name for key, name in by_key.items() if key and re.search(rf"\b{re.escape(key)}\b", party)), None
        )
        if town is None:
            compact = re.sub(r"[\s\-']+", "", party)
            town = next(
                (name for key, name in by_key.items() if re.sub(r"[\s\-']+", "", key) in compact), None
            )
        if town:
            shares.append({"municipality": town, "percentage": _percentage(match["pct"])})
        else:
            doc.warn(f"Cofinancement du poste : « {doc.text(i)} » ne désigne aucune commune du territoire.")
    # In the order an export gives them: the ARS, then the communes in the territory's order.
    shares.sort(key=lambda line: -1 if "party" in line else municipalities.index(line["municipality"]))
    return shares if len(shares) >= 2 else []


def extract_cofinancing(doc: Doc, contract: dict) -> dict | None:
    text = " ".join(doc.norms[i] for i in range(len(doc)) if not doc.is_table(i))
    half = ARS_HALF.search(text)
    rate_match = ARS_RATE.search(text)
    if not (half or rate_match):
        return None
    rate = "50.00" if half else _percentage(rate_match["rate"])
    signatories = [s["organisation"] for s in contract.get("signatories", [])]
    kinds = {o["name"]: o["kind"] for o in contract.get("organisations", [])}
    ars = next((name for name in signatories if kinds.get(name) == "ars"), None)
    post = {"ars_organisation": ars, "ars_rate": rate}
    if cap := CAP.search(text):
        post["ars_yearly_cap"] = f"{parse_int(cap['amount'])}.00"
    municipalities = [m["name"] for m in contract["territory"].get("municipalities", [])]
    shares = _stated_shares(doc, municipalities)
    payer = REST_PAYER.search(text)
    epcis = [name for name in signatories if kinds.get(name) == "epci"]
    if PRO_RATA.search(text):
        post["rest_rule"] = "population"
    elif payer and (named := _named(payer["payer"], signatories)):
        post["rest_rule"], post["rest_payer"] = "single_payer", named
    elif shares:
        post["rest_rule"] = "stated_shares"
    elif len(epcis) == 1:
        post["rest_rule"], post["rest_payer"] = "single_payer", epcis[0]
        doc.warn(
            f"Cofinancement du poste de coordination : l'ARS en finance {rate.replace('.', ',')} % ; le document "
            f"ne dit pas qui paie le reste : « {epcis[0]} », seule intercommunalité signataire, a été retenue. "
            "Vérifiez-le."
        )
    else:
        doc.warn(
            "Cofinancement du poste de coordination : le document ne dit pas qui paie ce que l'ARS ne finance pas."
        )
        post["rest_rule"] = "population"
    if shares:
        post["stated_shares"] = shares
    return {"coordinator_post": post}


def _named(text: str, signatories: list[str]) -> str | None:
    key = re.sub(r"^(?:la|le|les|l')\s*", "", text.strip())
    matching = [s for s in signatories if key and (key in norm(s) or norm(s) in key)]
    return matching[0] if len(matching) == 1 else None
