"""Django's makemessages, without fuzzy matching.

msgmerge's fuzzy matching fills a new message with the translation of whatever old
message looks alike ("Your profile" took "Your roles:"), marked fuzzy: noise a
translator must find and undo. A new message here arrives empty, to be translated
(locale/GLOSSARY.md); ``make messages`` runs this.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
