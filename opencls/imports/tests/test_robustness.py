"""Whatever text comes in, the importer answers: a contract JSON or a French refusal, never a crash."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opencls.contracts.io import validate_contract_json
from opencls.imports.services import ImportRejected, extract_document

# Pieces of the layouts the importer recognises, so random documents reach its every branch.
VOCABULARY = [
    "Action 1.1 : ", "FA 2.3 : ", "FA 2.3: ", "Fiche action n°4 - ", "Axe 1 : ", "AXE 2: ", "Orientation 3 : ",
    "OPÉRATIONS NÉCESSAIRES À L'ACTION", "PORTEUR PILOTE", "CALENDRIER", "CALENDDIED", "SECTEUR GÉOGRAPHIQUE",
    "LIVRABLES ATTENDUS", "INDICATEURS DE PROCESSUS", "INDICATEURS DE RÉSULTATS", "DESCRIPTIF CONCIS",
    "Les opérations identifiées :", "Porteur : ", "Premier semestre 2026", "Second semestre 2027", "2025-2028",
    "Coordination du CLS en lien avec l'ARS et la CPAM", "Intitulé de l'action\tIntitulé des opérations\tPorteur(s)",
    "ORIENTATIONS\tINTITULÉS DES ACTIONS\tINTITULÉ DES OPÉRATIONS\tPORTEURS",
    "Communes\tQuartiers\tNombre habitants en QPV\t% habitants en QPV\tNombre habitants dans la commune",
    "\tCALL\tHauts-de-France\tFrance", "La commune de Testville, dont la mairie est située rue Haute, représentée "
    "par son Maire, Monsieur Jean DUPONT,", "Ci-après dénommée « Testville »", "Fait à Testville",
    "Contrat local de santé intercommunal de la Vallée (CLSIV)", "soit quinze actions, dont :",
    "trois actions pour le premier axe", "Il recouvre 36 communes et concerne 242 587 habitants.",
    "Objectif 2.1 : ", "2.1.1 ", "10 % financés par la commune", "<table><tr><td>a</td><td>b</td></tr></table>",
    "| a | b |", "|---|---|", "# ", "## ", "- ", "* ", "• ", "**", "<b>", "</b>", "<sup>1</sup>", "(", ")", "«", "»",
    "\t", "\n", "\n\n", " ", ":", ";", ",", ".", "/", "Angres\tCamus\t1575\t32,53%\t4842", "\t\t", "·",
]  # fmt: skip
documents = st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=20)), max_size=80).map("".join)
# Only what a document may lack: its title or territory, which the reviewer then fills in.
ALLOWED_ERRORS = {"contract/territory/name : ne doit pas être vide", "contract/title : ne doit pas être vide"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_text_never_crashes_the_importer(text):
    try:
        data = extract_document(io.BytesIO(text.encode("utf-8")), "document.md")
    except ImportRejected as rejection:
        assert rejection.message  # a French sentence for the user
        return
    assert set(validate_contract_json(data)) <= ALLOWED_ERRORS


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_are_read_or_refused(data):
    try:
        result = extract_document(io.BytesIO(data), "document.txt")
    except ImportRejected:
        return
    assert result["schema_version"] == "1"
