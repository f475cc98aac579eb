from django import forms
from django.utils.translation import gettext_lazy as _

from opencls.core.forms import BaseForm
from opencls.publication.models import Suggestion

MESSAGE_MAX = 2000
ANSWER_MAX = 5000
HONEYPOT = "site_web"  # left empty by people; filled by robots that fill every field


class SuggestionForm(BaseForm):
    kind = forms.ChoiceField(
        label=_("Vous souhaitez"),
        choices=[
            (Suggestion.Kind.SUGGESTION, _("faire une suggestion")),
            (Suggestion.Kind.QUESTION, _("poser une question")),
        ],
        initial=Suggestion.Kind.SUGGESTION,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Votre message"),
        min_length=10,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Entre 10 et %(max)s caractères. N'y écrivez pas d'informations sur votre santé ni sur "
            "d'autres personnes : le message est publié après relecture par la coordination."
        )
        % {"max": MESSAGE_MAX},
    )
    author_name = forms.CharField(
        label=_("Votre nom ou un pseudonyme"),
        required=False,
        max_length=100,
        help_text=_("Affiché avec votre message. Laissé vide : « Un habitant ou une habitante »."),
    )
    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        required=False,
        max_length=254,
        help_text=_("Pour être prévenu·e de la réponse. Jamais affichée ni transmise."),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que la coordination du contrat conserve mon adresse électronique pour me prévenir "
            "de la réponse, et pour rien d'autre (effacée au plus tard un an après la réponse)."
        ),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email") and not cleaned.get("consent"):
            self.add_error(
                "consent",
                _("Cochez cette case pour que nous gardions votre adresse, ou laissez l'adresse vide."),
            )
        return cleaned


class PublishForm(BaseForm):
    evaluation_report = forms.ModelChoiceField(
        label=_("Rapport d'évaluation téléchargeable sur la page publique"),
        queryset=None,
        required=False,
        empty_label=_("Aucun"),
        help_text=_("Les rapports PDF générés dans l'onglet « Évaluation »."),
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation_report"].queryset = reports
        self.fields["evaluation_report"].label_from_instance = lambda report: (
            _("Évaluation %(year)s, générée le %(date)s")
            % {"year": report.year, "date": report.generated_at.strftime("%d/%m/%Y")}
        )


class AnswerForm(BaseForm):
    answer = forms.CharField(
        label=_("Réponse publique de la coordination"),
        required=False,
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Publiée sous le message. Facultative pour une suggestion."),
    )


class EraseForm(BaseForm):
    with_message = forms.BooleanField(
        label=_("Supprimer aussi le message (il quitte la page publique)"), required=False
    )
