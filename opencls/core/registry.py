"""Where domain apps plug into the contract pages without the core knowing them.

Apps call these from their AppConfig.ready(): a tab in the contract's navigation,
alert providers whose alerts show on the contract dashboard, and history sources whose
changes show on the contract's "Historique" page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ContractTab:
    label: str
    url_name: str  # reversed with the contract's pk as only argument
    permission: str = "contract.view"
    order: int = 100


@dataclass(frozen=True)
class Alert:
    level: str  # "error", "warning" or "info" (DSFR alert types)
    title: str
    message: str = ""
    url: str = ""


@dataclass(frozen=True)
class HistorySource:
    """A model with django-simple-history whose changes belong to a contract's audit trail.

    `scope(contract_pk)` returns the historical rows of that contract (a queryset of
    `model.history`), `describe(record, related)` names one row without querying: `related(record,
    "organisation")` gives the related object of a foreign key listed in `label_fields`.
    """

    key: str
    label: str
    model: type
    scope: Callable
    describe: Callable
    label_fields: tuple[str, ...] = field(default=())


CONTRACT_TABS: list[ContractTab] = []
ALERT_PROVIDERS: list[Callable[[object, date], list[Alert]]] = []
HISTORY_SOURCES: dict[str, HistorySource] = {}


def register_contract_tab(tab: ContractTab) -> None:
    if tab not in CONTRACT_TABS:
        CONTRACT_TABS.append(tab)
        CONTRACT_TABS.sort(key=lambda t: t.order)


def register_alert_provider(provider: Callable[[object, date], list[Alert]]) -> None:
    """`provider(contract, today)` returns the alerts to show for that contract today."""
    if provider not in ALERT_PROVIDERS:
        ALERT_PROVIDERS.append(provider)


def contract_alerts(contract, today: date) -> list[Alert]:
    return [alert for provider in ALERT_PROVIDERS for alert in provider(contract, today)]


def register_history_source(source: HistorySource) -> None:
    HISTORY_SOURCES[source.key] = source
