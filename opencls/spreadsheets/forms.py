from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from opencls.core.forms import BaseForm

NEW = "new"


class PlanUploadForm(BaseForm):
    file = forms.FileField(
        label=_("Fichier du plan"),
        help_text=_(
            "Un tableur exporté par OpenCLS (.xlsx ou .ods) et modifié, ou le modèle d'import de Territoires en "
            "Transitions rempli. Rien n'est enregistré avant votre validation."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.ods"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.OPENCLS_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Le fichier pèse %(size)s Mo : la limite est de %(limit)s Mo.")
                % {"size": round(upload.size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)}
            )
        return upload


class OrganisationChoiceForm(BaseForm):
    """One choice per organisation the file names and OpenCLS does not know: create it, or
    use one of the existing organisations whose name is close."""

    def __init__(self, *args, proposals: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = [p for p in proposals if not p["existing"]]
        for index, proposal in enumerate(self.proposals):
            choices = [
                (str(c["pk"]), _("C'est « %(name)s » (existante)") % c) for c in proposal["candidates"]
            ]
            choices.append((NEW, _("Créer l'organisation « %(name)s »") % proposal))
            self.fields[f"organisation_{index}"] = forms.ChoiceField(
                label=_("« %(name)s »") % proposal,
                choices=choices,
                initial=choices[0][0],
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict[str, int | None]:
        """Normalised name → pk of the organisation to use, None to create it."""
        return {
            proposal["key"]: None
            if self.cleaned_data[f"organisation_{index}"] == NEW
            else int(self.cleaned_data[f"organisation_{index}"])
            for index, proposal in enumerate(self.proposals)
        }
