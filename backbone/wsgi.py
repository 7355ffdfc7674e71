"""The WSGI application gunicorn serves (`backbone serve` preloads it before forking).

Everything a worker needs at every request (the URL configuration and the modules it
imports) is loaded here, then frozen out of the garbage collector's view: a full
collection would otherwise walk those few hundred thousand long-lived objects, taking a
fifth of a second on a busy page, every few requests, in every worker. Frozen before the
fork, they also stay shared between the workers' memory pages."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backbone.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (imports every view now, not at the first request)
gc.collect()  # what start-up threw away is freed, not frozen
gc.freeze()
