from django.urls import path

from tribuna.antispam import akismet

app_name = "antispam"

urlpatterns = [
    path("1.1/verify-key", akismet.verify_key, name="verify-key"),
    path("1.1/comment-check", akismet.comment_check, name="comment-check"),
    path("1.1/submit-spam", akismet.submit_spam, name="submit-spam"),
    path("1.1/submit-ham", akismet.submit_ham, name="submit-ham"),
    path("1.2/usage-limit", akismet.usage_limit, name="usage-limit"),
]
