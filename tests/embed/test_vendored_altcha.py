"""The ALTCHA widget served from static/ is the one package-lock.json pins (scripts/vendor-altcha.sh)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENDORED = ROOT / "src" / "tribuna" / "static" / "tribuna" / "vendor" / "altcha"
PACKAGE = ROOT / "node_modules" / "altcha"
COPIES = {
    "altcha.js": "dist/external/altcha.min.js",
    "altcha.css": "dist/external/altcha.css",
    "pbkdf2-worker.js": "dist/workers/pbkdf2.js",
    "LICENSE.txt": "LICENSE.txt",
}


def test_the_vendored_version_is_the_pinned_one():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert (VENDORED / "VERSION").read_text().strip() == lock["packages"]["node_modules/altcha"]["version"]
    assert "MIT License" in (VENDORED / "LICENSE.txt").read_text()


@pytest.mark.skipif(not PACKAGE.is_dir(), reason="node_modules/altcha is installed by `npm ci` (make test)")
def test_the_vendored_files_are_the_packages_own():
    for vendored, original in COPIES.items():
        assert (VENDORED / vendored).read_bytes() == (PACKAGE / original).read_bytes(), vendored
