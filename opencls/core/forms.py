from django import forms
from dsfr.forms import DsfrBaseForm


class BaseForm(DsfrBaseForm):
    """Project base form: DSFR markup, optional fields marked, focus on the first error."""

    def get_context(self):
        # Skip DsfrBaseForm's transitional warnings: we take the future behaviour now.
        context = super(DsfrBaseForm, self).get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.errors:
            self.set_autofocus_on_first_error()


class BaseModelForm(forms.ModelForm, BaseForm):
    pass
