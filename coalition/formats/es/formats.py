"""Spanish as written in the United States (CLDR es-US).

Long dates read the Spanish way ("4 de diciembre de 2026"). Short dates spell the
month ("4 dic 2026"): in a US city "4/12/2026" is as likely to be read as April 12.
Numbers keep the separators of the city's English pages (1,234.56): Spain's
1.234,56 beside the same amount in English would be misread.

Date and time inputs are ``<input type="date">`` and ``type="time"``, which
always send ISO 8601; typed day-first dates are accepted as well.
"""

DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y, H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday, as on US calendars
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%y %H:%M"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
