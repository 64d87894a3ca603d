from django.urls import path

from equitime.notifications import preferences_views, views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path(
        "notifications/preferences/",
        preferences_views.notification_preferences,
        name="notification_preferences",
    ),
    path("unsubscribe/<str:token>/", preferences_views.unsubscribe_view, name="unsubscribe"),
]
