"""The Spanish catalog is complete, current and faithful to its placeholders."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from coalition.catalogs import LOCALE_DIR, compile_catalogs

BASE_DIR = LOCALE_DIR.parent
SPANISH_PO = LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|%%")
TAG = re.compile(r"</?[a-z][^>]*>")
# Messages that read the same in Spanish (a name, a code, a unit).
SAME_IN_SPANISH = {
    *("Coalition", "CSV", "iCal", "MOU", "ID", "Total", "No", "Email", "Mam", "Karen", "General", "Neutral"),
    *("Individual", "Sector", "sector", "Roles", "error", "HTML", "Message-ID"),
    "%(person)s: %(stage)s.",  # a name and a stage label, both translated on their own
}


def _catalog():
    with SPANISH_PO.open("rb") as po:
        return read_po(po, locale="es")


def _msgfmt_statistics(po: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_every_spanish_message_is_translated_and_none_is_fuzzy():
    """msgfmt reports no untranslated and no fuzzy message (Babel counts them where msgfmt is missing)."""
    if shutil.which("msgfmt"):
        statistics = _msgfmt_statistics(SPANISH_PO)
        assert "untranslated" not in statistics and "fuzzy" not in statistics, statistics
        assert "translated message" in statistics
    catalog = _catalog()
    untranslated = [m.id for m in catalog if m.id and not (all(m.string) if m.pluralizable else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"Untranslated: {untranslated[:20]}"
    assert not fuzzy, f"Fuzzy: {fuzzy[:20]}"


def test_msgfmt_statistics_would_catch_an_untranslated_message(tmp_path):
    """The completeness check can fail: a catalog with an empty translation is reported."""
    if not shutil.which("msgfmt"):
        pytest.skip("GNU gettext's msgfmt is not installed")
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Save"\nmsgstr ""\n')
    assert "1 untranslated message" in _msgfmt_statistics(po)


def test_translations_keep_every_placeholder_and_tag():
    """Each translation has the same %(name)s placeholders and HTML tags as its English."""
    wrong = []
    for message in _catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(PLACEHOLDER.findall(ids[-1])), sorted(TAG.findall(ids[-1]))
        for string in strings:
            if not string:
                continue  # untranslated: the completeness test reports it
            found = sorted(PLACEHOLDER.findall(string)), sorted(TAG.findall(string))
            # A singular form may say "one" instead of showing the count.
            if found != wanted and not (len(ids) > 1 and string is strings[0]):
                wrong.append((ids[0], string))
    assert not wrong, "Placeholders or tags differ:\n" + "\n".join(f"{a!r} → {b!r}" for a, b in wrong[:20])


def test_no_translation_is_a_copy_of_the_english():
    """A message of words is written in Spanish, not copied (names and codes aside)."""
    copies = [
        m.id
        for m in _catalog()
        if m.id
        and isinstance(m.id, str)
        and m.string == m.id
        and re.search(r"[A-Za-z]{3}", m.id)
        and m.id not in SAME_IN_SPANISH
    ]
    assert not copies, f"Still in English: {copies[:30]}"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext's xgettext is not installed")
def test_catalog_holds_every_message_the_code_has(tmp_path):
    """Every text wrapped for translation in the code is in locale/es/LC_MESSAGES/django.po:
    makemessages, run on a copy of the project, adds nothing to it (run `make messages`)."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(".venv", ".data", ".git", "node_modules", "staticfiles", "*.pyc", "__pycache__")
    for name in ("coalition", "stakeholders", "engagements", "templates", "locale", "manage.py"):
        source = BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=ignore)
        else:
            shutil.copy2(source, copy / name)
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://unused@localhost/unused", "DJANGO_ENV": "local"}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "es",
            "--add-location",
            "file",
            "--no-obsolete",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with (copy / "locale" / "es" / "LC_MESSAGES" / "django.po").open("rb") as po:
        fresh = {(m.context, m.id) for m in read_po(po, locale="es") if m.id}
    committed = {(m.context, m.id) for m in _catalog() if m.id}
    missing = sorted(map(str, fresh - committed))
    stale = sorted(map(str, committed - fresh))
    assert not missing, f"Run `make messages` and translate: {missing[:20]}"
    assert not stale, f"Run `make messages`: the catalog holds messages the code no longer has: {stale[:20]}"


def test_compiled_catalog_is_written_from_the_po(tmp_path):
    """`python -m coalition.catalogs` (Babel, no gettext needed) writes a .mo Django can read."""
    import gettext

    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR / "es", locale / "es", ignore=shutil.ignore_patterns("*.mo"))
    written = compile_catalogs(locale)
    assert written == [locale / "es" / "LC_MESSAGES" / "django.mo"]
    spanish = gettext.translation("django", localedir=locale, languages=["es"])
    assert spanish.gettext("Sign in") == "Iniciar sesión"
    assert compile_catalogs(locale) == []  # up to date: nothing rewritten
