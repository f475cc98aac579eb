from pathlib import Path

import pytest
from django.conf import settings

from opencls.imports.services import import_document
from opencls.region.models import ActionTheme, Theme
from opencls.region.text import matches_all, stem, words
from opencls.region.themes import compiled_themes, suggest_themes, theme_add, theme_decide, themes_of_text
from opencls.testing.factories import ActionFactory, AxisFactory, ContractFactory, UserFactory

pytestmark = pytest.mark.django_db
SEEDS = Path(settings.BASE_DIR) / "opencls" / "demo" / "seeds"


def themes_by_action(contract):
    found = {}
    for link in ActionTheme.objects.filter(contract=contract).select_related("action", "theme"):
        found.setdefault(link.action.code, set()).add(link.theme.code)
    return found


def test_the_vocabulary_is_seeded_with_keywords():
    codes = set(Theme.objects.values_list("code", flat=True))
    assert {
        "acces-aux-soins",
        "sante-mentale",
        "addictions",
        "vaccination",
        "depistages",
        "precarite",
    } <= codes
    assert all(theme.keyword_list for theme in Theme.objects.all())


def test_stems_fold_accents_case_and_plural():
    assert stem(words("Vaccinations")[0]) == stem(words("vaccin")[0]) == "vaccin"
    assert stem(words("DÉPISTAGES")[0]) == stem(words("depistage")[0])
    assert matches_all(words("Les dépistages organisés des cancers"), ["depistage", "cancer"])
    assert not matches_all(words("Les dépistages organisés"), ["depistage", "vaccin"])


def test_a_title_keyword_suggests_and_a_word_in_passing_does_not():
    themes = compiled_themes()
    found = {theme.code for theme, _kw in themes_of_text("", themes, title="Promouvoir la vaccination")}
    assert found == {"vaccination"}
    passing = "Un atelier ouvert aux jeunes, sans autre précision."
    assert themes_of_text(passing, themes, title="Atelier") == []


def test_seed_004_actions_get_their_themes():
    contract = import_document(SEEDS / "004_clsi_marque_melantois.txt", filename="004.txt", user=None)
    assert suggest_themes(contract) > 10
    found = themes_by_action(contract)
    assert "sante-mentale" in found["FA 4.1"]  # CISM, santé mentale
    assert "sante-mentale" in found["FA 1.3"]
    assert "addictions" in found["FA 1.2"]
    assert "depistages" in found["FA 2.1"]
    assert "nutrition-activite-physique" in found["FA 2.3"]
    assert "perinatalite" in found["FA 3.2"]
    assert "sante-environnement" in found["FA 3.3"]  # habitat indigne
    assert "vaccination" not in found["FA 3.5"]  # moustique tigre
    assert set(ActionTheme.objects.filter(contract=contract).values_list("state", flat=True)) == {"suggested"}


def test_suggesting_again_keeps_the_coordinators_decisions():
    contract = ContractFactory()
    action = ActionFactory(
        axis=AxisFactory(contract=contract),
        title="Promouvoir la vaccination et le dépistage du cancer",
        description="Octobre rose, mars bleu, couverture vaccinale.",
    )
    user = UserFactory()
    assert suggest_themes(contract) == 2
    vaccination = ActionTheme.objects.get(action=action, theme__code="vaccination")
    screening = ActionTheme.objects.get(action=action, theme__code="depistages")
    theme_decide(vaccination, ActionTheme.State.CONFIRMED, user=user)
    theme_decide(screening, ActionTheme.State.REJECTED, user=user)
    assert suggest_themes(contract) == 0
    assert dict(ActionTheme.objects.filter(action=action).values_list("theme__code", "state")) == {
        "vaccination": "confirmed",
        "depistages": "rejected",
    }
    assert not theme_decide(vaccination, ActionTheme.State.CONFIRMED, user=user)  # nothing changed
    link = theme_add(action, Theme.objects.get(code="sante-des-jeunes"), user=user)
    assert link.state == "confirmed" and link.decided_by == user
    assert vaccination.history.count() == 2  # suggested, then confirmed: on the contract's history


def test_staff_edit_the_vocabulary_in_the_admin(client):
    from django.urls import reverse

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    theme = Theme.objects.get(code="vaccination")
    assert client.get(reverse("admin:region_theme_change", args=[theme.pk])).status_code == 200
    assert client.get(reverse("admin:region_actiontheme_changelist")).status_code == 200
