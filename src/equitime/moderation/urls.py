from django.urls import path

from equitime.moderation import views

urlpatterns = [
    # The root URLconf includes these before the listings' own
    # ``listings/<pk>/<action>/``, which would otherwise take ``flag``.
    path("listings/<int:pk>/flag/", views.listing_flag, name="listing_flag"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path(
        "moderation/flags/<int:pk>/uphold/",
        views.listing_flag_uphold,
        name="listing_flag_uphold",
    ),
    path(
        "moderation/flags/<int:pk>/dismiss/",
        views.listing_flag_dismiss,
        name="listing_flag_dismiss",
    ),
    path("members/<int:pk>/suspend/", views.member_suspend, name="member_suspend"),
    path("members/<int:pk>/reinstate/", views.member_reinstate, name="member_reinstate"),
    path("members/<int:pk>/roles/", views.member_roles, name="member_roles"),
]
