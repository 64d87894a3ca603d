from django.urls import path

from equitime.campaigns import views

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/join/", views.campaign_join, name="campaign_join"),
    path("campaigns/welcome/", views.welcome_list, name="campaign_welcome_list"),
    path("campaigns/welcome/<int:pk>/", views.member_welcome, name="member_welcome"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<slug:slug>/image", views.campaign_image, name="campaign_image"),
    path("campaigns/<slug:slug>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<slug:slug>/leave/", views.campaign_leave, name="campaign_leave"),
    path("campaigns/<slug:slug>/feature/", views.campaign_feature, name="campaign_feature"),
]
