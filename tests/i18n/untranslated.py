"""Find text meant for people that is not wrapped for translation.

Two checks, both able to fail:

- ``template_findings``: every template is tokenized with Django's own lexer.
  Translated regions (``{% translate %}``, ``{% blocktranslate %}…``), variables,
  tags and comments are blanked out; what remains is parsed as HTML, and any text
  node or human-facing attribute (``title``, ``placeholder``, ``alt``, ``aria-*``,
  ``label``) that still holds a word is reported with its file and line.
- ``python_findings``: the app modules are parsed with ``ast``; string literals
  handed to the places people read (``messages.*``, ``ValidationError``,
  ``add_error``, form/model ``label``/``help_text``/``verbose_name``, a model
  field's first argument, ``TextChoices`` labels) are reported unless wrapped in a
  gettext call.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

BASE_DIR = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [BASE_DIR / "templates"]
PYTHON_PACKAGES = ["stakeholders", "coalition", "engagements"]

# Words that are the same in every language: the product's name, units, codes.
ALLOWED_WORDS = {"Coalition", "CSV", "iCal", "ics", "URL", "MOU", "ISO", "Chart.js", "KB", "ms"}
WORD = re.compile(r"[^\W\d_]{2,}")
HUMAN_ATTRIBUTES = {"title", "placeholder", "alt", "label", "aria-label", "aria-description", "aria-placeholder"}
# Placeholder left where a template tag or variable was: a private-use character.
HOLE = "\ue000"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def _has_words(text: str) -> bool:
    words = WORD.findall(text.replace(HOLE, " "))
    return any(word not in ALLOWED_WORDS for word in words)


def _blank_template(source: str) -> str:
    """The template with everything but untranslated literal text replaced by HOLE
    (newlines kept, so line numbers still hold)."""
    out: list[str] = []
    skip_until: str | None = None
    for token in Lexer(source).tokenize():
        raw = token.token_source if hasattr(token, "token_source") else None
        text = token.contents
        if token.token_type == TokenType.BLOCK:
            name = text.split()[0] if text.split() else ""
            if skip_until:
                if name == skip_until:
                    skip_until = None
            elif name in ("blocktranslate", "blocktrans"):
                skip_until = "endblocktranslate" if name == "blocktranslate" else "endblocktrans"
            elif name == "comment":
                skip_until = "endcomment"
            out.append(HOLE)
        elif token.token_type in (TokenType.VAR, TokenType.COMMENT):
            out.append(HOLE)
        else:  # text
            out.append(HOLE if skip_until else text)
        out.append("\n" * _newlines(token, raw))
    return "".join(out)


def _newlines(token, _raw) -> int:
    # Tag, variable and comment tokens lose their newlines in ``contents``; keep the
    # count so that later line numbers stay right. Text tokens keep their own.
    if token.token_type == TokenType.TEXT:
        return 0
    return token.contents.count("\n")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if value and name in HUMAN_ATTRIBUTES and _has_words(value):
                self.found.append((self.getpos()[0], f"{name}={value}"))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and _has_words(data):
            self.found.append((self.getpos()[0], data.strip()))


def template_findings(dirs: list[Path] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for folder in dirs or TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")) + sorted(folder.rglob("*.txt")):
            source = path.read_text(encoding="utf-8")
            collector = _TextCollector()
            collector.feed(_blank_template(source))
            collector.close()
            rel = path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path
            findings += [Finding(str(rel), line, text) for line, text in collector.found]
    return findings


# --- Python ------------------------------------------------------------------------

GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "_lazy"}
# Keywords people read: anywhere for the model ones, on fields and filters for the form ones.
MODEL_KEYWORDS = {"verbose_name", "verbose_name_plural"}
FIELD_KEYWORDS = {"label", "help_text", "empty_label", "placeholder"}
MESSAGE_FUNCTIONS = {"success", "error", "info", "warning", "add_message"}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}


def _is_literal_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _has_words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and _has_words(str(v.value)) for v in node.values)
    return False


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


RELATION_FIELDS = ("ForeignKey", "OneToOneField", "ManyToManyField")


def _is_field_call(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in ("models", "forms")
        and (func.attr.endswith("Field") or func.attr in RELATION_FIELDS)
    )


class _PythonVisitor(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def _flag(self, node: ast.AST) -> None:
        self.found.append((node.lineno, ast.unparse(node)[:120]))

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        if name in GETTEXT_NAMES:
            return  # wrapped: nothing inside needs checking
        candidates: list[ast.AST] = []
        if name in MESSAGE_FUNCTIONS and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "messages":
                candidates += node.args[1:2] if name != "add_message" else node.args[2:3]
        if name in ("ValidationError", "PermissionDenied"):
            candidates += node.args[:1]
        if name == "add_error":
            candidates += node.args[1:2]
        if _is_field_call(node) and node.func.attr not in RELATION_FIELDS:
            candidates += node.args[:1]  # a field's verbose name (a relation's first argument is its model)
        field_like = _is_field_call(node) or name.endswith(("Field", "Filter", "Widget", "Input", "Select"))
        for keyword in node.keywords:
            if keyword.arg in MODEL_KEYWORDS or (field_like and keyword.arg in FIELD_KEYWORDS):
                candidates.append(keyword.value)
        for candidate in candidates:
            if _is_literal_text(candidate):
                self._flag(candidate)
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        bases = {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases}
        if bases & CHOICES_BASES:
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
                    elements = statement.value.elts
                    if len(elements) >= 2 and _is_literal_text(elements[-1]):
                        self._flag(elements[-1])
        self.generic_visit(node)


def python_findings(packages: list[str] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for package in packages or PYTHON_PACKAGES:
        for path in sorted((BASE_DIR / package).rglob("*.py")):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            visitor = _PythonVisitor()
            visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
            rel = path.relative_to(BASE_DIR)
            findings += [Finding(str(rel), line, text) for line, text in visitor.found]
    return findings
