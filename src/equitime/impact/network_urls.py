from django.urls import path

from equitime.impact import network_views

urlpatterns = [
    path("impact/network/", network_views.network_page, name="impact_network"),
    path(
        "impact/network/organisations.csv",
        network_views.network_organisations_csv,
        name="impact_network_organisations_csv",
    ),
    path(
        "impact/network/links.csv",
        network_views.network_links_csv,
        name="impact_network_links_csv",
    ),
]
