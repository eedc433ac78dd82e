"""Load test: 50 reporters submitting 20 EST reports each through the real server.

    .venv/bin/python -m benchmarks.incident_load [--database sqlite|postgres|both]
        [--reporters 50] [--reports 20] [--workers 2] [--timeout 600]

For each database: a temporary SQLite file, or a throwaway PostgreSQL database
(`createdb -h 127.0.0.1 -U postgres mlbench_<pid>`, dropped at the end); `migrate`,
`collectstatic`, N reporter logins in Mullsjö (0642) with the default categories and
two places; gunicorn `medborgarlofte.wsgi` with 2 sync workers on a free 127.0.0.1 port
(login throttling off: 50 logins from one address would trip it). Then N threads, each
as a browser would: GET the login page (CSRF cookie and token), POST the login, and 20
times GET the report form (fresh CSRF token) and POST one report with a unique
description. Afterwards the database must hold every report exactly once. Prints
p50/p95 of the POSTs and of the whole GET+POST, the number of 5xx answers, the machine.
Bounded by --timeout; gunicorn is stopped and the temporary data removed at the end.
"""

import argparse
import http.client
import re
import threading
import time
import urllib.parse

from benchmarks import harness
from benchmarks.harness import HOST, log, manage, percentile

PASSWORD = "belastning-lösenord-2026"
MARKER = "lasttest"
SETUP = """
from medborgarlofte.accounts.models import Membership, User
from medborgarlofte.incidents.services import ensure_categories
from medborgarlofte.kommuner.models import Municipality, Place
k = Municipality.objects.get(code="0642")
ensure_categories(k)
Place.objects.get_or_create(municipality=k, name="Mullsjö centrum", defaults={"latitude": 57.9163, "longitude": 13.8786})
Place.objects.get_or_create(municipality=k, name="Stationsområdet", defaults={"latitude": 57.9176, "longitude": 13.877})
for i in range(%(n)d):
    u = User.objects.create_user(username=f"rapportor{i}", password=%(password)r)
    Membership.objects.create(user=u, municipality=k, role="reporter")
"""
CHECK = """
from django.db.models import Count
from medborgarlofte.incidents.models import Incident
rows = Incident.objects.filter(description__startswith=%(marker)r)
dupes = rows.values("description").annotate(n=Count("id")).filter(n__gt=1).count()
print(rows.count(), rows.values("description").distinct().count(), dupes)
"""
_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_OPTION = re.compile(rb'<select name="form-0-%s"[^>]*>.*?<option value="(\d+)"', re.S)


class Browser:
    """One reporter: cookies, CSRF, one HTTP connection (reconnects when closed)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {
            "Host": f"{HOST}:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"http://{HOST}:{self.port}",
                    "Referer": f"http://{HOST}:{self.port}{path}",
                }
            )
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                if attempt or method == "POST":
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.connection.close()
        return response.status, data


def reporter(index: int, port: int, reports: int, out: dict) -> None:
    browser = Browser(port)
    posts, rounds, statuses = [], [], []
    try:
        status, page = browser.request("GET", "/konto/logga-in/")
        token = _CSRF.search(page).group(1).decode()
        status, _ = browser.request(
            "POST",
            "/konto/logga-in/",
            {
                "csrfmiddlewaretoken": token,
                "username": f"rapportor{index}",
                "password": PASSWORD,
            },
        )
        statuses.append(status)
        for number in range(reports):
            began = time.monotonic()
            status, page = browser.request("GET", "/arbete/handelser/rapportera/0642/")
            statuses.append(status)
            token = _CSRF.search(page).group(1).decode()
            category = _OPTION.pattern % b"category"
            category = re.search(category, page, re.S).group(1).decode()
            place = re.search(_OPTION.pattern % b"place", page, re.S)
            form = {
                "csrfmiddlewaretoken": token,
                "organisation": "Lasttest AB",
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "0",
                "form-MIN_NUM_FORMS": "1",
                "form-MAX_NUM_FORMS": "20",
                "form-0-category": category,
                "form-0-place": place.group(1).decode() if place else "",
                "form-0-date": time.strftime("%Y-%m-%d"),
                "form-0-time_band": "evening",
                "form-0-description": f"{MARKER} {index}-{number}",
                "send": "1",
            }
            posted = time.monotonic()
            status, _ = browser.request("POST", "/arbete/handelser/rapportera/0642/", form)
            done = time.monotonic()
            statuses.append(status)
            posts.append(done - posted)
            rounds.append(done - began)
    except Exception as exc:  # noqa: BLE001 — counted and printed, never hidden
        out.setdefault("exceptions", []).append(f"reporter {index}: {exc!r}")
    out[index] = (posts, rounds, statuses)


def run_load(port: int, reporters: int, reports: int) -> dict:
    out: dict = {}
    threads = [
        threading.Thread(target=reporter, args=(i, port, reports, out)) for i in range(reporters)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out["seconds"] = time.monotonic() - started
    return out


def report(label: str, out: dict, stored: str, expected: int) -> None:
    posts = sorted(t for k, v in out.items() if isinstance(k, int) for t in v[0])
    rounds = sorted(t for k, v in out.items() if isinstance(k, int) for t in v[1])
    statuses = [s for k, v in out.items() if isinstance(k, int) for s in v[2]]
    count, distinct, dupes = (int(x) for x in stored.splitlines()[-1].split())
    errors = sum(1 for s in statuses if s >= 500)
    print(
        f"{label:<10} {len(posts)} reports in {out['seconds']:.1f} s ({len(posts) / out['seconds']:.0f}/s) · "
        f"POST p50 {percentile(posts, 0.5) * 1000:.0f} ms p95 {percentile(posts, 0.95) * 1000:.0f} ms · "
        f"GET+POST p50 {percentile(rounds, 0.5) * 1000:.0f} ms p95 {percentile(rounds, 0.95) * 1000:.0f} ms · "
        f"5xx {errors} · stored {count}/{expected}, distinct {distinct}, duplicated {dupes}"
        + (" · OK" if count == distinct == expected and not errors and not dupes else " · FAILED")
    )
    for line in out.get("exceptions", [])[:5]:
        print(f"{label:<10} {line}")


def run(database: str, args) -> None:
    with harness.temporary(database, prefix="medborgarlofte-load-") as (tmp, url):
        env = harness.environment(tmp, url, LOGIN_THROTTLING="0")
        log(f"{database}: migrate, collectstatic, {args.reporters} reporters …")
        harness.prepare(env, demo=False)
        manage(env, "shell", "-c", SETUP % {"n": args.reporters, "password": PASSWORD})
        with harness.gunicorn(env, tmp, workers=args.workers, up="/konto/logga-in/") as port:
            log(f"{database}: {args.reporters} reporters × {args.reports} reports …")
            out = run_load(port, args.reporters, args.reports)
        stored = manage(env, "shell", "-c", CHECK % {"marker": MARKER}, capture=True).strip()
        report(database, out, stored, args.reporters * args.reports)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--reporters", type=int, default=50)
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=600, help="overall limit in seconds")
    args = parser.parse_args()
    harness.alarm(args.timeout)  # bounded in time; the finally-blocks stop gunicorn, clean up
    print(f"machine: {harness.machine()}; gunicorn {args.workers} sync workers")
    for database in ["sqlite", "postgres"] if args.database == "both" else [args.database]:
        run(database, args)


if __name__ == "__main__":
    main()
