from tests.api.callers import call, tokens  # noqa: F401 (fixtures)
