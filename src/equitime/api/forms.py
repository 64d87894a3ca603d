"""Running the web pages' Django forms from the API, so the API checks exactly
what the pages check and adds no rules of its own."""

from django import forms

from equitime.api.problems import ApiProblem


class FormInvalid(ApiProblem):
    def __init__(self, form: forms.BaseForm) -> None:
        super().__init__(422, "Some fields are not valid; see errors.", code="invalid_fields")
        self.errors = [
            {"field": "body" if name == "__all__" else name, "message": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]


def form_cleaned(form: forms.BaseForm) -> dict:
    """The form's cleaned data, or a 422 problem listing its errors."""
    if not form.is_valid():
        raise FormInvalid(form)
    return dict(form.cleaned_data)
