import unicodedata

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def normalise_name(name: str) -> str:
    """Case- and accent-insensitive key, used to find an organisation already known."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(ascii_only.lower().replace("’", "'").split())


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ARS = "ars", _("ARS")
        MUNICIPALITY = "municipality", _("Commune")
        EPCI = "epci", _("EPCI")
        PREFECTURE = "prefecture", _("Préfecture")
        DEPARTMENT = "department", _("Conseil départemental")
        CPAM = "cpam", _("CPAM / Assurance maladie")
        CPTS = "cpts", _("CPTS")
        HOSPITAL = "hospital", _("Établissement de santé")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Autre")

    name = models.CharField(_("nom"), max_length=300)
    normalised_name = models.CharField(max_length=300, editable=False, db_index=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", _("Le SIRET comporte exactement 14 chiffres."))],
    )
    region = models.CharField(_("région"), max_length=100, blank=True)
    proconnect_required = models.BooleanField(
        _("connexion ProConnect obligatoire"),
        default=False,
        help_text=_(
            "Les utilisateurs de cette organisation ne peuvent plus se connecter avec un mot de passe "
            "local quand ProConnect est configuré."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.name)
        super().save(*args, **kwargs)


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    # An ARS agent reads every contract of a région, or of some départements for a délégation
    # départementale (issue 16): official INSEE codes (COG), compared with the territories'
    # indexed `region_code` / `department_code`. Both empty: no regional reading right.
    ars_region_code = models.CharField(
        _("région lue (agent ARS)"),
        max_length=3,
        blank=True,
        help_text=_(
            "Code INSEE de la région dont l'agent lit tous les contrats (ex. 32 pour les Hauts-de-France)."
        ),
    )
    ars_department_codes = models.JSONField(
        _("départements lus (délégation départementale)"),
        default=list,
        blank=True,
        help_text=_("Codes INSEE des départements dont l'agent lit les contrats (ex. 59)."),
    )
    # Granted by an administrator: create contracts (editor, document or JSON import). The
    # creator becomes the new contract's coordinator; the contract starts as a draft.
    can_create_contracts = models.BooleanField(
        _("peut créer des contrats"),
        default=False,
        help_text=_("Coordinatrices et coordinateurs de CLS : créer un contrat ou en importer un."),
    )
    proconnect_required = models.BooleanField(
        _("connexion ProConnect obligatoire"),
        default=False,
        help_text=_("Refuse la connexion par mot de passe local quand ProConnect est configuré."),
    )

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_ars_reader(self) -> bool:
        """Reads contracts through a regional or departmental scope."""
        return bool(self.ars_region_code or self.ars_department_codes)

    @property
    def ars_scope_label(self) -> str:
        """« Hauts-de-France (32) » or « Nord (59), Pas-de-Calais (62) »; "" without scope."""
        from opencls.geo.selectors import department_name, region_name

        if self.ars_region_code:
            return f"{region_name(self.ars_region_code) or '?'} ({self.ars_region_code})"
        return ", ".join(f"{department_name(code) or '?'} ({code})" for code in self.ars_department_codes)

    # Before issue 16 the scope was a région's name in free text (`ars_region`). Kept as a
    # property so code and tests written against it keep working: reading gives the région's
    # official name, writing a name (or a code) sets `ars_region_code`.
    @property
    def ars_region(self) -> str:
        from opencls.geo.selectors import region_name

        return region_name(self.ars_region_code) if self.ars_region_code else ""

    @ars_region.setter
    def ars_region(self, value: str) -> None:
        from opencls.geo.selectors import region_code_for_name, region_name

        value = (value or "").strip()
        self.ars_region_code = value if region_name(value) else region_code_for_name(value)

    @property
    def must_use_proconnect(self) -> bool:
        """Set on the user or on their organisation by an administrator."""
        return self.proconnect_required or bool(self.organisation and self.organisation.proconnect_required)
