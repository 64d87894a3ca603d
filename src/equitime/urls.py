from django.contrib import admin
from django.urls import include, path

from equitime.api_v1 import api
from equitime.core import health
from equitime.core import views as core_views
from equitime.dashboard.home import home
from equitime.moderation.views import admin_moved

admin.site.site_header = "Equitime administration"
admin.site.site_title = "Equitime"

urlpatterns = [
    path("", home, name="home"),
    path("accessibility/", core_views.accessibility_statement, name="accessibility_statement"),
    # Load balancers' probe, GET and HEAD only; core.health's middleware answers it first.
    path("health/", health.health, name="health"),
    path("accounts/", include("allauth.urls")),
    # Before the admin, whose catch-all would take it: see ``admin_moved``.
    path("admin/community/listingflag/", admin_moved, name="listing_flag_admin_moved"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("equitime.members.urls")),
    path("", include("equitime.dashboard.urls")),
    path("", include("equitime.privacy.urls")),
    path("", include("equitime.credits.urls")),
    path("", include("equitime.exports.urls")),
    path("", include("equitime.notifications.urls")),
    path("", include("equitime.digest.urls")),
    path("", include("equitime.cpd.urls")),
    # Before listings: its listings/<pk>/<action>/ would take listings/<pk>/flag/.
    path("", include("equitime.moderation.urls")),
    path("", include("equitime.api.urls")),
    path("", include("equitime.listings.urls")),
    path("", include("equitime.exchanges.urls")),
    path("", include("equitime.scheduling.urls")),
    path("", include("equitime.campaigns.urls")),
    path("", include("equitime.matching.urls")),
    path("", include("equitime.coordination.urls")),
    path("", include("equitime.impact.urls")),
    path("", include("equitime.impact.network_urls")),
    path("", include("equitime.impact.leads_urls")),
]
