from django.urls import path

from equitime.impact import leads_views as views

urlpatterns = [
    path("impact/leads/", views.leads_page, name="impact_leads"),
    path("impact/leads/<int:pk>/remove/", views.lead_remove, name="impact_lead_remove"),
    path(
        "impact/leads/members/<int:member_id>/appoint/",
        views.lead_appoint_member,
        name="impact_lead_appoint_member",
    ),
    path("impact/organisations/mine/", views.my_organisation, name="impact_my_organisation"),
    path(
        "impact/organisations/<int:pk>/members/",
        views.organisation_members_page,
        name="impact_organisation_members",
    ),
]
