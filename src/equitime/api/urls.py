from django.urls import path

from equitime.api import views

urlpatterns = [
    path("account/api-tokens/", views.api_tokens, name="api_tokens"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        views.api_token_revoke_view,
        name="api_token_revoke",
    ),
]
