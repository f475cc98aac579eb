"""Territories recorded before the official codes (issue 16) get them from their names: the
free-text région and département are looked up in the COG of the pinned package (case, accents
and hyphens ignored); the région also follows from a known département. Only empty codes are
filled; a name that matches nothing leaves the code empty (the ARS readers of that région then
do not see the contract until the coordinator chooses its territory in the official list)."""

from django.db import migrations


def fill_codes(apps, schema_editor):
    from opencls.geo.names import name_key

    Territory = apps.get_model("territories", "Territory")
    territories = list(Territory.objects.filter(region_code="") | Territory.objects.filter(department_code=""))
    if not territories:
        return
    try:
        from opencls.geo.dataset import read_json

        regions = {name_key(r["nom"]): r["code"] for r in read_json("regions")}
        departments = {name_key(d["nom"]): (d["code"], d["region"]) for d in read_json("departements")}
    except OSError:
        print("\n  Paquet COG absent (node_modules) : codes des territoires non renseignés.")
        return
    for territory in territories:
        department_code, department_region = departments.get(name_key(territory.department), ("", ""))
        updates = {}
        if not territory.department_code and department_code:
            updates["department_code"] = department_code
        if not territory.region_code:
            region_code = regions.get(name_key(territory.region), "") or department_region
            if region_code:
                updates["region_code"] = region_code
        if updates:
            Territory.objects.filter(pk=territory.pk).update(**updates)


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0004_official_territory_and_populations"),
    ]

    operations = [migrations.RunPython(fill_codes, migrations.RunPython.noop)]
