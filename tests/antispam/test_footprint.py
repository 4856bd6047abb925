"""Web processes screen comments without scikit-learn or SciPy (they would add tens of megabytes to every
worker): importing Django, the URLconf and the screening path, and screening a comment with the shipped
model, must leave both out of ``sys.modules``; and a server answers its first requests before it imports
NumPy. Run in a fresh interpreter, since the test process has them all."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

PROBE = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
from tribuna.antispam import registry, screen
registry.warm_up()
verdict = screen.Verdict()
screen.check_classifier(screen.Candidate(text="Buy cheap pills at http://pills.example.top now!!!"), verdict)
print(json.dumps({"score": verdict.score, "loaded": sorted(m for m in sys.modules
                                                       if m.split(".")[0] in ("sklearn", "scipy"))}))
"""


def test_screening_imports_neither_scikit_learn_nor_scipy(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tribuna.settings",
        "TRIBUNA_DATA_DIR": str(tmp_path),
        "TRIBUNA_TESTING": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("TRIBUNA_TRAINING_DATA", None)
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], env=env, check=True, timeout=300)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["score"] is not None  # the model really screened the comment
    assert result["loaded"] == []


FIRST_REQUESTS = """
import json, sys
from wsgiref.util import setup_testing_defaults
import threading
threading.Timer = lambda *args, **kwargs: threading.Thread()  # no model warm-up: it imports NumPy by design
import tribuna.wsgi
statuses = []
for path in ("/api/v1/form-token", "/api/v1/comments"):
    environ = {"PATH_INFO": path, "QUERY_STRING": "thread=no-such-thread"}
    setup_testing_defaults(environ)
    body = tribuna.wsgi.application(environ, lambda status, headers: statuses.append(status))
    b"".join(body)
print(json.dumps({"statuses": statuses, "numpy": "numpy" in sys.modules}))
"""


def test_the_server_answers_its_first_requests_without_importing_numpy(tmp_path):
    """NumPy is a tenth of `tribuna serve`'s start (make bench, start-up): it comes with the spam model,
    which loads beside the first requests, not before them."""
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("TRIBUNA_")},
        "DJANGO_SETTINGS_MODULE": "tribuna.settings",
        "TRIBUNA_DATA_DIR": str(tmp_path),
        "TRIBUNA_TESTING": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], env=env, check=True, timeout=300)
    done = subprocess.run(
        [sys.executable, "-c", FIRST_REQUESTS],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["statuses"][0].startswith("200") and result["statuses"][1][:3] in ("200", "404")
    assert result["numpy"] is False
