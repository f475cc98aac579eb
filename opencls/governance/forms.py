from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from opencls.accounts.models import Organisation
from opencls.accounts.permissions import visible_contracts
from opencls.actions.models import Action, Indicator
from opencls.contracts.models import Contract, Signatory
from opencls.core.forms import BaseForm, BaseModelForm
from opencls.governance.diff import axis_key
from opencls.governance.models import (
    AgendaItem,
    Amendment,
    Attendance,
    BodyMember,
    Decision,
    GovernanceBody,
    Meeting,
)
from opencls.monitoring.models import Evaluation


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BodyForm(BaseModelForm):
    class Meta:
        model = GovernanceBody
        fields = [
            "kind",
            "name",
            "description",
            "min_meetings_per_year",
            "requires_annual_evaluation",
            "rotating_co_chair",
            "linked_contract",
            "linked_council_name",
            "shared_subjects",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "shared_subjects": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linked_contract"].queryset = (
            visible_contracts(user).filter(kind=Contract.Kind.CLSM).exclude(pk=contract.pk).order_by("title")
        )


class MemberForm(BaseModelForm):
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        required=False,
        help_text=_("Reprise de l'annuaire si elle y figure déjà, même écrite autrement."),
    )

    class Meta:
        model = BodyMember
        fields = ["person_name", "organisation_name", "role", "title", "email", "represents_linked_council"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.organisation_id:
            self.fields["organisation_name"].initial = self.instance.organisation.name

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person_name", "").strip() and not cleaned.get("organisation_name", "").strip():
            raise forms.ValidationError(_("Indiquez la personne, son organisation, ou les deux."))
        return cleaned


class MeetingForm(BaseModelForm):
    video_url = forms.URLField(label=_("Lien de visioconférence"), required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = [
            "body",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "video_url",
            "other_attendees",
            "is_public",
        ]
        widgets = {
            "starts_at": datetime_input(),
            "ends_at": datetime_input(),
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"title": _("Laissé vide : le nom de l'instance.")}

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = GovernanceBody.objects.filter(contract=contract)
        self.fields["body"].empty_label = None
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("La fin de la réunion doit suivre son début."))
        if not cleaned.get("place") and not cleaned.get("video_url"):
            self.add_error("place", _("Indiquez un lieu ou un lien de visioconférence."))
        return cleaned


class AgendaItemForm(BaseModelForm):
    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "action", "indicator", "evaluation", "amendment", "presenter"]
        help_texts = {
            "title": _(
                "Facultatif quand le point renvoie à une fiche, un indicateur, une évaluation ou un avenant."
            )
        }

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = Action.objects.filter(contract=contract)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            action__contract=contract
        ).select_related("action")
        self.fields["indicator"].label_from_instance = lambda i: (
            f"{i.action.code or i.action.title} — {i.label}"
        )
        self.fields["evaluation"].queryset = Evaluation.objects.filter(contract=contract)
        self.fields["amendment"].queryset = Amendment.objects.filter(contract=contract)


class AttendanceForm(BaseForm):
    """One status and one "represented by" per member of the body."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        choices = [("", _("Non renseigné")), *Attendance.Status.choices]
        for member, attendance in rows:
            status = f"status_{member.pk}"
            proxy = f"represented_by_{member.pk}"
            self.fields[status] = forms.ChoiceField(
                label=_("Présence de %(member)s") % {"member": member}, choices=choices, required=False
            )
            self.fields[proxy] = forms.CharField(
                label=_("%(member)s est représenté·e par") % {"member": member},
                max_length=200,
                required=False,
            )
            if attendance:
                self.fields[status].initial = attendance.status
                self.fields[proxy].initial = attendance.represented_by
            self.rows.append((member, status, proxy))

    def bound_rows(self):
        return [(member, self[status], self[proxy]) for member, status, proxy in self.rows]

    def clean(self):
        cleaned = super().clean()
        for member, status, proxy in self.rows:
            if cleaned.get(status) == Attendance.Status.REPRESENTED and not cleaned.get(proxy, "").strip():
                self.add_error(proxy, _("Indiquez qui représente %(member)s.") % {"member": member})
        return cleaned

    def records(self):
        return [(m, self.cleaned_data[s], self.cleaned_data[p]) for m, s, p in self.rows]


class DecisionForm(BaseModelForm):
    class Meta:
        model = Decision
        fields = ["agenda_item", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)


# What a minutes file may be, recognised by its first bytes rather than its name alone.
MINUTES_SIGNATURES = {
    ".pdf": [b"%PDF-"],
    ".docx": [b"PK\x03\x04"],
    ".odt": [b"PK\x03\x04"],
    ".doc": [b"\xd0\xcf\x11\xe0"],
}


class MinutesForm(BaseForm):
    minutes = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Mise en forme : une ligne « ## Titre », « - » pour une liste, « 1. » pour une liste numérotée, "
            "**gras**, *italique* ; une ligne vide sépare les paragraphes."
        ),
    )
    file = forms.FileField(
        label=_("Fichier du compte rendu"), required=False, help_text=_("PDF, DOCX, ODT ou DOC.")
    )
    remove_file = forms.BooleanField(label=_("Retirer le fichier actuel"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > settings.OPENCLS_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Le fichier dépasse la taille autorisée (%(mb)d Mo).")
                % {"mb": settings.OPENCLS_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        suffix = Path(upload.name).suffix.lower()
        if suffix not in MINUTES_SIGNATURES:
            raise forms.ValidationError(_("Format non accepté : déposez un PDF, un DOCX, un ODT ou un DOC."))
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in MINUTES_SIGNATURES[suffix]):
            raise forms.ValidationError(
                _("Le contenu du fichier ne correspond pas à son extension « %(ext)s ».") % {"ext": suffix}
            )
        return upload


class SignatureForm(BaseForm):
    deliberation_required = forms.BooleanField(
        label=_("Signe sur délibération de son conseil"), required=False
    )
    deliberation_number = forms.CharField(
        label=_("Numéro de la délibération"), max_length=100, required=False
    )
    deliberation_date = forms.DateField(
        label=_("Date de la délibération"), required=False, widget=date_input()
    )
    deliberation_body = forms.CharField(
        label=_("Instance qui a délibéré"),
        max_length=200,
        required=False,
        help_text=_("Par exemple « conseil municipal »."),
    )
    deliberation_stated_text = forms.CharField(
        label=_("Délibération telle qu'écrite dans le document"),
        max_length=500,
        required=False,
        help_text=_(
            "Par exemple « n°XXXXXX du XXXXXXXXXX 2025 » : un numéro encore à compléter reste signalé."
        ),
    )
    signed_on = forms.DateField(label=_("Date de signature"), required=False, widget=date_input())
    signed_by = forms.CharField(
        label=_("Signé par"),
        max_length=200,
        required=False,
        help_text=_("Par exemple « P/O Caroline Dupont »."),
    )

    @classmethod
    def initial_for(cls, state) -> dict:
        deliberation = state.deliberation
        return {
            "deliberation_required": state.deliberation_required,
            "deliberation_number": deliberation.number if deliberation else "",
            "deliberation_date": deliberation.date if deliberation else None,
            "deliberation_body": deliberation.body if deliberation else "",
            "deliberation_stated_text": deliberation.stated_text if deliberation else "",
            "signed_on": state.signed_on,
            "signed_by": state.signed_by,
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "signed_on": data["signed_on"],
            "signed_by": data["signed_by"],
            "deliberation_required": data["deliberation_required"],
            "deliberation": {
                "number": data["deliberation_number"].strip(),
                "date": data["deliberation_date"],
                "body": data["deliberation_body"].strip(),
                "stated_text": data["deliberation_stated_text"].strip(),
            },
        }


class DeliberationsTextForm(BaseForm):
    text = forms.CharField(
        label=_("Texte des visas du contrat"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Collez les lignes « Vu la délibération n°… du … autorisant le Maire de … à signer » : "
            "chacune est rattachée au signataire qu'elle nomme."
        ),
    )


class TerminationForm(BaseForm):
    signatory = forms.ModelChoiceField(label=_("Partie qui résilie"), queryset=Signatory.objects.none())
    notified_on = forms.DateField(
        label=_("Date de notification"),
        widget=date_input(),
        help_text=_(
            "Réception de la lettre recommandée avec avis de réception ; le préavis est de trois mois."
        ),
    )
    letter_reference = forms.CharField(
        label=_("Référence de la lettre recommandée"), max_length=200, required=False
    )
    reason = forms.CharField(label=_("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signatory"].queryset = Signatory.objects.filter(contract=contract).select_related(
            "organisation"
        )


class DateForm(BaseForm):
    date = forms.DateField(label=_("Date"), widget=date_input(), required=False)


class CoChairForm(BaseForm):
    year = forms.IntegerField(label=_("Année de coprésidence"), min_value=2000, max_value=2100)
    organisation = forms.ModelChoiceField(label=_("Commune"), queryset=Organisation.objects.none())
    designated_on = forms.DateField(label=_("Désignée le"), widget=date_input())
    meeting = forms.ModelChoiceField(
        label=_("Lors de la réunion"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args, organisations, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["meeting"].queryset = meetings


class AmendmentForm(BaseModelForm):
    class Meta:
        model = Amendment
        fields = ["title", "summary", "copil_meeting"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "copil_meeting": _("L'avenant est proposé par le comité de pilotage (004 art. 9)."),
        }

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copil_meeting"].queryset = Meeting.objects.filter(
            contract=contract, body__kind=GovernanceBody.Kind.STEERING
        ).select_related("body")
        self.fields["copil_meeting"].label_from_instance = lambda m: (
            f"{m.display_title} — {m.starts_at.astimezone().strftime('%d/%m/%Y')}"
        )


class AmendmentSignatoryForm(BaseForm):
    organisation = forms.CharField(label=_("Organisation"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Type d'organisation"), choices=[("", _("Choisir un type")), *Organisation.Kind.choices]
    )
    representative = forms.CharField(label=_("Représentant·e"), max_length=200, required=False)
    representative_title = forms.CharField(label=_("Qualité"), max_length=200, required=False)
    role = forms.CharField(label=_("Rôle dans le contrat"), max_length=200, required=False)

    def __init__(self, *args, joining: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not joining:  # the organisation identifies the party
            del self.fields["organisation"]
            del self.fields["kind"]


class AmendmentAxisForm(BaseForm):
    code = forms.CharField(label=_("Numéro"), max_length=20, required=False)
    title = forms.CharField(label=_("Intitulé"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not adding:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Le numéro identifie l'axe : il ne change pas par avenant.")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class AmendmentActionForm(BaseForm):
    axis = forms.ChoiceField(label=_("Axe"))
    code = forms.CharField(
        label=_("Code"), max_length=30, required=False, help_text=_("Par exemple « FA 2.3 ».")
    )
    title = forms.CharField(label=_("Intitulé"), max_length=500)
    objective = forms.ChoiceField(label=_("Objectif"), required=False)
    context = forms.CharField(
        label=_("Contexte et enjeux"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description = forms.CharField(
        label=_("Descriptif"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    target_publics = forms.CharField(
        label=_("Publics cibles"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    area = forms.CharField(label=_("Secteur géographique"), max_length=500, required=False)
    schedule = forms.CharField(label=_("Calendrier"), max_length=300, required=False)
    leads = forms.CharField(
        label=_("Porteurs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Un par ligne."),
    )
    partners = forms.CharField(
        label=_("Partenaires"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Un par ligne."),
    )

    def __init__(self, *args, contract_json: dict, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        axes = contract_json.get("axes", [])
        self.fields["axis"].choices = [
            (axis_key(a), f"{a['code']} — {a['title']}" if a.get("code") else a["title"]) for a in axes
        ]

        def objectives(items, depth=0):
            for o in items:
                ref = o.get("code") or o["title"]
                yield ref, "— " * depth + (f"{o['code']} {o['title']}" if o.get("code") else o["title"])
                yield from objectives(o.get("children", []), depth + 1)

        self.fields["objective"].choices = [("", _("Aucun"))] + [
            (f"{axis_key(a)}|{ref}", f"{axis_key(a)} › {label}")
            for a in axes
            for ref, label in objectives(a.get("objectives", []))
        ]
        if not adding:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Le code identifie la fiche : il ne change pas par avenant.")

    @staticmethod
    def initial_for(action: dict, axis: str) -> dict:
        return {
            **{
                k: action.get(k) or ""
                for k in ("code", "title", "context", "description", "target_publics", "area", "schedule")
            },
            "axis": axis,
            "objective": f"{axis}|{action['objective']}" if action.get("objective") else "",
            "leads": "\n".join(action.get("leads", [])),
            "partners": "\n".join(action.get("partners", [])),
        }

    def clean(self):
        cleaned = super().clean()
        objective = cleaned.get("objective") or ""
        if objective:
            axis, _sep, ref = objective.partition("|")
            if axis != cleaned.get("axis"):
                self.add_error("objective", _("Cet objectif appartient à un autre axe."))
            cleaned["objective_ref"] = ref
        else:
            cleaned["objective_ref"] = None
        return cleaned

    def action_fields(self) -> dict:
        data = self.cleaned_data
        return {
            **{
                k: data[k]
                for k in ("code", "title", "context", "description", "target_publics", "area", "schedule")
            },
            "objective": data["objective_ref"],
            "leads": _lines(data["leads"]),
            "partners": _lines(data["partners"]),
        }
