"""Demo data of issue 14, taken from the seeds' own words (nothing invented about people):
which actions serve the QPV, which are funded by politique de la ville credits, and 003's
« Laboratoire de la participation des habitants » (June 2024). Idempotent."""

import re

from django.db import transaction
from django.db.models import Q

from opencls.actions.models import Action, ParticipationLevel
from opencls.contracts.models import Contract
from opencls.participation.models import ParticipationBody, ParticipationEvent
from opencls.territories.models import PriorityNeighbourhood

QPV_WORDS = re.compile(r"\bQPV\b|quartiers? prioritaires?", re.IGNORECASE)
CITY_POLICY = re.compile(r"politique de la ville", re.IGNORECASE)
CO_CONSTRUCTION = re.compile(r"co-?construction avec les habitants", re.IGNORECASE)
WHOLE = re.compile(r"^\s*(l')?ensemble du territoire\s*$", re.IGNORECASE)

LAB_NAME = "Laboratoire de la participation des habitants de la CALL"
LAB_EVENT = "Labo de participation : préoccupations et priorités des habitants"
# 004 names no QPV, it states their population: « Près de 11 000 habitants … soit environ 17 %
# de la population villeneuvoise ». One aggregate line carries that figure.
VDA_QPV = "Quartiers prioritaires de Villeneuve d'Ascq (ensemble)"


def _serve(work, neighbourhoods, *, whole_by_default: bool = False) -> None:
    text = " ".join((work.area if isinstance(work, Action) else "", work.description, work.target_publics))
    if neighbourhoods and QPV_WORDS.search(text) and not work.neighbourhoods.exists():
        work.neighbourhoods.set(neighbourhoods)
    elif isinstance(work, Action) and not work.whole_territory and not work.neighbourhoods.exists():
        # 003 art. 3: « Le présent contrat concerne l'ensemble du territoire … Il inclut les QPV ».
        work.whole_territory = bool(WHOLE.match(work.area or "")) or (whole_by_default and not work.area)
    if CITY_POLICY.search(work.funding_text or ""):
        work.city_policy_funded = True
    work.save()


@transaction.atomic
def load_demo_participation(contract: Contract, filename: str) -> None:
    territory = contract.territory
    if filename.startswith("004"):
        vda = territory.municipalities.filter(name__icontains="Villeneuve").first()
        neighbourhood, created = PriorityNeighbourhood.objects.get_or_create(
            territory=territory, name=VDA_QPV, defaults={"population": 11000, "population_year": 2021}
        )
        if created and vda:
            vda.neighbourhoods.add(neighbourhood)
    neighbourhoods = list(territory.neighbourhoods.all())
    actions = Action.objects.filter(contract=contract)
    applied = actions.filter(
        Q(neighbourhoods__isnull=False) | Q(whole_territory=True) | Q(city_policy_funded=True)
    ).exists()
    # Once applied, a coordinator's later edits are theirs: a second run changes nothing.
    for action in [] if applied else actions.prefetch_related("operations"):
        _serve(action, neighbourhoods, whole_by_default=filename.startswith("003"))
        for operation in action.operations.all():
            _serve(operation, neighbourhoods)
        text = " ".join([action.description, *(o.description for o in action.operations.all())])
        if CO_CONSTRUCTION.search(text) and not action.participation_level:
            action.participation_level = ParticipationLevel.CO_CONSTRUCTION
            action.save()
    if filename.startswith("003"):
        lab, _created = ParticipationBody.objects.get_or_create(
            contract=contract,
            name=LAB_NAME,
            defaults={
                "kind": ParticipationBody.Kind.PARTICIPATION_LAB,
                "description": "Temps de concertation avec les habitants de la CALL (phase 2 de l'élaboration du CLS).",
            },
        )
        event, created = ParticipationEvent.objects.get_or_create(
            contract=contract,
            title=LAB_EVENT,
            defaults={
                "kind": ParticipationEvent.Kind.CONSULTATION,
                "date_text": "juin 2024",
                "body": lab,
                "about_diagnosis": True,
                "what_was_said": (
                    "Les principales préoccupations et priorités des habitants, dont la demande du "
                    "« non au tout numérique »."
                ),
                "what_changed": (
                    "Ces priorités ont été échangées avec les partenaires en comités techniques et groupes "
                    "de travail pour définir les axes et le plan d'action ; l'attention au « non au tout "
                    "numérique » est inscrite dans l'action sur la santé numérique."
                ),
            },
        )
        if created:
            event.axes.set(contract.axes.all())
            mentions = Q(context__icontains="Labo de participation") | Q(
                description__icontains="Labo de participation"
            )
            event.actions.set(Action.objects.filter(mentions, contract=contract))
