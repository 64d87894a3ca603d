"""Campaigns' pages: the list, one campaign, making and editing one, joining
and leaving, featuring, and the ambassadors' welcome page.

Each change is a POST to its own address and goes back to the page it came
from; a refusal is a message there (or a form error), never a 500.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from equitime.campaigns import images, selectors, services
from equitime.campaigns.forms import CampaignForm, WelcomeForm
from equitime.campaigns.models import WELCOME_MAX_LENGTH, Campaign
from equitime.core.errors import DomainError, ErrorKind, add_domain_error
from equitime.core.http import MemberRequest, posted
from equitime.listings.models import Listing
from equitime.members.models import Member
from equitime.scheduling.models import Session

FIELDS = {
    "target_hours": "target_hours",
    "ends_on": "ends_on",
    "image": "image",
    "image_alt": "image_alt",
}


def _campaign(slug: str) -> Campaign:
    try:
        return selectors.campaign_get(slug=slug)
    except DomainError as error:
        raise Http404 from error


# Images get a new random name when they change, so a member's browser may keep one.
IMAGE_MAX_AGE_SECONDS = 7 * 24 * 3600


@login_required
@require_GET
def campaign_image(request: MemberRequest, slug: str) -> HttpResponseBase:
    """The campaign's image, to members (like the campaign page), from MEDIA_ROOT:
    no static server ever serves uploads."""
    campaign = _campaign(slug)
    if not campaign.image:
        raise Http404
    try:
        handle = campaign.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=images.content_type(campaign.image.name or ""))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = f"private, max-age={IMAGE_MAX_AGE_SECONDS}"
    return response


@login_required
@require_GET
def campaign_list(request: MemberRequest) -> HttpResponse:
    today = timezone.now().date()
    campaigns = selectors.with_progress(selectors.campaigns_all()[:100])
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "active": [c for c in campaigns if c.is_active_on(today)],
            "coming": [c for c in campaigns if c.starts_on > today],
            "past": [c for c in campaigns if c.ends_on < today],
            "may_create": request.user.has_perm("campaigns.add_campaign"),
        },
    )


@login_required
@require_GET
def campaign_detail(request: MemberRequest, slug: str) -> HttpResponse:
    campaign = selectors.with_progress([_campaign(slug)])[0]
    links = selectors.campaign_listings(campaign)
    taking_part, organisations, professions = selectors.campaign_participants(campaign)
    joined = {link.listing_id for link in links}
    mine = [
        listing
        for listing in Listing.objects.filter(
            owner=request.user, status=Listing.Status.OPEN, expires_at__gt=timezone.now()
        ).order_by("title")
        if listing.pk not in joined
    ]
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "running": campaign.is_active_on(timezone.now().date()),
            "offers": [link for link in links if link.listing.kind == Listing.Kind.OFFER],
            "requests": [link for link in links if link.listing.kind == Listing.Kind.REQUEST],
            "sessions": selectors.campaign_sessions(campaign),
            "taking_part": taking_part,
            "organisations": organisations,
            "professions": professions,
            "thanks": selectors.campaign_thanks(campaign),
            "my_listings": mine,
            "may_edit": request.user.has_perm("campaigns.change_campaign"),
            "may_feature": request.user.has_perm("campaigns.feature_listing"),
        },
    )


def _save(request: MemberRequest, form: CampaignForm, campaign: Campaign | None):
    data = form.cleaned_data
    fields = {key: data[key] for key in CampaignForm.CAMPAIGN_FIELDS}
    image = data.get("image") or None
    try:
        if campaign is None:
            return services.campaign_create(
                by=request.user, image=image, image_alt=data["image_alt"], **fields
            )
        return services.campaign_update(
            campaign=campaign,
            by=request.user,
            image=image,
            image_alt=data["image_alt"],
            remove_image=bool(data.get("remove_image")) and image is None,
            **fields,
        )
    except DomainError as error:
        if error.kind == ErrorKind.FORBIDDEN:
            raise PermissionDenied(error.message) from error
        add_domain_error(form, error, fields=FIELDS)
        return None


def _image_lost(request: MemberRequest, form: CampaignForm) -> None:
    """A form sent back with errors cannot keep the chosen file: say so."""
    lost = request.method == "POST" and request.FILES.get("image") and form.errors
    if lost and "image" not in form.errors:
        form.add_error(
            "image", _("Choose the image again: a file is not kept when the form has a problem.")
        )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_create(request: MemberRequest) -> HttpResponseBase:
    if not request.user.has_perm("campaigns.add_campaign"):
        raise PermissionDenied
    form = CampaignForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        campaign = _save(request, form, None)
        if campaign is not None:
            messages.success(request, _("The campaign is published."))
            return redirect("campaign_detail", slug=campaign.slug)
    _image_lost(request, form)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_edit(request: MemberRequest, slug: str) -> HttpResponseBase:
    if not request.user.has_perm("campaigns.change_campaign"):
        raise PermissionDenied
    campaign = _campaign(slug)
    form = CampaignForm(
        posted(request),
        request.FILES or None,
        initial=CampaignForm.initial_for(campaign),
        campaign=campaign,
    )
    if request.method == "POST" and form.is_valid() and _save(request, form, campaign):
        messages.success(request, _("Saved."))
        return redirect("campaign_detail", slug=campaign.slug)
    _image_lost(request, form)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _target(request: MemberRequest) -> tuple[Listing | None, Session | None]:
    """The listing or group session a join, leave or feature form names."""
    listing_id, session_id = _int(request.POST.get("listing")), _int(request.POST.get("session"))
    if listing_id is not None:
        listing = Listing.objects.filter(pk=listing_id).first()
        if listing is None:
            raise Http404
        return listing, None
    if session_id is not None:
        session = Session.objects.filter(pk=session_id, kind=Session.Kind.GROUP).first()
        if session is None:
            raise Http404
        return None, session
    raise Http404


def _back(request: MemberRequest, campaign: Campaign | None, listing, session) -> HttpResponseBase:
    if request.POST.get("from") == "campaign" and campaign is not None:
        return redirect("campaign_detail", slug=campaign.slug)
    if listing is not None:
        return redirect("listing_detail", pk=listing.pk)
    if session is not None:
        return redirect("group_session_detail", pk=session.pk)
    return redirect("campaign_list")


def _act(request: MemberRequest, campaign: Campaign | None, action, done: str) -> HttpResponseBase:
    listing, session = _target(request)
    if campaign is None:
        messages.error(request, _("Choose a campaign."))
        return _back(request, None, listing, session)
    try:
        action(listing, session)
    except DomainError as error:
        if error.kind == ErrorKind.FORBIDDEN:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"campaign": campaign.title})
    return _back(request, campaign, listing, session)


@login_required
@require_POST
def campaign_join(request: MemberRequest) -> HttpResponseBase:
    """Add a listing or a group session to the campaign chosen in the form."""
    slug = request.POST.get("campaign") or ""
    campaign = Campaign.objects.filter(slug=slug).first()

    def join(listing, session) -> None:
        assert campaign is not None  # _act answers a missing campaign first
        if listing is not None:
            services.campaign_listing_join(campaign=campaign, listing=listing, member=request.user)
        else:
            services.campaign_session_join(campaign=campaign, session=session, member=request.user)

    return _act(request, campaign, join, _("Added to the campaign %(campaign)s."))


@login_required
@require_POST
def campaign_leave(request: MemberRequest, slug: str) -> HttpResponseBase:
    campaign = _campaign(slug)

    def leave(listing, session) -> None:
        if listing is not None:
            services.campaign_listing_leave(campaign=campaign, listing=listing, member=request.user)
        else:
            services.campaign_session_leave(campaign=campaign, session=session, member=request.user)

    return _act(request, campaign, leave, _("Taken out of the campaign %(campaign)s."))


@login_required
@require_POST
def campaign_feature(request: MemberRequest, slug: str) -> HttpResponseBase:
    if not request.user.has_perm("campaigns.feature_listing"):
        raise PermissionDenied
    campaign = _campaign(slug)
    featured = request.POST.get("featured") != "0"

    def feature(listing, session) -> None:
        if listing is None:
            raise Http404
        services.campaign_listing_feature(
            campaign=campaign, listing=listing, member=request.user, featured=featured
        )

    done = (
        _("Featured in the campaign %(campaign)s.")
        if featured
        else _("No longer featured in the campaign %(campaign)s.")
    )
    return _act(request, campaign, feature, done)


@login_required
@require_GET
def welcome_list(request: MemberRequest) -> HttpResponse:
    if not request.user.has_perm("campaigns.welcome_members"):
        raise PermissionDenied
    members = list(selectors.members_new_without_exchange().exclude(pk=request.user.pk)[:200])
    return render(
        request,
        "campaigns/welcome_list.html",
        {"members": members, "form": WelcomeForm(), "days": selectors.NEW_MEMBER_DAYS},
    )


@login_required
@require_POST
def member_welcome(request: MemberRequest, pk: int) -> HttpResponseBase:
    if not request.user.has_perm("campaigns.welcome_members"):
        raise PermissionDenied
    member = Member.objects.filter(pk=pk, is_active=True).first()
    if member is None:
        raise Http404
    form = WelcomeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Write a welcome of up to %(most)s characters.") % {"most": WELCOME_MAX_LENGTH},
        )
    else:
        try:
            services.member_welcome(
                member=member, ambassador=request.user, message=form.cleaned_data["message"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(name)s has your welcome.") % {"name": member.display_name}
            )
    return redirect(reverse("campaign_welcome_list") + f"#member-{member.pk}")
