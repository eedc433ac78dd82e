"""Simultaneous submissions through a real multi-process server: none lost, none twice.

    .venv/bin/python -m benchmarks.concurrent_submissions [--database sqlite|postgres|both]
        [--submissions 200] [--reporters 20] [--twins 20] [--workers 4] [--threads 4]
        [--addresses N]
        [--database-url URL] [--json] [--timeout 900]

For each database: a fresh, migrated temporary SQLite file, or a throwaway PostgreSQL
database (`createdb -h 127.0.0.1 -U postgres mlsubmit_<pid>`, dropped at the end); or,
with --database-url, a database that is already migrated (kept; rows are marked with a
run id). Reporters (role reporter in Mullsjö 0642) are created; gunicorn serves
`medborgarlofte.wsgi` with --workers processes of --threads threads on a free 127.0.0.1
port. Then, each phase released at once from a barrier:

1. incidents: --submissions freshly loaded report forms (CSRF token and idempotency key),
   held by --reporters logged-in reporters (several tabs each: a login costs ~0.5 s of
   Argon2), post one EST report each at the same moment;
2. dialogues: --submissions residents, each holding the public form of Mullsjö, post one
   entry at the same moment, from --addresses client addresses (default: one each; the
   script is the trusted proxy and sends X-Forwarded-For, TRUSTED_PROXY_COUNT=1);
3. twins: one report form and one public form, each posted --twins times in parallel
   with the same body (same idempotency key): a double click, or a retry after a timeout.

Accepted = the success redirect (302 to "my reports" / the thanks page); refused = 429
(rate limit) or 503 with Retry-After (database busy), each a clear answer. Anything else
(500, 400, a dropped connection) is an error. Afterwards the database is counted: rows
must equal accepted answers, no text may be stored twice, each twin form exactly once.
Prints the counts, refusals by status and POST latency p50/p95; exits 1 on any failure.

Settings of the server: production-like (debug off, a random SECRET_KEY), HTTP on
127.0.0.1, TWO_FACTOR_REQUIRED=0 and LOGIN_THROTTLING=0 (many logins from one address),
SHARED_CACHE_URL a directory of the run (one rate-limit store for all workers), and
TRUSTED_PROXY_COUNT=1 so that each resident has an address of their own: the rate limit
of the public form (5 entries per address and hour) stays on and is never lifted.
"""

import argparse
import http.client
import json
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from benchmarks import harness
from benchmarks.harness import HOST, free_port, log, manage, percentile

KOMMUN = "0642"
PASSWORD = "samtidighet-lösenord-2026"
LOGIN = "/konto/logga-in/"
REPORT_FORM = f"/arbete/handelser/rapportera/{KOMMUN}/"
PUBLIC_FORM = f"/kommun/{KOMMUN}/tyck-till/"
ACCEPTED = 302
REFUSALS = {429, 503}

SETUP = """
from django.contrib.auth.hashers import make_password
from medborgarlofte.accounts.models import Membership, User
from medborgarlofte.incidents.services import ensure_categories
from medborgarlofte.kommuner.models import Municipality, Place
k = Municipality.objects.get(code=%(kommun)r)
ensure_categories(k)
Place.objects.get_or_create(municipality=k, name="Mullsjö centrum",
                            defaults={"latitude": 57.9163, "longitude": 13.8786})
password = make_password(%(password)r)  # hashed once: the same for every reporter
users = User.objects.bulk_create(
    [User(username=f"{%(prefix)r}{i}", password=password) for i in range(%(n)d)]
)
Membership.objects.bulk_create(
    [Membership(user=u, municipality=k, role="reporter") for u in users]
)
"""
COUNT = """
import json
from django.db.models import Count
from medborgarlofte.dialogues.models import DialogueEntry
from medborgarlofte.incidents.models import Incident, Report

def counts(rows, field):
    repeated = rows.values(field).annotate(n=Count("id")).filter(n__gt=1).count()
    return {"rows": rows.count(), "repeated": repeated}

marker = %(marker)r
print(json.dumps({
    "incidents": counts(Incident.objects.filter(description__startswith=marker + " "), "description"),
    "reports": Report.objects.filter(organisation=marker).count(),
    "dialogues": counts(DialogueEntry.objects.filter(text__startswith=marker + " "), "text"),
    "incident_twins": Incident.objects.filter(description=marker + "-twin").count(),
    "dialogue_twins": DialogueEntry.objects.filter(text=marker + "-twin").count(),
}))
"""
_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(rb'name="idempotency_key" value="([^"]+)"')
_CATEGORY = re.compile(rb'<select name="form-0-category"[^>]*>.*?<option value="(\d+)"', re.S)


def server_environment(tmp: Path, database_url: str) -> dict:
    """Production-like settings for a server on 127.0.0.1 (see the module docstring)."""
    return harness.environment(
        tmp,
        database_url,
        MEDBORGARLOFTE_MANIFEST_STATIC="0",
        SHARED_CACHE_URL=f"file://{tmp / 'cache'}",
        TRUSTED_PROXY_COUNT="1",
        TWO_FACTOR_REQUIRED="0",
        LOGIN_THROTTLING="0",
    )


class Browser:
    """One person: cookies, one connection per request (as gunicorn closes them)."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-For": self.address,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=300)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _sep, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), data


def _token(pattern, page: bytes) -> str:
    found = pattern.search(page)
    if found is None:
        raise RuntimeError(f"no {pattern.pattern[:30]!r} on the page")
    return found.group(1).decode()


class Reporter(Browser):
    """A logged-in reporter who opens several report forms (tabs) at once."""

    def __init__(self, port: int, address: str, username: str):
        super().__init__(port, address)
        self.username = username
        self.lock = threading.Lock()
        self.logged_in = False

    def login(self) -> None:
        with self.lock:  # once, however many forms this reporter fills
            if self.logged_in:
                return
            _s, _l, page = self.request("GET", LOGIN)
            form = {"csrfmiddlewaretoken": _token(_CSRF, page), "username": self.username}
            status, _l, _b = self.request("POST", LOGIN, {**form, "password": PASSWORD})
            if status != 302:
                raise RuntimeError(f"login of {self.username} answered {status}")
            self.logged_in = True


def incident_form(reporter: Reporter) -> tuple[dict, str]:
    """Log in (once), load the report form; the filled form (without description) to post."""
    reporter.login()
    status, _l, page = reporter.request("GET", REPORT_FORM)
    if status != 200:
        raise RuntimeError(f"report form answered {status}")
    form = {
        "csrfmiddlewaretoken": _token(_CSRF, page),
        "idempotency_key": _token(_KEY, page),
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "1",
        "form-MAX_NUM_FORMS": "20",
        "form-0-category": _token(_CATEGORY, page),
        "form-0-date": time.strftime("%Y-%m-%d"),
        "form-0-time_band": "evening",
        "send": "1",
    }
    return form, "/arbete/handelser/mina/"


def public_form(browser: Browser) -> tuple[dict, str]:
    status, _l, page = browser.request("GET", PUBLIC_FORM)
    if status != 200:
        raise RuntimeError(f"public form answered {status}")
    form = {
        "csrfmiddlewaretoken": _token(_CSRF, page),
        "idempotency_key": _token(_KEY, page),
        "area": "Stationen",
        "website": "",
    }
    return form, f"{PUBLIC_FORM}tack/"


def fire(jobs: list, timeout: float) -> list[dict]:
    """jobs: (prepare, post) pairs. Prepare all in parallel, then post all at once."""
    results: list[dict] = [{} for _ in jobs]
    barrier = threading.Barrier(len(jobs) + 1)

    def run(index, prepare, post):
        out = results[index]
        try:
            state = prepare()
        except Exception as exc:  # noqa: BLE001 — counted as an error, never hidden
            out["error"] = f"prepare: {exc!r}"
            state = None
        try:
            barrier.wait(timeout=timeout)
        except threading.BrokenBarrierError:
            out.setdefault("error", "barrier broken")
            return
        if state is None:
            return
        began = time.monotonic()
        try:
            status, location, _body = post(state)
            out.update(status=status, location=location)
        except Exception as exc:  # noqa: BLE001
            out["error"] = f"post: {exc!r}"
        out["seconds"] = time.monotonic() - began

    threads = [threading.Thread(target=run, args=(i, *job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=timeout)
    for thread in threads:
        thread.join(timeout + 60)
    return results


def incident_jobs(port, prefix, marker, count, reporters, twins):
    people = [Reporter(port, f"10.1.0.{i % 250 + 1}", f"{prefix}{i}") for i in range(reporters)]
    jobs = []
    for i in range(count):
        reporter = people[i % reporters]

        def prepare(reporter=reporter, i=i):
            form, success = incident_form(reporter)
            form.update({"organisation": marker, "form-0-description": f"{marker} {i}"})
            return form, success

        jobs.append((prepare, _poster(reporter, REPORT_FORM)))
    twin = Reporter(port, "10.2.0.1", f"{prefix}{reporters}")
    shared: dict = {}
    lock = threading.Lock()

    def prepare_twin():
        with lock:  # one form, loaded once, posted by every twin
            if not shared:
                form, success = incident_form(twin)
                form.update({"organisation": marker, "form-0-description": f"{marker}-twin"})
                shared["state"] = (form, success)
        return shared["state"]

    twin_jobs = [(prepare_twin, _poster(twin, REPORT_FORM)) for _ in range(twins)]
    return jobs, twin_jobs


def dialogue_jobs(port, marker, count, twins, addresses):
    jobs = []
    for i in range(count):
        browser = Browser(port, f"10.3.{(i % addresses) // 250}.{(i % addresses) % 250 + 1}")

        def prepare(browser=browser, i=i):
            form, success = public_form(browser)
            form["text"] = f"{marker} {i}: mörkt och otryggt vid stationen på kvällen"
            return form, success

        jobs.append((prepare, _poster(browser, PUBLIC_FORM)))
    twin_browser = Browser(port, "10.4.0.1")
    shared: dict = {}
    lock = threading.Lock()

    def prepare_twin():
        with lock:
            if not shared:
                form, success = public_form(twin_browser)
                form["text"] = f"{marker}-twin"
                shared["state"] = (form, success)
        return shared["state"]

    twin_jobs = [(prepare_twin, _poster(twin_browser, PUBLIC_FORM)) for _ in range(twins)]
    return jobs, twin_jobs


def _poster(browser: Browser, path: str):
    def post(state):
        form, success = state
        status, location, body = browser.request("POST", path, form)
        if status == ACCEPTED and urllib.parse.urlsplit(location).path != success:
            status = -status  # a redirect elsewhere (e.g. to the login page) is no success
        return status, location, body

    return post


def tally(results: list[dict]) -> dict:
    statuses: dict[str, int] = {}
    for out in results:
        key = str(out.get("status", "exception"))
        statuses[key] = statuses.get(key, 0) + 1
    times = sorted(out["seconds"] for out in results if "seconds" in out)
    return {
        "posted": len(results),
        "accepted": sum(1 for out in results if out.get("status") == ACCEPTED),
        "refused": {k: v for k, v in statuses.items() if k.isdigit() and int(k) in REFUSALS},
        "errors": sum(
            n for k, n in statuses.items() if not (k.isdigit() and int(k) in {ACCEPTED, *REFUSALS})
        ),
        "statuses": statuses,
        "p50_ms": round(percentile(times, 0.5) * 1000, 1) if times else None,
        "p95_ms": round(percentile(times, 0.95) * 1000, 1) if times else None,
        "examples": sorted({out["error"] for out in results if "error" in out})[:3],
    }


def verdict(result: dict) -> list[str]:
    """Every broken promise, in words; empty when all held."""
    problems = []
    stored = result["stored"]
    for kind, rows in (("incidents", stored["incidents"]), ("dialogues", stored["dialogues"])):
        phase = result[kind]
        if rows["rows"] != phase["accepted"]:
            problems.append(f"{kind}: {rows['rows']} rows for {phase['accepted']} accepted")
        if rows["repeated"]:
            problems.append(f"{kind}: {rows['repeated']} texts stored more than once")
        if phase["errors"]:
            problems.append(f"{kind}: {phase['errors']} answers neither success nor refusal")
    if stored["reports"] != result["incidents"]["accepted"] + (stored["incident_twins"] > 0):
        problems.append(f"incidents: {stored['reports']} reports stored")
    for kind in ("incident_twins", "dialogue_twins"):
        phase = result[kind]
        if phase["errors"]:
            problems.append(f"{kind}: {phase['errors']} answers neither success nor refusal")
        expected = 1 if phase["accepted"] else stored[kind]
        if stored[kind] != expected or stored[kind] > 1:
            problems.append(f"{kind}: {stored[kind]} rows from one form posted {phase['posted']}×")
    return problems


def run(kind: str, args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="medborgarlofte-submissions-"))
    dbname, process = None, None
    marker = f"samtidig-{secrets.token_hex(4)}"
    prefix = f"r{secrets.token_hex(3)}-"
    try:
        url = args.database_url
        if not url:
            url, dbname = harness.create_database(kind, "mlsubmit")
        env = server_environment(tmp, url)
        if not args.database_url:
            log(f"{kind}: migrate …")
            manage(env, "migrate", "--no-input")
        n = args.reporters + 1
        manage(env, "shell", "-c", SETUP % {"kommun": KOMMUN, "password": PASSWORD, "prefix": prefix, "n": n})  # fmt: skip
        port = free_port()
        process = harness.start_gunicorn(
            env, port, args.workers, tmp, threads=args.threads, timeout=120
        )
        harness.wait_until_up(port, process, LOGIN)
        reporters = max(1, min(args.reporters, args.submissions))
        incidents, incident_twins = incident_jobs(
            port, prefix, marker, args.submissions, reporters, args.twins
        )
        dialogues, dialogue_twins = dialogue_jobs(
            port, marker, args.submissions, args.twins, args.addresses or args.submissions
        )
        result = {"database": kind, "marker": marker}
        for name, jobs in (
            ("incidents", incidents),
            ("dialogues", dialogues),
            ("incident_twins", incident_twins),
            ("dialogue_twins", dialogue_twins),
        ):
            log(f"{kind}: {name}: {len(jobs)} posts at once …")
            started = time.monotonic()
            result[name] = tally(fire(jobs, args.timeout))
            result[name]["seconds"] = round(time.monotonic() - started, 1)
        harness.stop_gunicorn(process)
        counted = manage(env, "shell", "-c", COUNT % {"marker": marker}, capture=True)
        result["stored"] = json.loads(counted.strip().splitlines()[-1])
        result["problems"] = verdict(result)
        log_file = tmp / "gunicorn.log"
        result["server_errors_logged"] = (
            log_file.read_text(errors="replace").count("Traceback") if log_file.exists() else 0
        )
        return result
    finally:
        if process is not None:
            harness.stop_gunicorn(process)
        harness.drop_database(dbname)
        shutil.rmtree(tmp, ignore_errors=True)


def show(result: dict, args) -> None:
    kind = result["database"]
    print(f"{kind}: gunicorn {args.workers} workers × {args.threads} threads; {harness.machine()}")
    stored = result["stored"]
    rows = {
        "incidents": stored["incidents"]["rows"],
        "dialogues": stored["dialogues"]["rows"],
        "incident_twins": stored["incident_twins"],
        "dialogue_twins": stored["dialogue_twins"],
    }
    print(
        f"  {'phase':<15} {'posted':>6} {'accepted':>8} {'rows':>5}  refused   errors  p50 / p95 ms"
    )
    for name, phase in result.items():
        if name not in rows:
            continue
        refused = ", ".join(f"{k}×{v}" for k, v in phase["refused"].items()) or "-"
        print(
            f"  {name:<15} {phase['posted']:>6} {phase['accepted']:>8} {rows[name]:>5}  "
            f"{refused:<9} {phase['errors']:>6}  {phase['p50_ms']} / {phase['p95_ms']}"
        )
        for example in phase["examples"]:
            print(f"    {example}")
    print(f"  tracebacks in the server log: {result['server_errors_logged']}")
    print("  " + ("OK" if not result["problems"] else "FAILED: " + "; ".join(result["problems"])))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--twins", type=int, default=20)
    parser.add_argument(
        "--reporters", type=int, default=20, help="reporters sharing the incident submissions"
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--addresses", type=int, default=0, help="default: one per resident")
    parser.add_argument("--database-url", default="", help="an already migrated database")
    parser.add_argument("--json", action="store_true", help="one JSON line per database")
    parser.add_argument("--timeout", type=int, default=900, help="overall limit in seconds")
    args = parser.parse_args()

    harness.alarm(args.timeout)  # the finally-blocks stop gunicorn and remove the data
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    if args.database_url:
        kinds = ["postgres" if args.database_url.startswith("postgres") else "sqlite"]
    failed = False
    for kind in kinds:
        result = run(kind, args)
        failed = failed or bool(result["problems"])
        print(json.dumps(result)) if args.json else show(result, args)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
