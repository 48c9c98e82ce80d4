"""Compile the translation catalogs: ``locale/<lang>/LC_MESSAGES/*.po`` into ``.mo``.

Babel writes the same ``.mo`` files as GNU gettext's ``msgfmt`` (which Django's
``compilemessages`` calls), without needing gettext installed, so a fresh machine
with only Python builds them. ``make run``, ``make test`` and the Docker image run
``python -m coalition.catalogs``; the ``.mo`` files are build output, not in git.
Fuzzy entries are left out, as ``msgfmt`` does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogs(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Write each ``.mo`` older than its ``.po`` (or every one, with ``force``); return those written."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        partial = mo.with_suffix(".mo.tmp")
        with partial.open("wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        partial.replace(mo)  # a server reading the old file never sees half of the new one
        written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_catalogs(force="--force" in sys.argv):
        print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
