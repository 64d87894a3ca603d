from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from equitime.core.admin import ReadOnlyAdmin
from equitime.members.admin import MemberAdmin, each_member
from equitime.members.models import Member
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import member_suspend


@admin.register(ListingFlag)
class ListingFlagAdmin(ReadOnlyAdmin):
    """Staff look reports up; moderators decide them at /moderation/, where the
    decision closes the listing, tells the members and is audited."""

    list_display = ["created_at", "listing", "reason", "flagged_by", "status", "decided_by"]
    list_filter = ["status", "reason"]
    search_fields = ["listing__title", "flagged_by__email", "note"]
    list_select_related = ["listing", "flagged_by", "decided_by"]
    readonly_fields = [field.name for field in ListingFlag._meta.fields]


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are they suspended?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log and shown to moderators."),
    )


# Suspending pauses listings, which members' admin may not reach: this app
# (installed after members) registers the members admin again with the action.
admin.site.unregister(Member)


@admin.register(Member)
class ModeratedMemberAdmin(MemberAdmin):
    actions = ["suspend", *MemberAdmin.actions]

    @admin.action(description=_("Suspend selected members (asks for a reason)"))
    def suspend(self, request, queryset):
        form = SuspendForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            each_member(
                self,
                request,
                queryset,
                lambda member: member_suspend(member=member, by=request.user, reason=reason),
                _("%(n)s member(s) suspended: signed out and their open listings paused."),
            )
            return None
        return TemplateResponse(
            request,
            "admin/members/member/suspend.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Suspend members"),
                "opts": self.model._meta,
                "members": queryset,
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
