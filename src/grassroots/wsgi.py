"""WSGI entry point for the production server (gunicorn grassroots.wsgi).

The URL configuration (and with it every view module) is imported here, not on the first
request: with gunicorn's `preload_app` the master does it once and every worker starts warm,
and a broken URL configuration stops the server at start instead of failing requests.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

# Files the server writes are its owner's only (issue 15); with preload_app, gunicorn's master
# sets this once and every worker inherits it.
os.umask(0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  (imports every URL module now)
