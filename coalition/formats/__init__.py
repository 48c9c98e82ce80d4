"""Date and number formats per language, where Django's own do not suit a US city.

Django looks here first (``FORMAT_MODULE_PATH``) and falls back to its own
module for anything not set.
"""
