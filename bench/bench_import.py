"""Import benchmark: a generated WordPress export of 100,000 comments into a fresh SQLite site.

Writes a WXR 1.2 file with --posts posts and --comments comments (a third top-level, the rest
replies at any depth, a quarter with some HTML, a few pending, spam and pingbacks), then runs
`tribuna import wordpress FILE` against a throwaway TRIBUNA_DATA_DIR and prints the wall time
and CPU time of the parse-and-write run (CPU time is the fair figure on a shared machine; it
includes the worker processes that convert the texts), comments per second, and the same for a
second run of the same import (which creates nothing). The target is a first import in under a
minute on a 2-core machine. Asserts nothing.

    .venv/bin/python bench/bench_import.py [--comments 100000] [--posts 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
TRIBUNA = ROOT / ".venv" / "bin" / "tribuna"
WORDS = (
    "budget transport housing council vote plan city park school water energy tax road bridge library "
    "agree disagree why because however clearly indeed question answer figure report"
).split()


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30))).capitalize() + "."


def comment_body(rng: random.Random) -> str:
    text = "\n".join(sentence(rng) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.25:
        text = f'<p>{sentence(rng)} <a href="https://example.org/{rng.randint(1, 999)}">source</a></p>\n<p><em>{text}</em></p>'
    return text


def generate(path: Path, comments: int, posts: int, rng: random.Random) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
            "<channel><title>Bench</title><link>https://bench.example.org</link>\n"
            "<wp:base_site_url>https://bench.example.org</wp:base_site_url>\n"
        )
        per_post = comments // posts
        next_id = 1
        for post in range(1, posts + 1):
            count = per_post if post < posts else comments - per_post * (posts - 1)
            out.write(
                f"<item><title>Post {post}</title><link>https://bench.example.org/p/{post}/</link>"
                f"<content:encoded><![CDATA[<p>{sentence(rng)}</p>]]></content:encoded>"
                f"<wp:post_id>{post}</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>"
                f"<wp:post_name>post-{post}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>\n"
            )
            first = next_id
            for n in range(count):
                cid = next_id
                next_id += 1
                parent = 0 if n < count // 3 or n == 0 else rng.randrange(first, cid)
                status = rng.choices(["1", "0", "spam"], weights=[94, 3, 3])[0]
                kind = "pingback" if rng.random() < 0.01 else ""
                out.write(
                    f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
                    f"<wp:comment_author>{escape(rng.choice(WORDS).title())} {n}</wp:comment_author>"
                    f"<wp:comment_author_email>reader{rng.randint(1, 5000)}@example.org</wp:comment_author_email>"
                    f"<wp:comment_author_IP>192.0.2.{rng.randint(1, 254)}</wp:comment_author_IP>"
                    f"<wp:comment_date_gmt>2020-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
                    f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00</wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[{comment_body(rng)}]]></wp:comment_content>"
                    f"<wp:comment_approved>{status}</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="tribuna-bench-import-"))
    env = {**os.environ, "TRIBUNA_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "tribuna.settings"}
    env.pop("DATABASE_URL", None)
    try:
        export = data_dir / "export.xml"
        generate(export, args.comments, args.posts, random.Random(args.seed))
        print(
            f"generated {export.stat().st_size / 1e6:.1f} MB, {args.comments:,} comments on {args.posts} posts"
        )
        subprocess.run([TRIBUNA, "migrate", "-v0"], env=env, check=True)
        for label in ("first import", "second import"):
            load = os.getloadavg()[0]  # what else the machine was running as the import started
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            result = subprocess.run(
                [TRIBUNA, "import", "wordpress", export], env=env, check=True, capture_output=True, text=True
            )
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(result.stdout.strip())
            # CPU time is what the import costs (the command and its conversion workers); wall time
            # also counts waiting for a busy machine.
            print(
                f"{label}: {elapsed:.1f} s wall, {cpu:.1f} s CPU, {args.comments / elapsed:,.0f} comments/s wall "
                f"(SQLite, {os.cpu_count()} CPUs, load average {load:.1f} before, {os.getloadavg()[0]:.1f} after)\n"
            )
    finally:
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
