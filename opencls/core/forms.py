from django import forms
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates

# One renderer for every form: DsfrBaseForm hands out its class, and each form would build a
# new template engine (and scan every template library) from it.
DSFR_RENDERER = DsfrDjangoTemplates()


class BaseForm(DsfrBaseForm):
    """Project base form: DSFR markup, optional fields marked, focus on the first error."""

    default_renderer = DSFR_RENDERER

    def get_context(self):
        # Skip DsfrBaseForm's transitional warnings: we take the future behaviour now.
        context = super(DsfrBaseForm, self).get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context

    def full_clean(self):
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
