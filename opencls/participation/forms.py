from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencls.actions.models import Action
from opencls.contracts.editor_forms import DATE_WIDGET
from opencls.contracts.models import Axis, Contract
from opencls.core.forms import BaseForm, BaseModelForm
from opencls.governance.models import GovernanceBody
from opencls.participation.models import Consent, Participant, ParticipationBody, ParticipationEvent, Seat
from opencls.territories.models import PriorityNeighbourhood


def _neighbourhoods(contract: Contract):
    return PriorityNeighbourhood.objects.filter(territory_id=contract.territory_id)


class BodyForm(BaseModelForm):
    class Meta:
        model = ParticipationBody
        fields = ["kind", "name", "neighbourhood", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.fields["neighbourhood"].queryset = _neighbourhoods(contract)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = ParticipationBody.objects.filter(contract=self.contract, name__iexact=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Une instance participative porte déjà ce nom dans ce contrat."))
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ParticipationBody.Kind.CITIZEN_COUNCIL and not cleaned.get("neighbourhood"):
            self.add_error(
                "neighbourhood", _("Un conseil citoyen est celui d'un quartier prioritaire : choisissez-le.")
            )
        return cleaned


class ParticipantForm(BaseModelForm):
    """Minimum of personal data: a name or pseudonym, the quartier; contact only with consent."""

    consent_contact_on = forms.DateField(
        label=_("Consentement à être contacté·e donné le"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_(
            "Obligatoire pour enregistrer un courriel ou un téléphone ; il entre au registre des consentements."
        ),
    )
    consent_how = forms.CharField(
        label=_("Consentement recueilli comment"), max_length=200, required=False,
        help_text=_("Par exemple « formulaire papier signé »."),
    )  # fmt: skip

    class Meta:
        model = Participant
        fields = ["name", "college", "neighbourhood", "joined_on", "email", "phone"]
        widgets = {"joined_on": DATE_WIDGET}

    def __init__(self, *args, contract: Contract, has_consent: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = _neighbourhoods(contract)
        self.has_consent = has_consent
        if self.instance.pk:
            # On an existing member consents go through the register, not this form.
            del self.fields["consent_contact_on"], self.fields["consent_how"]

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("name") or "").strip() and not self.errors:
            self.add_error("name", _("Indiquez un nom, un prénom ou un pseudonyme."))
        contact = cleaned.get("email") or cleaned.get("phone")
        consent = self.has_consent or cleaned.get("consent_contact_on")
        if contact and not consent:
            self.add_error(
                "email" if cleaned.get("email") else "phone",
                _(
                    "Un courriel ou un téléphone ne s'enregistre qu'avec le consentement de la personne à être contactée."
                ),
            )
        given = cleaned.get("consent_contact_on")
        if given and given > timezone.localdate():
            self.add_error("consent_contact_on", _("La date du consentement ne peut pas être dans le futur."))
        return cleaned


class ConsentForm(BaseModelForm):
    class Meta:
        model = Consent
        fields = ["purpose", "given_on", "how"]
        widgets = {"given_on": DATE_WIDGET}

    def clean_given_on(self):
        given = self.cleaned_data["given_on"]
        if given > timezone.localdate():
            raise forms.ValidationError(_("La date du consentement ne peut pas être dans le futur."))
        return given


class WithdrawForm(BaseForm):
    withdrawn_on = forms.DateField(label=_("Retiré le"), widget=DATE_WIDGET)

    def clean_withdrawn_on(self):
        day = self.cleaned_data["withdrawn_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("La date du retrait ne peut pas être dans le futur."))
        return day


class SeatForm(BaseModelForm):
    class Meta:
        model = Seat
        fields = ["governance_body", "count", "holder"]

    def __init__(self, *args, body: ParticipationBody, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["governance_body"].queryset = GovernanceBody.objects.filter(contract_id=body.contract_id)
        self.fields["holder"].queryset = Participant.objects.filter(body=body, erased_on__isnull=True)

    def clean_governance_body(self):
        governance_body = self.cleaned_data["governance_body"]
        taken = Seat.objects.filter(body=self.body, governance_body=governance_body).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(
                _("Cette instance participative a déjà des sièges dans cette instance : modifiez-les.")
            )
        return governance_body

    def clean_count(self):
        count = self.cleaned_data["count"]
        if count < 1:
            raise forms.ValidationError(_("Au moins un siège."))
        return count


class EventForm(BaseModelForm):
    class Meta:
        model = ParticipationEvent
        fields = [
            "kind", "title", "date", "date_text", "place", "participant_count", "body", "about_diagnosis", "axes",
            "actions", "what_was_said", "what_changed",
        ]  # fmt: skip
        widgets = {
            "date": DATE_WIDGET, "axes": forms.CheckboxSelectMultiple, "actions": forms.CheckboxSelectMultiple,
            "what_was_said": forms.Textarea(attrs={"rows": 4}), "what_changed": forms.Textarea(attrs={"rows": 4}),
        }  # fmt: skip

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = ParticipationBody.objects.filter(contract=contract)
        self.fields["axes"].queryset = Axis.objects.filter(contract=contract)
        self.fields["actions"].queryset = Action.objects.filter(contract=contract)
        self.fields["axes"].required = self.fields["actions"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("date") and not cleaned.get("date_text") and not self.errors:
            self.add_error("date", _("Indiquez la date, ou au moins le mois (« juin 2024 »)."))
        return cleaned
