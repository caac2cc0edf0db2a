"""The German catalogue: every interface string translated, and the compiled .mo (kept in the
repository, so that no set-up needs GNU gettext) exactly what the .po says.

`make messages` regenerates both (docs/decisions/0007-german.md).
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


def read_po(path):
    """The live (not obsolete) entries of a .po file as dicts: `ctxt`, `id`, `plural`,
    `strs` ({form index: text}) and `flags`."""
    entries, entry, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        starts_entry = line.startswith(("#", "msgctxt ", "msgid "))
        if entry is None or (starts_entry and entry["strs"]):
            entry = {"flags": set(), "strs": {}}
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := LINE.match(line):
            keyword, index, text = match.groups()
            if keyword.startswith("msgstr"):
                field = int(index or 0)
                entry["strs"][field] = ast.literal_eval(text)
            else:
                field = {"msgctxt": "ctxt", "msgid": "id", "msgid_plural": "plural"}[keyword]
                entry[field] = ast.literal_eval(text)
        elif line.startswith('"'):
            if isinstance(field, int):
                entry["strs"][field] += ast.literal_eval(line)
            else:
                entry[field] += ast.literal_eval(line)
        else:
            raise ValueError(f"{path}: cannot read {raw!r}")
    return [entry for entry in entries if "id" in entry]


def expected_catalog(entries):
    """What GNU msgfmt makes of `entries`, as Python's gettext reads a .mo back."""
    catalog = {}
    for entry in entries:
        key = entry["id"] if "ctxt" not in entry else f"{entry['ctxt']}\x04{entry['id']}"
        if "plural" in entry:
            for index, text in entry["strs"].items():
                catalog[(key, index)] = text
        else:
            catalog[key] = entry["strs"][0]
    return catalog


@pytest.fixture(scope="module")
def entries():
    return read_po(PO)


def test_the_german_catalogue_has_the_interface_strings(entries):
    ids = {entry["id"] for entry in entries}
    assert len(ids) > 300
    assert {"Drivers", "Not classified", "Retired", "Skip to content", "Language"} <= ids


def test_every_german_string_is_translated_and_none_is_fuzzy(entries):
    untranslated = [
        entry["id"]
        for entry in entries[1:]  # the first is the header
        if "fuzzy" in entry["flags"] or not entry["strs"] or not all(entry["strs"].values())
    ]
    assert untranslated == []
    assert "fuzzy" not in entries[0]["flags"]


def test_every_translation_keeps_the_placeholders_of_its_original(entries):
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}|<a href=\"[^\"]*\">")
    for entry in entries[1:]:
        wanted = sorted(placeholder.findall(entry["id"]))
        for text in entry["strs"].values():
            found = sorted(placeholder.findall(text))
            # A licence link may point at the German deed of the same licence.
            found = [link.replace("/deed.de", "/") for link in found]
            assert found == wanted, entry["id"]


def test_the_compiled_catalogue_is_exactly_the_po_file(entries):
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = expected_catalog(entries)
    # The header's fields, less the one msgfmt leaves out (the template's creation date).
    header, compiled_header = catalog.pop(""), compiled._catalog.pop("")
    fields = [line for line in header.splitlines() if not line.startswith("POT-Creation-Date")]
    assert compiled_header.splitlines() == fields
    assert compiled._catalog == catalog, "run `make messages` to compile the .po again"


def test_no_interface_string_hides_inside_an_f_string():
    """makemessages does not see a gettext call inside an f-string: such a string would stay
    English on the German pages."""
    import ast

    names = {"_", "gettext", "ngettext", "pgettext", "gettext_lazy"}
    hidden = []
    root = Path(settings.BASE_DIR)
    for path in sorted(root.glob("*/**/*.py")):
        if ".venv" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Name)
                        and inner.func.id in names
                    ):
                        hidden.append(f"{path.relative_to(root)}:{inner.lineno}")
    assert not hidden
