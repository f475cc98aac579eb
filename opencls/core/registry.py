"""Where domain apps plug into the contract pages without the core knowing them.

Apps call these from their AppConfig.ready(): a tab in the contract's navigation, and
alert providers whose alerts show on the contract dashboard.
"""

from collections.abc import Callable
from dataclasses import dataclass
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


CONTRACT_TABS: list[ContractTab] = []
ALERT_PROVIDERS: list[Callable[[object, date], list[Alert]]] = []


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
