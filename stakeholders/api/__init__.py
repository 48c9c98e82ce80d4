"""The REST API's shared parts (auth, throttling, paging, strict input) and the stakeholders endpoints.

Each app serves its own endpoints from its own module (``stakeholders.api``,
``coalition.api``, ``engagements.api``); ``coalition/api_urls.py`` puts them under
``/api/v1/``. Reads start from the user through the same selectors as the pages,
writes go through the same services, so the API is exactly as safe as the pages.
"""
