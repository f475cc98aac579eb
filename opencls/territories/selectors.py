from dataclasses import dataclass

from django.utils.translation import gettext as _

from opencls.territories.models import Territory


@dataclass(frozen=True)
class FigureCheck:
    label: str
    stated: int | None
    computed: int

    @property
    def differs(self) -> bool:
        return self.stated is not None and self.stated != self.computed


def territory_figures(territory: Territory, municipalities) -> list[FigureCheck]:
    """Announced figures beside those computed from the municipalities entered.

    `municipalities` is the already-fetched list (with neighbourhoods prefetched), so this adds no query.
    """
    neighbourhoods = {n.pk for m in municipalities for n in m.neighbourhoods.all()}
    return [
        FigureCheck(_("Nombre de communes"), territory.stated_municipality_count, len(municipalities)),
        FigureCheck(
            _("Population"), territory.stated_population, sum(m.population or 0 for m in municipalities)
        ),
        FigureCheck(
            _("Nombre de quartiers prioritaires"), territory.stated_neighbourhood_count, len(neighbourhoods)
        ),
        FigureCheck(
            _("Habitants en QPV"),
            territory.stated_neighbourhood_inhabitants,
            sum(m.neighbourhood_inhabitants or 0 for m in municipalities),
        ),
    ]
