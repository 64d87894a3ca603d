from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equitime.core.http import posted
from equitime.members.forms import ProfileForm
from equitime.members.services import profile_update


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    member = request.user
    profile = member.profile
    form = ProfileForm(
        posted(request), instance=profile, initial={"display_name": member.display_name}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        profile_update(member=member, display_name=data.pop("display_name"), **data)
        messages.success(request, _("Your profile is saved."))
        return redirect("profile_detail", pk=member.pk)
    return render(request, "members/profile_edit.html", {"form": form})
