"""Benchmark: does password reset answer as fast for an unknown address as for a known one?

    .venv/bin/python -m benchmarks.password_reset_timing [--requests 20]

Security finding 4 (issue 11): the mail was sent inline, so a known address took 57 ms and
an unknown one 7 ms. Now the mail is built and sent after the response. This starts
gunicorn (benchmarks.harness) on a temporary SQLite database with N accounts, with a
mail backend that takes 50 ms per mail (benchmarks.slow_mail), then posts the reset
form N times for known addresses (each a different account, so the per-account limit of
three mails an hour never applies) and N times for unknown ones, alternating, each from
another client address (X-Forwarded-For behind one trusted proxy, so the per-address
limit never applies), 150 ms apart so the worker has finished sending. Prints the median
and p90 of each and their difference. Talks to 127.0.0.1 only.
"""

import argparse
import http.client
import re
import statistics
import time
from urllib.parse import urlencode

from benchmarks import harness
from benchmarks.harness import HOST, manage

RESET = "/konto/aterstall/"


def _post(port: int, email: str, address: str) -> tuple[int, float]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    headers = {"Host": HOST, "X-Forwarded-For": address}
    connection.request("GET", RESET, headers=headers)
    page = connection.getresponse()
    body = page.read().decode()
    cookie = page.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    connection.close()
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    form = urlencode({"csrfmiddlewaretoken": token, "email": email})
    headers |= {
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://{HOST}:{port}{RESET}",
    }
    start = time.perf_counter()
    connection.request("POST", RESET, body=form, headers=headers)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    return response.status, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    with harness.temporary() as (tmp, url):
        env = harness.environment(
            tmp,
            url,
            EMAIL_BACKEND="benchmarks.slow_mail.SlowBackend",
            TRUSTED_PROXY_COUNT="1",
            SHARED_CACHE_URL=f"file://{tmp / 'cache'}",
        )
        harness.prepare(env)
        harness.log("make accounts …")
        manage(
            env,
            "shell",
            "-c",
            "from medborgarlofte.accounts.models import User\n"
            f"for i in range({args.requests}):\n"
            "    User.objects.create_user(f'konto{i}', f'konto{i}@example.se', 'x')",
        )
        with harness.gunicorn(env, tmp, workers=2, up=RESET) as port:
            known, unknown, statuses = [], [], set()
            for index in range(args.requests):
                for email, times in (
                    (f"konto{index}@example.se", known),
                    (f"okand{index}@example.se", unknown),
                ):
                    status, elapsed = _post(port, email, f"198.18.{index}.{len(times) + 1}")
                    statuses.add(status)
                    times.append(elapsed * 1000)
                    time.sleep(0.15)
    known.sort()
    unknown.sort()
    print(f"machine: {harness.machine()}")
    print(f"statuses: {sorted(statuses)} (302 expected)")
    for name, values in (("known address", known), ("unknown address", unknown)):
        p90 = values[int(0.9 * (len(values) - 1))]
        print(f"{name:16} median {statistics.median(values):6.1f} ms   p90 {p90:6.1f} ms")
    difference = abs(statistics.median(known) - statistics.median(unknown))
    print(f"median difference {difference:.1f} ms (bar: under 5 ms; the mail takes 50 ms)")


if __name__ == "__main__":
    main()
