"""The leads page's form: a colleague found by name or e-mail address, never a
select of every member (there are thousands)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from equitime.members.models import Member
from equitime.members.picker import ColleagueField, picker


class LeadAppointForm(forms.Form):
    member = ColleagueField(
        label=_("Colleague's name or e-mail address"),
        help_text=_(
            "They lead the organisation named on their profile: members allow their own "
            "organisation's leads to see their names."
        ),
        self_message=_("You cannot appoint yourself. Ask another administrator."),
    )

    def __init__(self, *args: Any, chooser: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picker(self, "member").chooser = chooser
