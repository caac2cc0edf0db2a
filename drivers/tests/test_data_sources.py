"""Every fact in the reviewed people and alias files cites its original source: the article or
publication itself, never a site that mirrors, proxies or machine-translates it."""

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
FILES = ["people.csv", "aliases.csv"]

# Hosts that copy, proxy or machine-translate Wikipedia and other articles.
MIRRORS = {
    "arietiform.com",
    "de-academic.com",
    "de.knowledgr.com",
    "de.wiki.li",
    "de.wikiital.com",
    "de.zxc.wiki",
    "dewiki.de",
    "dnhewrhegkli.shop",
    "encyclopedia.datana.cloud",
    "en.wikidat.com",
    "en.wikipedia-on-ipfs.org",
    "enwikipedia.net",
    "fanyv88.com",
    "friendlywiki.com",
    "iiab.me",
    "it.wiki34.com",
    "jewiki.net",
    "kiwix.lema.org",
    "legacy.frdic.com",
    "memim.com",
    "piglix.com",
    "sivegame.netlify.app",
    "theinfolist.com",
    "wiki.kidzsearch.com",
    "wikimili.com",
    "wikipedia.jakami.de",
    "wikiwand.com",
    "wikizero.com",
    "worddisk.com",
    "zh.qa.edu.vn",
}
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s,;\"')]+", re.IGNORECASE)


def sources():
    for name in FILES:
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                yield f"{name} line {line}", row["source"]


def host_of(url):
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def mirror_of(url):
    host = host_of(url)
    return next((m for m in MIRRORS if host == m or host.endswith("." + m)), None)


@pytest.mark.parametrize(
    ("url", "mirror"),
    [
        ("https://wikimili.com/en/Andy_Wallace", "wikimili.com"),
        ("http://www.theinfolist.com/html/ALL/s/T/Tony_Rolt.html", "theinfolist.com"),
        ("https://fanyv88.com/https/fr.m.wikipedia.org/wiki/X", "fanyv88.com"),
        ("https://en.wikipedia.org/wiki/Andy_Wallace", None),
        ("https://www.motorsportmagazine.com/database/drivers/x", None),
    ],
)
def test_the_mirror_check_tells_a_copy_from_the_original(url, mirror):
    assert mirror_of(url) == mirror


def test_no_source_points_to_a_mirror_or_proxy():
    found = [
        (where, url) for where, source in sources() for url in URL.findall(source) if mirror_of(url)
    ]
    assert found == []


def test_every_source_is_a_web_address_or_a_named_publication():
    bad = []
    for where, source in sources():
        urls = URL.findall(source)
        if not source.strip():
            bad.append((where, "no source"))
        for url in urls:
            parts = urlsplit(url)
            host = parts.hostname or ""
            if parts.scheme not in {"http", "https"} or not host or host.endswith("."):
                bad.append((where, url))
        if not urls and len(source.split()) < 2:
            bad.append((where, source))
    assert bad == []
