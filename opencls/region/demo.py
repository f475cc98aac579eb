"""Demo data of the regional view: themes suggested on the seed contracts' actions."""

from opencls.region.themes import suggest_themes


def load_demo_region(contract, say) -> None:
    """Idempotent: a second run suggests nothing new (decided themes are never touched)."""
    added = suggest_themes(contract)
    if added:
        say(f"Thèmes suggérés sur {contract} : {added}\n")
