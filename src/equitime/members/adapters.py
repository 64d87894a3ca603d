from allauth.account.adapter import DefaultAccountAdapter

from equitime.members.services import member_join


class AccountAdapter(DefaultAccountAdapter):
    """Joining goes through ``member_join``: member, profile, account and
    welcome gift in one transaction."""

    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        return member_join(
            email=data["email"],
            display_name=data["display_name"],
            password=data.get("password1"),
            organisation=data.get("organisation"),
            profession=data.get("profession", ""),
        )
