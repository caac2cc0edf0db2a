"""The admin's "Data health" page, request by request, in one process.

    DATABASE_URL=sqlite:////tmp/lmsite-bench.sqlite3 .venv/bin/python bench/health.py [runs]

Django's test client with a superuser ("bench-health", created if missing) on the full demo data
(`load_demo`): the rules alone (`health.all_findings()`), then the page after a cleared cache,
`runs` requests more with the data unchanged, the first request after a write (the data version
advances) and the first after an explanation is added (and removed again). Prints each time in
milliseconds, p50 and p95 of the repeated requests, with the load average at the start and end.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmsite.settings")
os.environ.setdefault("DJANGO_STATIC_PLAIN", "1")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from races import health, writes  # noqa: E402
from races.models import FindingExplanation  # noqa: E402


def load():
    return Path("/proc/loadavg").read_text().split()[0]


def timed(function):
    start = time.perf_counter()
    result = function()
    return (time.perf_counter() - start) * 1000, result


def main(runs):
    user = User.objects.filter(username="bench-health").first()
    if user is None:
        user = User.objects.create_superuser("bench-health", password=None)
    client = Client(headers={"host": "localhost"})
    client.force_login(user)
    url = reverse("admin:races_findingexplanation_health")

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    print(f"data health page, {runs} runs after the first; load {load()}")
    elapsed, findings = timed(health.all_findings)
    print(f"{'the rules alone (all_findings)':44} {elapsed:8.1f} ms  {len(findings)} findings")
    cache.clear()
    elapsed, _ = timed(page)
    print(f"{'first request, empty cache':44} {elapsed:8.1f} ms")
    times = sorted(timed(page)[0] for _ in range(runs))
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{'next requests, data unchanged: p50':44} {statistics.median(times):8.1f} ms")
    print(f"{'next requests, data unchanged: p95':44} {p95:8.1f} ms")
    writes.record_change()
    elapsed, _ = timed(page)
    print(f"{'first request after a write':44} {elapsed:8.1f} ms")
    elapsed, _ = timed(page)
    print(f"{'the request after that':44} {elapsed:8.1f} ms")
    explained = set(FindingExplanation.objects.values_list("rule", "key"))
    finding = next(f for f in findings if (f.rule, f.key) not in explained)
    explanation = FindingExplanation.objects.create(
        rule=finding.rule, key=finding.key, reason="Benchmark.", explained_by=user
    )
    try:
        elapsed, _ = timed(page)
        print(f"{'first request after an explanation':44} {elapsed:8.1f} ms")
    finally:
        explanation.delete()
    print(f"load at the end {load()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
