"""Fixes to the Textual release the app is pinned to (``textual>=8.2,<9``), applied once when
the app's module is imported. Each says what it fixes, checks that what it replaces is still
the thing it fixes, and leaves a Textual that changed it alone.

- **Every widget's rendered lines kept after the widget is gone.** ``StylesCache`` (one per
  widget: its rendered lines) has a method ``get_inner_outer`` cached with ``lru_cache(1024)``
  on the instance, so the cache keeps the last 1,024 widgets' ``StylesCache`` alive, each with
  the lines it last drew. Every screen the learner opens and leaves added its widgets: in a
  session, the process grew by ~5,000 objects per screen opened until 1,024 dead widgets were
  held, and each full garbage collection scanned them all (a statistics screen took longer each
  time it was opened). The two styles it makes depend on the two colours only: Textual's own
  function, cached on them.
- **Every header ever shown kept by the app.** Textual's ``Header`` watches the app's
  ``title`` and ``sub_title``; a watch is kept in a list on the watched object and dropped,
  once its widget is closed, only when that value changes, which the app's title never does.
  Each screen left kept its header (~500 objects). A new watch now first drops the closed
  ones from the list it joins, by the test Textual itself uses when the value changes.
"""

from __future__ import annotations

from functools import lru_cache

from textual import dom, reactive
from textual._styles_cache import StylesCache


def apply() -> None:
    if dom._watch is reactive._watch:
        made_watch = reactive._watch

        def watch(node, obj, attribute_name, callback, *, init=True):
            listed = getattr(obj, "__watchers", {}).get(attribute_name)
            if listed:
                listed[:] = [(n, c) for n, c in listed if not n._closing]
            made_watch(node, obj, attribute_name, callback, init=init)

        dom._watch = watch

    cached = StylesCache.__dict__.get("get_inner_outer")
    made = getattr(cached, "__wrapped__", None)
    if callable(getattr(cached, "cache_info", None)) and callable(made):
        # Textual's own function (it does not use the instance), cached on the colours.
        StylesCache.get_inner_outer = staticmethod(
            lru_cache(1024)(lambda base_background, background:
                            made(None, base_background, background)))
