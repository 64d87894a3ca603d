from django.contrib import admin
from django.urls import include, path

from equitime.api_v1 import api
from equitime.core import health
from equitime.core import views as core_views

admin.site.site_header = "Equitime administration"
admin.site.site_title = "Equitime"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accessibility/", core_views.accessibility_statement, name="accessibility_statement"),
    # Load balancers' probe, GET and HEAD only; core.health's middleware answers it first.
    path("health/", health.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("equitime.members.urls")),
    path("", include("equitime.credits.urls")),
    # Before listings: its listings/<pk>/<action>/ would take listings/<pk>/flag/.
    path("", include("equitime.community.urls")),
    path("", include("equitime.api.urls")),
    path("", include("equitime.listings.urls")),
    path("", include("equitime.exchanges.urls")),
]
