import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from rosc.core.startup import warm_and_freeze  # noqa: E402 - needs the app loaded

warm_and_freeze()
