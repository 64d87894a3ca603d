from django.urls import path

from equitime.community import moderation_views, views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    # Moderation. The root URLconf includes these before the listings' own
    # ``listings/<pk>/<action>/``, which would otherwise take ``flag``.
    path("listings/<int:pk>/flag/", moderation_views.listing_flag, name="listing_flag"),
    path("moderation/", moderation_views.moderation_queue, name="moderation_queue"),
    path(
        "moderation/flags/<int:pk>/uphold/",
        moderation_views.listing_flag_uphold,
        name="listing_flag_uphold",
    ),
    path(
        "moderation/flags/<int:pk>/dismiss/",
        moderation_views.listing_flag_dismiss,
        name="listing_flag_dismiss",
    ),
    path("members/<int:pk>/suspend/", moderation_views.member_suspend, name="member_suspend"),
    path("members/<int:pk>/reinstate/", moderation_views.member_reinstate, name="member_reinstate"),
    path("members/<int:pk>/roles/", moderation_views.member_roles, name="member_roles"),
]
