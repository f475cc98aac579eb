from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from opencls.actions.models import Action
from opencls.contracts.models import ContractRole
from opencls.core.forms import BaseForm

ROLE_HELP = _(
    "Coordinateur·rice : gère tout le contrat. Porteur : renseigne les fiches actions que son organisation "
    "porte. Membre : lit et commente. Signataire : lit le contrat."
)


class InviteForm(BaseForm):
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)
    role = forms.ChoiceField(label=_("Rôle"), choices=ContractRole.Role.choices, help_text=ROLE_HELP)
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        required=False,
        help_text=_("Obligatoire pour un porteur : l'organisation qui porte les fiches actions."),
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Fiches actions portées (porteur)"),
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "L'organisation devient porteuse des fiches cochées (en plus de celles qu'elle porte déjà)."
        ),
    )

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the contract's actions: another contract's action id is refused as an invalid choice.
        self.fields["actions"].queryset = Action.objects.filter(contract=contract).order_by(
            "axis__position", "position", "pk"
        )
        self.fields["actions"].label_from_instance = lambda a: f"{a.code} {a.title}".strip()

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("role") == ContractRole.Role.LEAD
            and not (cleaned.get("organisation_name") or "").strip()
        ):
            self.add_error("organisation_name", _("Indiquez l'organisation porteuse."))
        if cleaned.get("role") != ContractRole.Role.LEAD and cleaned.get("actions"):
            self.add_error("actions", _("Seul un porteur porte des fiches actions."))
        return cleaned


class RoleChangeForm(BaseForm):
    role = forms.ChoiceField(label=_("Nouveau rôle"), choices=ContractRole.Role.choices)


class AccountCreationForm(BaseForm):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        elif first:
            from opencls.accounts.models import User

            candidate = User(
                username=self.email,
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
