from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from portal.accounts.models import (
    AuditEvent,
    Enterprise,
    Invitation,
    Membership,
    Region,
    ReviewerProfile,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (None, {"fields": ("phone",)}))
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """No import or export here: the registry moves through /transfer/ (background jobs with
    progress, size and content checks, region scope), linked from the list's tools."""

    change_list_template = "admin/accounts/enterprise/change_list.html"
    list_display = ("name", "credit_code", "region", "industry", "size", "needs_verification")
    list_filter = ("needs_verification", "industry", "size")
    search_fields = ("name", "credit_code")
    autocomplete_fields = ["region"]
    readonly_fields = ("created_at", "updated_at", "verified_at", "verified_by")
    inlines = [MembershipInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "parent")
    search_fields = ("code", "name_zh", "name_en")
    list_select_related = ("parent",)


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "is_lead")
    filter_horizontal = ("regions",)
    autocomplete_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "enterprise", "created_at", "expires_at", "accepted_at", "revoked_at")
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "actor", "enterprise")
    list_filter = ("action",)
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
