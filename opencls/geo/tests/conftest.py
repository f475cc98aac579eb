import pytest

from opencls.geo.loader import load_territories


@pytest.fixture
def cog(db):
    """The official geography of the seeds' départements (Nord, Pas-de-Calais): ~0.3 s."""
    return load_territories(departments=["59", "62"])
