"""Date and time inputs for every form of the project.

The browser's ``<input type="date">`` and ``type="time"`` read and send ISO 8601
whatever the page's language, so the value is always written that way: a value
in the reader's local format (4/12/2026) would be dropped by the browser and the
field shown empty, losing what was there on the next save.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or "%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=format or "%H:%M")
