"""Demo data of the documents (issue 18): each seed contract gets its article texts stored, so a
newcomer opens « Textes des articles » on a real model and its history starts there."""

from opencls.documents.articles import articles_store_defaults


def load_demo_documents(contract, coordinator) -> int:
    """Idempotent: a contract whose articles are stored is left as it is."""
    return articles_store_defaults(contract, user=coordinator)
