"""Which spam model screens a comment: the one the database marks active for its scope.

A scope is the site itself (``api_key_id=None``) or one Akismet key. Models live in the database
(``SpamModelVersion.model``), so every app server and worker screens with the same one. Each process
keeps the models it has loaded and, at most every ``REFRESH_SECONDS``, asks the database with one small
query which version is active per scope; a scope whose active version changed is loaded again the
next time it is needed. A new model is therefore in use everywhere within ``REFRESH_SECONDS`` plus
one load.

When a model cannot be loaded (a corrupt blob, a format from another Tribuna), a key falls back to the
site's model and the site to the shipped one; never to "not spam".
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections import OrderedDict

from django.db import connections

from tribuna.antispam.models import SpamModelVersion

log = logging.getLogger(__name__)

REFRESH_SECONDS = 5.0
SITE = None  # the scope key of the site's own model
# Key models kept in memory per process, least recently used first out (the shipped model takes about
# 60 MiB once loaded); an evicted key's model is read from the database again when that key next asks.
MAX_KEY_MODELS = 4


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked = float("-inf")  # time.monotonic() of the last look at the database
        self.active: dict[int | None, int] = {}  # scope -> active SpamModelVersion id
        # scope -> (version id, model), least recently used first
        self.loaded: OrderedDict[int | None, tuple[int, object]] = OrderedDict()
        self.broken: set[int] = set()  # version ids that failed to load; not retried by this process


_state = _State()


def _active_versions() -> dict[int | None, int]:
    return dict(SpamModelVersion.objects.filter(is_active=True).values_list("api_key_id", "id"))


def _refresh() -> None:
    """Look at the database's active versions if the last look is older than REFRESH_SECONDS."""
    now = time.monotonic()
    if now - _state.checked < REFRESH_SECONDS:
        return
    try:
        active = _active_versions()
    except Exception:  # noqa: BLE001 - a database hiccup keeps the models in hand; try again later
        log.exception("could not read the active spam model versions")
        _state.checked = now
        return
    with _state.lock:
        _state.active = active
        _state.checked = now
        for scope in [s for s, (version_id, _) in _state.loaded.items() if active.get(s) != version_id]:
            del _state.loaded[scope]  # retired, replaced, or its key deleted: free the memory


def load_version(version_id: int):
    """The SpamModel stored in one SpamModelVersion row; raises if the row or its bytes are unusable."""
    # numpy and joblib only when a model is read: a broken install holds comments instead of
    # failing every import of screen (see screen.check_classifier).
    from tribuna.antispam.classifier import SpamModel

    blob = SpamModelVersion.objects.filter(pk=version_id).values_list("model", flat=True).first()
    if not blob:
        raise ValueError(f"spam model version {version_id} has no stored model")
    return SpamModel.load(io.BytesIO(bytes(blob)))


def _stored(scope: int | None):
    """The scope's own active model, or None if it has none or it cannot be loaded."""
    version_id = _state.active.get(scope)
    if version_id is None or version_id in _state.broken:
        return None
    with _state.lock:
        loaded = _state.loaded.get(scope)
        if loaded is not None and loaded[0] == version_id:
            _state.loaded.move_to_end(scope)
            return loaded[1]
        try:
            model = load_version(version_id)
        except Exception:  # noqa: BLE001 - any unreadable model falls back, it never stops screening
            log.exception(
                "spam model version %s (scope %s) cannot be loaded; falling back",
                version_id,
                "site" if scope is None else f"key {scope}",
            )
            _state.broken.add(version_id)
            return None
        _state.loaded[scope] = (version_id, model)
        keys = [s for s in _state.loaded if s is not SITE]
        for evicted in keys[: max(0, len(keys) - MAX_KEY_MODELS)]:
            del _state.loaded[evicted]
        return model


def model_for(api_key_id: int | None = None):
    """The model that screens for a scope: the key's own, else the site's, else the shipped one.

    Raises only if even the shipped model cannot be loaded (screening then holds the comment).
    """
    from tribuna.antispam.classifier import load_shipped_model

    _refresh()
    if api_key_id is not None and (model := _stored(api_key_id)) is not None:
        return model
    if (model := _stored(SITE)) is not None:
        return model
    return load_shipped_model()


def own_model(api_key_id: int):
    """The key's own active model, or None when it has none (``model_for`` then falls back)."""
    _refresh()
    return _stored(api_key_id)


def reload() -> None:
    """Forget every loaded model and look at the database on the next screening."""
    with _state.lock:
        _state.active.clear()
        _state.loaded.clear()
        _state.broken.clear()
        _state.checked = float("-inf")


def warm_up() -> None:
    """Load the site's model at start-up rather than on the first comment; a failure is logged, not raised.

    It may run before the server forks its workers or in a thread of its own: either way the database
    connection it opened is closed again, so no two workers share one and no thread leaves one open.
    """
    try:
        model_for(SITE)
    except Exception:  # noqa: BLE001 - screening holds comments until a model loads
        log.exception("spam model could not be loaded at start-up")
    finally:
        connections.close_all()
