"""Settings for the test suite: fast hashing, in-memory mail, the database from DATABASE_URL."""

import os

os.environ.setdefault("BACKBONE_TESTING", "1")

from backbone.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]

# A test database need not survive a crash: PostgreSQL does not wait for the disk at each
# commit (browser and transactional tests commit thousands of times).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405

# WhiteNoise reads every static file's headers when its middleware starts, and the test
# client starts the middleware afresh for each client: thousands of times a run. Looking a
# file up when it is asked for serves the same files and headers without that.
WHITENOISE_AUTOREFRESH = True

# The test client and the live server speak plain http.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

# The platform administrators of most tests sign in with a password only; the two-factor
# tests turn the rule on.
BACKBONE_ADMIN_TWO_FACTOR = False
