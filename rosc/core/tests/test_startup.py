"""A server process readies itself before its first request (config/wsgi.py, asgi.py)."""

import gc

from rosc.core.startup import warm_and_freeze
from rosc.directory.places import zip_index


def test_warm_and_freeze_runs_the_apps_warm_ups_and_freezes_what_was_loaded():
    zip_index.cache_clear()
    try:
        warm_and_freeze()
        # The directory registered its ZIP-code table (AppConfig.ready): read before any search.
        assert zip_index.cache_info().currsize == 1
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
