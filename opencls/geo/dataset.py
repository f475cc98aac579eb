"""Where the official data comes from: the pinned npm package and its millésime."""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

PACKAGE = "@etalab/decoupage-administratif"
# INSEE's legal populations "millésimées N" are in force from 1 January N+3: the COG of year
# N+3 carries the populations of year N (the package's README points to that publication but
# the data files do not state the year).
POPULATION_LAG = 3


def package_dir() -> Path:
    base = Path(
        getattr(settings, "OPENCLS_COG_DIR", "") or Path(settings.BASE_DIR) / "node_modules" / PACKAGE
    )
    return base


@dataclass(frozen=True)
class DatasetInfo:
    version: str  # npm version, "6.0.0"
    cog_year: int | None  # millésime of the COG, 2026
    population_year: int | None  # year of the legal populations, 2023

    @property
    def label(self) -> str:
        if self.cog_year is None:
            return f"{PACKAGE} {self.version}"
        return f"COG {self.cog_year} ({PACKAGE} {self.version})"


def read_dataset_info(directory: Path | None = None) -> DatasetInfo:
    """Version from package.json; millésime from the README's table of versions per year."""
    directory = directory or package_dir()
    version = json.loads((directory / "package.json").read_text(encoding="utf-8"))["version"]
    readme = directory / "README.md"
    cog_year = None
    if readme.exists():
        for year, listed in re.findall(
            r"^\|\s*(\d{4})\s*\|\s*([\d.]+)\s*\|", readme.read_text("utf-8"), re.M
        ):
            if listed == version:
                cog_year = int(year)
                break
    population_year = cog_year - POPULATION_LAG if cog_year else None
    return DatasetInfo(version=version, cog_year=cog_year, population_year=population_year)


@cache
def dataset_info() -> DatasetInfo:
    return read_dataset_info()


def read_json(name: str, directory: Path | None = None) -> list[dict]:
    path = (directory or package_dir()) / "data" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))
