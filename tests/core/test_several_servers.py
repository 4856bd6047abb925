"""Two app servers and a worker on one PostgreSQL and one Redis share what they must.

Sessions, edit tokens, form tokens, rate limits and fresh pages must not depend on which app
server a request reaches. Needs PostgreSQL and Redis on 127.0.0.1 (CI starts both; elsewhere the
test is skipped unless TRIBUNA_TEST_SERVICES=required).
"""

from __future__ import annotations

import http.cookies
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from email.message import Message
from pathlib import Path

import pytest

from tests.servers import ROOT, Server, create_statement, stop_process, tribuna, tribuna_env

pytestmark = pytest.mark.slow

PG = os.environ.get("TRIBUNA_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TRIBUNA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def services():
    if not (reachable(5432) and reachable(6379)):
        if os.environ.get("TRIBUNA_TEST_SERVICES") == "required":
            pytest.fail("PostgreSQL and Redis must be running on 127.0.0.1")
        pytest.skip("needs PostgreSQL and Redis on 127.0.0.1")


@pytest.fixture
def database(services):
    """A PostgreSQL database of its own, dropped afterwards."""
    import psycopg

    name = f"tribuna_nodes_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield PG.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cookies_of(headers: Message) -> dict[str, str]:
    jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def test_two_app_servers_and_a_worker_share_sessions_tokens_limits_and_pages(tmp_path, database):
    client_ip = f"198.51.100.{secrets.randbelow(250) + 1}"  # one reader, seen through our "proxy"
    env = tribuna_env(
        tmp_path,
        DATABASE_URL=database,
        REDIS_URL=REDIS_URL,
        TRIBUNA_RATE_IP="6",
        TRIBUNA_TRUSTED_PROXIES="127.0.0.1/32",
        TRIBUNA_WORKER_INTERVAL="0.3",
        TRIBUNA_POW="0",  # a script, not a browser: no proof of work, which would hold its comments
    )
    migrated = tribuna(env, "migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    slug = f"nodes-{uuid.uuid4().hex[:8]}"
    create_statement(env, slug)
    made = tribuna(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.create_superuser('chief', 'chief@example.org', 'correct horse battery')",
    )
    assert made.returncode == 0, made.stderr
    as_reader = {"X-Forwarded-For": client_ip}

    with Server(env, "--workers", "2") as a, Server(env, "--workers", "2") as b:
        worker = subprocess.Popen(
            [sys.executable, "-m", "tribuna.cli", "worker", "--loop"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            # A session made on A is good on B.
            status, headers, page = a.request("GET", "/admin/login/")
            cookies = cookies_of(headers)
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
            form = (
                f"csrfmiddlewaretoken={token}&username=chief&password=correct+horse+battery&next=/moderation/"
            )
            status, headers, _ = a.request(
                "POST",
                "/admin/login/",
                form,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie_header(cookies),
                    **as_reader,
                },
            )
            assert status == 302, "sign-in on A failed"
            cookies.update(cookies_of(headers))
            assert b.request("GET", "/moderation/", headers={"Cookie": cookie_header(cookies)})[0] == 200

            # A form token from A is accepted on B, and B's page is fresh for A's reader.
            page_etag = a.request("GET", f"/api/v1/comments?thread={slug}")[1]["etag"]
            form_token = json_of(a.request("GET", "/api/v1/form-token"))["form_token"]
            time.sleep(2.1)  # a form sent faster than a person writes is a bot's
            status, _, body = b.post_json(
                "/api/v1/comments",
                {
                    "thread": slug,
                    "name": "Ada",
                    "email": "ada@example.org",
                    "notify": "replies",
                    "text": f"A question about the second section of this statement ({slug}).",
                    "form_token": form_token,
                },
                as_reader,
            )
            assert status == 201, body
            posted = json_of((status, None, body))
            reasons = tribuna(
                env,
                "shell",
                "-c",
                "from tribuna.discussion.models import Comment; "
                f"print(Comment.objects.get(pk={posted['id']}).spam_reasons)",
            ).stdout
            assert "form timestamp" not in reasons
            status, headers, listing = a.request("GET", f"/api/v1/comments?thread={slug}")
            assert posted["status"] == "approved", posted
            assert headers["etag"] != page_etag
            assert b"A question about the second section" in listing

            # An edit token from B edits on A.
            status, _, body = a.request(
                "PATCH",
                f"/api/v1/comments/{posted['id']}",
                json.dumps(
                    {
                        "text": "A sharper question about the second section.",
                        "edit_token": posted["edit_token"],
                    }
                ),
                {"Content-Type": "application/json", "X-Tribuna": "1", **as_reader},
            )
            assert status == 200, body

            # One limit across both servers: 6 a minute from this reader, post and edit counted alike.
            statuses = []
            for n in range(8):
                server = (a, b)[n % 2]
                statuses.append(
                    server.post_json(
                        "/api/v1/comments",
                        {
                            "thread": slug,
                            "name": "Ada",
                            "text": f"Follow-up number {n} on the budget of {slug}.",
                        },
                        as_reader,
                    )[0]
                )
            assert statuses.count(201) == 4 and statuses.count(429) == 4, statuses

            # The worker, on the same database, sends the confirmation asked for on B.
            mail = Path(env["TRIBUNA_DATA_DIR"]) / "mail"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not any(mail.glob("*")):
                time.sleep(0.3)
            sent = "".join(path.read_text(errors="replace") for path in mail.glob("*"))
            assert "ada@example.org" in sent
        finally:
            stop_process(worker)


def json_of(answer: tuple[int, Message | None, bytes]) -> dict:
    return json.loads(answer[2])
