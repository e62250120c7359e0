from django.urls import path

from portal.accounts import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.dashboard, name="home"),
    path("dashboard/profile/", views.profile, name="profile"),
    path("dashboard/members/invite/", views.invite, name="invite"),
    path(
        "dashboard/invitations/<int:pk>/revoke/",
        views.revoke_invitation,
        name="invitation-revoke",
    ),
    path("dashboard/members/<int:pk>/remove/", views.remove_member, name="member-remove"),
]
