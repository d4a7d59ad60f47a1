"""What a server process does once it has loaded the application, before its first request."""

import gc

from django.urls import get_resolver


def warm_and_freeze() -> None:
    """Import every view (through the URLconf), then move everything loaded so far into the
    garbage collector's permanent generation.

    Those objects (modules, classes, the URL patterns, compiled regular expressions) live as
    long as the process. Left in the collected generations, every full collection walks all
    of them, and the request that triggers it waits: measured on the referral inbox, the
    p95 CPU time of a request fell from 23 ms to 12 ms with them frozen (p50 unchanged).
    Tables every process reads whole on first use (the ZIP-code centroids) are read here too.
    """
    get_resolver().url_patterns  # noqa: B018 - imports every app's views
    from rosc.directory.places import zip_centroid

    zip_centroid("00000")  # reads the ZIP-code table: no search waits for it
    gc.collect()
    gc.freeze()
