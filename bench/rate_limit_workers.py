"""How many posts from one address `tribuna serve` accepts against the per-client limit.

Starts the production server on a throwaway SQLite site (its default worker count, or
WORKERS processes), sends POSTS comments from one address as fast as it can, and prints how
many got 201 against TRIBUNA_RATE_IP. With counters shared by every worker the numbers match.

    .venv/bin/python bench/rate_limit_workers.py [POSTS] [WORKERS]
"""

from __future__ import annotations

import http.client
import json
import sys
from concurrent.futures import ThreadPoolExecutor

from lib import HOST, TRIBUNA, free_port, start, temp_dir, tribuna, tribuna_env, wait_http

SLUG = "rate-limit-statement"
CREATE_STATEMENT = f"""
from django.utils import timezone
from tribuna.statements.models import Body, Statement
body = Body.objects.create(name="Council", slug="council")
statement = Statement.objects.create(slug="{SLUG}", title="Rates", body=body, text="Text.",
                                     status=Statement.Status.PUBLISHED, published_at=timezone.now())
from tribuna.discussion.services import thread_for_statement
thread_for_statement(statement)
"""

def post(port: int, number: int) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        body = json.dumps({"thread": SLUG, "name": "Flooder", "text": f"Comment number {number} about the rates."})
        conn.request("POST", "/api/v1/comments", body=body,
                     headers={"Content-Type": "application/json", "X-Tribuna": "1"})
        return conn.getresponse().status
    finally:
        conn.close()

def main() -> None:
    posts = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    workers = sys.argv[2:3]
    data_dir = temp_dir("tribuna-rate-")
    port = free_port()
    env = tribuna_env(data_dir, port)
    tribuna(env, "migrate", "-v0")
    tribuna(env, "shell", "-c", CREATE_STATEMENT)
    serve = ["serve", "--no-migrate", "--bind", f"{HOST}:{port}", *(["--workers", workers[0]] if workers else [])]

    proc = start([str(TRIBUNA), *serve], env=env, log=data_dir / "serve.log")
    wait_http(port, "/api/v1/openapi.json", proc=proc)
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda n: post(port, n), range(posts)))
    limit = env.get("TRIBUNA_RATE_IP", "10")
    print(f"tribuna serve, {workers[0] + ' workers' if workers else 'default workers'}: "
          f"{statuses.count(201)} of {posts} posts from one address "
          f"accepted against a limit of {limit} a minute; other answers: "
          f"{sorted({s: statuses.count(s) for s in statuses if s != 201}.items())}")

if __name__ == "__main__":
    main()
