"""Coalition's benchmark middleware (coalition/middleware_benchmark.py), loaded by file path.

The peer's virtualenv cannot import the ``coalition`` package (it would bring Coalition's
settings and apps), but the middleware needs only Django, so both servers run the very same
code and pay the same cost for the headers.
"""

import importlib.util
from pathlib import Path

_SOURCE = Path(__file__).resolve().parents[3] / "coalition" / "middleware_benchmark.py"
_spec = importlib.util.spec_from_file_location("coalition_middleware_benchmark", _SOURCE)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

QueryCountHeaderMiddleware = _module.QueryCountHeaderMiddleware
