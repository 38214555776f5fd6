"""thamquyen: the registry of who holds which power in Vietnam's two-level government.

The verbs a user reaches for live in their own modules (store, build, validate, lookup, draft);
the command line (registry.cli) and the API (api.main) are thin layers over them.
"""

__version__ = "0.1.0"
