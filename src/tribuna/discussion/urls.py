from django.urls import path

from tribuna.discussion import feeds, views

app_name = "discussion"

urlpatterns = [
    path("statements/<slug:slug>/comment", views.post_comment, name="post_comment"),
    path("c/<int:comment_id>/", views.permalink, name="permalink"),
    path("comments/feed/", feeds.RecentCommentsFeed(), name="recent_feed"),
    path("statements/<slug:slug>/feed/", feeds.ThreadCommentsFeed(), name="thread_feed"),
]
