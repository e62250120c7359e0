from django.contrib import admin

from .models import ReportFile, Revocation


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    list_display = ("submission", "language", "status", "pages", "size", "rendered_at")
    list_filter = ("status", "language")
    search_fields = ("submission__verify_code", "submission__enterprise__name", "sha256")
    readonly_fields = [f.name for f in ReportFile._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Revocation)
class RevocationAdmin(admin.ModelAdmin):
    list_display = ("submission", "revoked_at", "revoked_by")
    search_fields = ("submission__verify_code", "submission__enterprise__name")
    raw_id_fields = ("submission",)
    readonly_fields = ("revoked_at", "revoked_by")

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.revoked_by = request.user
        super().save_model(request, obj, form, change)
