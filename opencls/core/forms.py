from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates

from opencls.core.text import normalize_text

# One renderer for every form: DsfrBaseForm hands out its class, and each form would build a
# new template engine (and scan every template library) from it.
DSFR_RENDERER = DsfrDjangoTemplates()


class BaseForm(DsfrBaseForm):
    """Project base form: DSFR markup, optional fields marked, focus on the first error."""

    default_renderer = DSFR_RENDERER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.normalize_fields()

    def normalize_fields(self):
        # Again before cleaning and comparing: subclasses may add fields after __init__.
        for field in self.fields.values():
            normalize_field(field)

    @cached_property
    def changed_data(self):
        self.normalize_fields()
        return super().changed_data

    def get_context(self):
        # Skip DsfrBaseForm's transitional warnings: we take the future behaviour now.
        context = super(DsfrBaseForm, self).get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context

    def full_clean(self):
        self.normalize_fields()
        super().full_clean()
        if self.is_bound and self.errors:
            self.focus_first_error()

    def focus_first_error(self):
        # Not DsfrBaseForm.set_autofocus_on_first_error: it fails on a form-wide error (a wrong
        # password has no field) and follows the order errors were added, not the page's order.
        for name, field in self.fields.items():
            if name in self.errors:
                field.widget.attrs["autofocus"] = ""
                return


class BaseModelForm(forms.ModelForm, BaseForm):
    pass


def normalize_field(field: forms.Field) -> None:
    """Make a text field clean and compare through `normalize_text` (see opencls/core/text.py).

    Only stripped text fields: passwords (`strip=False`) and JSON are left exactly as typed.
    The comparison also normalises the initial value, so text stored before normalisation
    existed does not make an untouched form look changed.
    """
    if not isinstance(field, forms.CharField) or isinstance(field, forms.JSONField) or not field.strip:
        return
    if getattr(field, "opencls_normalized", False):
        return
    to_python, has_changed = field.to_python, field.has_changed

    def normalized_to_python(value):
        return to_python(normalize_text(value) if isinstance(value, str) else value)

    def normalized_has_changed(initial, data):
        return has_changed(normalize_text(initial) if isinstance(initial, str) else initial, data)

    field.to_python = normalized_to_python
    field.has_changed = normalized_has_changed
    field.opencls_normalized = True


class HistoryFilterForm(BaseForm):
    """The Historique page's filters, sent as GET parameters (a bookmarkable, shareable view)."""

    kind = forms.ChoiceField(label=_("Type d'élément"), required=False)
    author = forms.ChoiceField(label=_("Auteur"), required=False)
    since = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, kinds, authors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Tous"))] + list(kinds)
        self.fields["author"].choices = (
            [("", _("Tous"))]
            + [(str(user.pk), str(user)) for user in authors]
            + [("none", _("hors application (import, script)"))]
        )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("La date de fin précède la date de début."))
        return cleaned
