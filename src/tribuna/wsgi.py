import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribuna.settings")
application = get_wsgi_application()

# Load the spam model before gunicorn forks its workers (--preload): the first comment is
# not kept waiting for it, and the workers share the model's memory.
from tribuna.antispam.registry import warm_up  # noqa: E402

warm_up()
