from django import forms
from django.utils.translation import gettext_lazy as _

from opencls.core.forms import BaseForm
from opencls.documents.articles import PLACEHOLDERS
from opencls.documents.jobs import FORMATS


class ArticleForm(BaseForm):
    number = forms.CharField(label=_("Numéro"), max_length=20)
    title = forms.CharField(label=_("Titre"), max_length=300)
    body = forms.CharField(
        label=_("Texte"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Une ligne vide sépare les paragraphes ; « - » en début de ligne fait une puce ; **gras**. "
            "Remplis à la génération : %(names)s."
        )
        % {"names": ", ".join("{" + name + "}" for name in PLACEHOLDERS)},
    )


class GenerateForm(BaseForm):
    format = forms.ChoiceField(choices=[(f, f.upper()) for f in FORMATS] + [("pptx", "PPTX")])
