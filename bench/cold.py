"""Cache misses in one process: each benchmark page rendered with an empty page cache.

    DATABASE_URL=sqlite:////tmp/lmsite-bench.sqlite3 .venv/bin/python bench/cold.py [runs]

Django's test client, the whole middleware stack (the version query, the render, storing the
entry); the cache is cleared before every request. The first request of each page is left out
(it fills the connection and template caches). Prints p50 and p95 per page, then the sitemap
index and each of its sections once, with the load average at the start and the end.
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmsite.settings")
os.environ.setdefault("DJANGO_STATIC_PLAIN", "1")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = [
    ("home", "/"),
    ("series list", "/series/"),
    ("season calendar (LMS 2011)", "/series/le-mans-series/2011/"),
    ("round: Le Mans 2011", "/series/24-hours-of-le-mans/2011/24-hours-of-le-mans/"),
    ("round: Estoril 2011", "/series/le-mans-series/2011/6-hours-of-estoril/"),
    ("standings (LMS 2011)", "/series/le-mans-series/2011/standings/"),
    ("driver: Pierre Kaffer", "/drivers/pierre-kaffer/"),
    ("driver: Henri Pescarolo", "/drivers/henri-pescarolo/"),
    ("driver list", "/drivers/"),
    ("team list", "/teams/"),
    ("search: perez", "/search/?q=perez"),
    ("German: Le Mans 2011 round", "/de/series/24-hours-of-le-mans/2011/24-hours-of-le-mans/"),
]


def load():
    return Path("/proc/loadavg").read_text().split()[0]


def timed(client, path):
    cache.clear()
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    assert response["X-Page-Cache"] == "miss", path
    return elapsed, response


def main(runs):
    client = Client(headers={"host": "localhost"})
    print(f"cache misses in process, {runs} runs a page after the first; load {load()}")
    print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8}")
    for label, path in PAGES:
        timed(client, path)
        times = sorted(timed(client, path)[0] for _ in range(runs))
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{label:40} {statistics.median(times):8.1f} {p95:8.1f}")
    elapsed, index = timed(client, "/sitemap.xml")
    print(f"{'sitemap index':40} {elapsed:8.1f}")
    for loc in re.findall(r"<loc>http://localhost(.*?)</loc>", index.content.decode()):
        elapsed, section = timed(client, loc)
        urls = section.content.decode().count("<url>")
        print(f"{'sitemap ' + loc + f' ({urls} URLs)':40} {elapsed:8.1f}")
    print(f"load at the end {load()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
