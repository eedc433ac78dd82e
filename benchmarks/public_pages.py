"""Benchmark: every public page beside a static file, served by gunicorn as in production.

    .venv/bin/python -m benchmarks.public_pages [--seconds 10] [--workers 2] [--clients 4]
                                               [--only agreement,follow-up]

Self-contained (benchmarks.harness): a temporary SQLite database and STATIC_ROOT,
`migrate`, `collectstatic`, `load_demo` (Mullsjö 2024, published, with a follow-up),
gunicorn (`medborgarlofte.wsgi`, sync workers as in docs/deploy.md) on a free 127.0.0.1
port. In that one server run it loads, one after the other, the static CSS file and each
public page for N seconds from separate client processes (keep-alive http.client; the
sync worker closes after each response and the client reconnects), then each page again
with the validator it sent (`If-None-Match`, expecting 304: what a proxy or CDN in front
costs the server when revalidating). Prints requests/s, p50/p99 and the ratio to the
static file's requests/s, and the machine with its load average. Talks to 127.0.0.1 only;
stops gunicorn and deletes the temporary directory at the end.
"""

import argparse
import http.client

from benchmarks import harness

STATIC = ("static file", "/static/css/site.css")
PAGES = [
    ("start", "/"),
    ("kommun search", "/?q=m"),
    ("kommun page", "/kommun/0642/"),
    ("agreement", "/kommun/0642/medborgarlofte/2024/"),
    ("why", "/kommun/0642/medborgarlofte/2024/varfor/"),
    ("follow-up", "/kommun/0642/medborgarlofte/2024/uppfoljning/"),
    ("statistics", "/kommun/0642/statistik/"),
    ("feed (kommun)", "/kommun/0642/uppfoljning.atom"),
    ("feed (national)", "/uppfoljning.atom"),
    ("open data CSV", "/kommun/0642/medborgarlofte/2024/uppfoljning.csv"),
    ("open data JSON", "/kommun/0642/medborgarlofte/2024/uppfoljning.json"),
    ("API agreement", "/api/v1/public/agreements/0642/2024/"),
    ("API follow-up", "/api/v1/public/followup/0642/2024/"),
    ("PDF follow-up", "/kommun/0642/medborgarlofte/2024/uppfoljning.pdf"),
]
TARGET_SHARE = 0.25  # of the static file's requests/s (issue 17)
TARGET_P99_MS = 50


def validator(port: int, path: str) -> tuple[dict, str]:
    """The conditional headers a cache would send for `path`, and what the page sent."""
    connection = http.client.HTTPConnection(harness.HOST, port, timeout=30)
    status, _body, response = harness.get(connection, path)
    connection.close()
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    sent = {
        "cache-control": response.getheader("Cache-Control", "-"),
        "etag": response.getheader("ETag", ""),
        "last-modified": response.getheader("Last-Modified", ""),
        "set-cookie": response.getheader("Set-Cookie", ""),
    }
    if sent["etag"]:
        return {"If-None-Match": sent["etag"]}, sent
    if sent["last-modified"]:
        return {"If-Modified-Since": sent["last-modified"]}, sent
    return {}, sent


def row(name: str, result: harness.Load, static_rps: float) -> str:
    share = result.rps / static_rps if static_rps else float("nan")
    return (
        f"| {name} | {result.rps:,.0f} | {result.ms(0.5):.1f} ms | {result.ms(0.99):.1f} ms "
        f"| {share:.2f} | {result.errors} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="per page (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--clients", type=int, default=4, help="client processes (default 4)")
    parser.add_argument("--warmup", type=float, default=1, help="seconds of warm-up per page")
    parser.add_argument("--only", default="", help="comma-separated page names (default all)")
    parser.add_argument("--no-conditional", action="store_true", help="skip the If-None-Match pass")
    args = parser.parse_args()
    pages = [p for p in PAGES if not args.only or p[0] in args.only.split(",")]

    full, conditional, headers_seen = [], [], {}
    with harness.temporary() as (tmp, url):
        env = harness.environment(tmp, url)
        harness.prepare(env)
        with harness.gunicorn(env, tmp, workers=args.workers, up=PAGES[3][1]) as port:
            before = harness.load_average()

            def measure(name, path, headers=None, expect=200):
                harness.log(f"{name}: {path} for {args.seconds:g} s …")
                return harness.load(
                    port, path, args.seconds, args.clients, args.warmup,
                    headers=headers, expect=expect,
                )  # fmt: skip

            static = measure(*STATIC)
            for name, path in pages:
                full.append((name, path, measure(name, path)))
            if not args.no_conditional:
                for name, path in pages:
                    headers, sent = validator(port, path)
                    headers_seen[name] = sent
                    if headers:
                        conditional.append((name, path, measure(name, path, headers, 304)))
            after = harness.load_average()

    print(f"machine  {harness.machine()} (before the run: {before}; after: {after})")
    print(
        f"server   gunicorn, {args.workers} sync workers, SQLite, demo data; "
        f"{args.clients} keep-alive clients on the same machine, {args.seconds:g} s per page"
    )
    print()
    print("| page | requests/s | p50 | p99 | share of static | errors |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(row(STATIC[0], static, static.rps))
    for name, _path, result in full:
        print(row(name, result, static.rps))
    if conditional:
        print()
        print("conditional requests (If-None-Match → 304):")
        print()
        print("| page | requests/s | p50 | p99 | share of static | errors |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, _path, result in conditional:
            print(row(name, result, static.rps))
    if headers_seen:
        print()
        for name, sent in headers_seen.items():
            cookie = "Set-Cookie!" if sent["set-cookie"] else "no cookie"
            print(f"{name:<16} {sent['cache-control']}; ETag {sent['etag'] or '-'}; {cookie}")
    print()
    misses = [
        name
        for name, _path, r in full
        if r.rps < TARGET_SHARE * static.rps or r.ms(0.99) >= TARGET_P99_MS
    ]
    print(
        f"target   ≥ {TARGET_SHARE} × static requests/s and p99 < {TARGET_P99_MS} ms: "
        + ("all pages meet it" if not misses else "not met by " + ", ".join(misses))
    )


if __name__ == "__main__":
    main()
