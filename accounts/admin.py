from django.contrib import admin

from accounts.models import LanguagePreference


@admin.register(LanguagePreference)
class LanguagePreferenceAdmin(admin.ModelAdmin):
    """Whose mails go out in which language; set by each person with the language switch."""

    list_display = ["user", "language", "changed_at"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    raw_id_fields = ["user"]
