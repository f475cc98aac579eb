"""The ARS reader's scope becomes official codes (issue 16): the free-text région name of
`ars_region` is mapped to its INSEE code through the COG régions of the pinned package
(accents, case and hyphens ignored, "32" accepted as is). A name that matches no région is
reported on the console and the user loses the regional reading right (fewer rights, never
more): an administrator sets the scope again in the admin."""

from django.db import migrations, models


def map_region_names(apps, schema_editor):
    from opencls.geo.names import name_key

    User = apps.get_model("accounts", "User")
    users = list(User.objects.exclude(ars_region="").only("pk", "username", "ars_region"))
    if not users:
        return
    try:
        from opencls.geo.dataset import read_json

        regions = {r["code"]: r["nom"] for r in read_json("regions")}
    except OSError:
        regions = {}
    by_key = {name_key(name): code for code, name in regions.items()}
    unmapped = []
    for user in users:
        value = user.ars_region.strip()
        code = value if value in regions else by_key.get(name_key(value), "")
        if code:
            User.objects.filter(pk=user.pk).update(ars_region_code=code)
        else:
            unmapped.append(f"{user.username} (« {value} »)")
    if unmapped:
        print(
            "\n  Région ARS non reconnue, droit de lecture régional retiré pour : "
            + ", ".join(unmapped)
            + " — à redéfinir dans l'administration (utilisateur › région lue)."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_proconnect_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="ars_department_codes",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Codes INSEE des départements dont l'agent lit les contrats (ex. 59).",
                verbose_name="départements lus (délégation départementale)",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="ars_region_code",
            field=models.CharField(
                blank=True,
                help_text="Code INSEE de la région dont l'agent lit tous les contrats (ex. 32 pour les Hauts-de-France).",
                max_length=3,
                verbose_name="région lue (agent ARS)",
            ),
        ),
        migrations.RunPython(map_region_names, migrations.RunPython.noop),
        migrations.RemoveField(model_name="user", name="ars_region"),
    ]
