from django.urls import path

from tribuna.moderation import views

app_name = "moderation"

# /moderation/personal-data/ belongs to the privacy app's urls (linked from the moderation nav).
urlpatterns = [
    path("moderation/", views.queue_view, name="queue"),
    path("moderation/act/", views.act, name="act"),
    path("moderation/comments/<int:pk>/", views.edit_view, name="edit"),
    path("moderation/comments/<int:pk>/reply/", views.reply_view, name="reply"),
    path("moderation/threads/", views.threads_view, name="threads"),
    path("moderation/threads/<int:pk>/", views.thread_view, name="thread"),
    path("moderation/threads/<int:pk>/open/", views.thread_open_view, name="thread_open"),
    path("moderation/threads/<int:pk>/post/", views.thread_post_view, name="thread_post"),
    path("moderation/bans/", views.bans_view, name="bans"),
    path("moderation/bans/<int:pk>/remove/", views.ban_remove_view, name="ban_remove"),
    path("moderation/audit/", views.audit_view, name="audit"),
]
