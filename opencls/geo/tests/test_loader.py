"""`load_territories`: the whole COG, idempotent, in seconds, on SQLite and PostgreSQL."""

import json
import shutil

import pytest
from django.core.management import call_command

from opencls.geo.dataset import package_dir, read_dataset_info
from opencls.geo.loader import load_territories
from opencls.geo.models import (
    OfficialCommune,
    OfficialCommuneAlias,
    OfficialDataset,
    OfficialDepartment,
    OfficialEPCI,
    OfficialRegion,
)
from opencls.geo.selectors import department_name, department_region_code, region_code_for_name, region_name

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count()
        for model in (OfficialRegion, OfficialDepartment, OfficialEPCI, OfficialCommune, OfficialCommuneAlias)
    ]


def test_the_millesime_is_read_from_the_package():
    info = read_dataset_info()
    assert (info.version, info.cog_year, info.population_year) == ("6.0.0", 2026, 2023)


def test_the_full_load_is_complete_and_a_second_run_changes_nothing(capsys):
    call_command("load_territories")
    out = capsys.readouterr().out
    assert "Communes : 34969 (34969 ajoutés" in out and "populations légales 2023" in out
    assert counts() == [26, 109, 1255, 34969, 2576]
    lens = OfficialCommune.objects.select_related("epci").get(code="62498")
    assert (lens.name, lens.department_code, lens.region_code) == ("Lens", "62", "32")
    assert lens.epci.name == "CA de Lens - Liévin" and lens.epci.member_count == 36
    assert OfficialCommune.objects.filter(epci=lens.epci).count() == 36
    assert OfficialDepartment.objects.get(code="59").region_id == "32"
    before = list(OfficialCommune.objects.order_by("code").values_list())

    report = load_territories()
    assert report.changed == 0
    assert counts() == [26, 109, 1255, 34969, 2576]
    assert list(OfficialCommune.objects.order_by("code").values_list()) == before
    assert OfficialDataset.objects.get().population_year == 2023


def test_a_refresh_updates_adds_and_removes(tmp_path, cog):
    """A new release: changed rows are rewritten, new ones added, vanished ones deleted."""
    release = tmp_path / "package"
    shutil.copytree(package_dir(), release, ignore=shutil.ignore_patterns("communes.json", "epci.json"))
    communes = json.loads((package_dir() / "data" / "communes.json").read_text("utf-8"))
    communes = [c for c in communes if c.get("departement") in ("59", "62")]
    lens = next(c for c in communes if c["code"] == "62498")
    lens["population"] += 1
    communes = [c for c in communes if c["code"] != "62065"]  # Avion "merged" away
    (release / "data" / "communes.json").write_text(json.dumps(communes), "utf-8")
    epcis = json.loads((package_dir() / "data" / "epci.json").read_text("utf-8"))
    (release / "data" / "epci.json").write_text(json.dumps(epcis), "utf-8")

    report = load_territories(directory=release, departments=["59", "62"])
    assert report.tables["Communes"].updated == 1 and report.tables["Communes"].deleted == 1
    assert OfficialCommune.objects.get(code="62498").population == lens["population"]
    assert not OfficialCommune.objects.filter(code="62065").exists()
    assert load_territories(directory=release, departments=["59", "62"]).changed == 0


def test_a_partial_load_keeps_the_other_departments(cog):
    assert OfficialCommune.objects.filter(department_code="59").count() == 647
    assert not OfficialCommune.objects.filter(department_code="75").exists()
    load_territories(departments=["75"])
    assert OfficialCommune.objects.filter(department_code="59").count() == 647
    assert OfficialCommune.objects.filter(department_code="75").count() == 1


def test_names_of_regions_and_departments_need_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert region_name("32") == "Hauts-de-France"
        assert department_name("59") == "Nord" and department_name("2a") == "Corse-du-Sud"
        assert department_region_code("62") == "32"
        assert region_code_for_name("HAUTS DE FRANCE") == "32"
        assert region_name("99") == "" and region_code_for_name("Atlantide") == ""
