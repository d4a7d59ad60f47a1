"""What a server process does once it has loaded the application, before its first request."""

import gc
from collections.abc import Callable

from django.urls import get_resolver

_WARM_UPS: list[Callable[[], object]] = []


def warm_up(step: Callable[[], object]) -> None:
    """Have warm_and_freeze run `step`: an app reading a table every process reads whole on
    first use (the directory's ZIP-code centroids) registers it in its AppConfig.ready()."""
    if step not in _WARM_UPS:
        _WARM_UPS.append(step)


def warm_and_freeze() -> None:
    """Import every view (through the URLconf) and run the apps' warm-up steps, then move
    everything loaded so far into the garbage collector's permanent generation.

    Those objects (modules, classes, the URL patterns, compiled regular expressions, the
    tables read) live as long as the process. Left in the collected generations, every full
    collection walks all of them, and the request that triggers it waits: measured on the
    referral inbox, the p95 CPU time of a request fell from 23 ms to 12 ms with them frozen
    (p50 unchanged).
    """
    get_resolver().url_patterns  # noqa: B018 - imports every app's views
    for step in _WARM_UPS:
        step()
    gc.collect()
    gc.freeze()
