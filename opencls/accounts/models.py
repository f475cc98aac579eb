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
    # An ARS agent reads every contract of this region (empty: no regional reading right).
    ars_region = models.CharField(_("région lue (agent ARS)"), max_length=100, blank=True)
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
    def must_use_proconnect(self) -> bool:
        """Set on the user or on their organisation by an administrator."""
        return self.proconnect_required or bool(self.organisation and self.organisation.proconnect_required)
