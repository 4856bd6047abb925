from django.contrib import admin

from tribuna.core.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["name", "last_run", "next_run", "last_error"]
