"""The key bar at the bottom of a screen: Textual's footer, whose keys are changed in place.

Textual's `Footer` throws its keys away and builds them again whenever the screen asks for
its bindings to be refreshed: on every focus change, on the screen being pushed or resumed,
and after each action. Each rebuild mounts a widget per key and restyles every one of them
(twice: their ``compact`` starts True and is then bound to the footer's), and it runs after
the screen's next frame, so the screen is laid out and drawn a second time: a second frame
after opening a note, for the same keys, and after every answer in the quiz (whose keys
change: Answer becomes Next, the ratings come and go).

`KeyBar` remembers what it shows and leaves itself alone when the refreshed bindings would
show the same. When they differ, it keeps one key widget per action and changes them in
place (their letter, words, whether dimmed, tooltip), hides the ones not wanted now and
mounts only the keys of actions it never showed. Like `Footer`, it does so after the screen's
next frame: what caused the change (an answer's verdict) is drawn first, and the keys, a few
cells at the bottom, in the frame after (drawn in the same frame, they made the verdict
come later in a terminal). It builds itself the way `Footer` does the first time, and
whenever the keys cannot be shown in place (bindings in groups, which `Footer` draws as a
group of keys and a label; keys wanted in another order than its widgets are in).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # Textual exports the footer, not its keys

KeySpec = tuple[str, str, str, str, bool, str]
"""What a footer key shows: key, key display, description, action, disabled, tooltip."""


def shown_keys(screen: Screen) -> tuple:
    """What a footer on ``screen`` shows now: each shown key's binding, whether it is enabled
    (drawn dimmed when not) and its tooltip, in order."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    return tuple((key, binding, enabled, tooltip)
                 for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
                 if binding.show or key == palette)


def key_specs(screen: Screen, keys: tuple, show_palette: bool,
              ) -> tuple[list[KeySpec], KeySpec | None] | None:
    """The keys `Footer.compose` would yield for ``keys`` (`shown_keys`): one per action, the
    first key bound to it, and the command palette's key apart; None if any binding shown is
    in a group (drawn as a group, which only a rebuild makes)."""
    app = screen.app
    palette_key = app.COMMAND_PALETTE_BINDING
    specs: dict[str, KeySpec] = {}
    palette: KeySpec | None = None
    for key, binding, enabled, tooltip in keys:
        if binding.show:
            if binding.group is not None:
                return None
            if binding.action not in specs:
                specs[binding.action] = (binding.key, app.get_key_display(binding),
                                         binding.description, binding.action, not enabled,
                                         tooltip)
        if key == palette_key and show_palette and app.ENABLE_COMMAND_PALETTE:
            palette = (binding.key, app.get_key_display(binding), binding.description,
                       binding.action, not enabled, binding.tooltip or binding.description)
    return list(specs.values()), palette


def _set_key(widget: FooterKey, spec: KeySpec) -> bool:
    """Show ``spec`` on ``widget``; whether anything changed."""
    key, key_display, description, action, disabled, tooltip = spec
    changed = (widget.key, widget.key_display, widget.description, widget.action,
               widget._disabled) != (key, key_display, description, action, disabled)
    widget.key, widget.key_display, widget.description, widget.action = (
        key, key_display, description, action)
    widget._disabled = disabled  # what a click reads (FooterKey.on_mouse_down)
    widget.set_class(disabled, "-disabled")  # a restyle only if it changed
    if widget.tooltip != (tooltip or None):
        widget.tooltip = tooltip or None
    if changed:
        widget.refresh(layout=True)  # its width follows its words
    return changed


class KeyBar(Footer):
    """A `Footer` whose keys are built once and then changed in place when the screen's
    keys change (rebuilt only for bindings in groups)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: tuple | None = None
        """The keys shown (None before the first build)."""
        self._ready = False
        """Whether the screen has said its bindings are ready (until then: no keys)."""
        self.rebuilds = 0
        """Times the keys were built (what a refresh of the bindings costs)."""
        self.updates = 0
        """Times the keys were changed in place."""
        self._pending = False
        """Whether a change of the keys waits for the next frame to be drawn."""
        self._build_pending = False
        """Whether the first build waits for the next frame (a screen being opened says its
        bindings changed several times before that: one build reads them as they are then)."""

    def bindings_changed(self, screen: Screen) -> None:
        if self._shown is not None and screen is self.screen and self.is_attached \
                and screen.app.app_focus:
            # Even the comparison waits: reading the screen's keys asks every binding's
            # action whether it is enabled, work the frame being made need not wait for.
            if not self._pending:
                self._pending = True
                self.call_after_refresh(self._update_keys)
            return
        if self._build_pending:
            return
        self._ready = True
        super().bindings_changed(screen)
        self._build_pending = bool(screen.app.app_focus and self.is_attached
                                   and screen is self.screen)  # what Footer asks to build

    async def _update_keys(self) -> None:
        """Show the screen's keys as they are now (after the frame), in place if it can."""
        self._pending = False
        if not self.is_attached:
            return
        screen = self.screen
        keys = shown_keys(screen)
        if keys != self._shown and not self._change_keys(screen, keys):
            self._ready = True
            await self.recompose()

    def _change_keys(self, screen: Screen, keys: tuple) -> bool:
        """Show ``keys`` with the key widgets there are (one per action, kept while hidden)
        and new ones for actions never shown; False if that cannot show them as a rebuild
        would (groups, or keys wanted in another order than the widgets are in)."""
        wanted = key_specs(screen, keys, self.show_command_palette)
        if wanted is None:
            return False
        specs, palette_spec = wanted
        pool: dict[str, FooterKey] = {}
        order: dict[FooterKey, int] = {}
        palette: FooterKey | None = None
        for i, child in enumerate(self.children):
            if not isinstance(child, FooterKey) or child.has_class("-grouped"):
                return False  # a group drawn by the last rebuild
            if child.has_class("-command-palette"):
                palette = child
            elif child.action in pool:
                return False
            else:
                pool[child.action] = child
                order[child] = i
        if (palette is None) != (palette_spec is None):
            return False
        kept = [order[pool[spec[3]]] for spec in specs if spec[3] in pool]
        if kept != sorted(kept):
            return False  # the keys there are would be in the wrong order
        shown = {spec[3] for spec in specs}
        for action, widget in pool.items():
            if action not in shown:
                widget.display = False
        anchor = palette  # a new key goes before the next key shown (or the palette's)
        for spec in reversed(specs):
            widget = pool.get(spec[3])
            if widget is None:
                widget = self._new_key(spec)
                self.mount(widget, before=anchor)
            else:
                _set_key(widget, spec)
                widget.display = True
            anchor = widget
        if palette is not None and palette_spec is not None:
            _set_key(palette, palette_spec)
        self._shown = keys
        self.updates += 1
        return True

    def _new_key(self, spec: KeySpec) -> FooterKey:
        key, key_display, description, action, disabled, tooltip = spec
        widget = FooterKey(key, key_display, description, action, disabled=disabled,
                           tooltip=tooltip)
        # Set before it is mounted, as the footer's keys are: no restyle for its default.
        widget.set_reactive(FooterKey.compact, self.compact)
        return widget

    def watch_compact(self, compact: bool) -> None:
        for widget in self.query_children(FooterKey):
            widget.compact = compact  # the keys mounted here are not bound to the footer

    def compose(self) -> ComposeResult:
        self._build_pending = False
        if self._ready:
            self._shown = shown_keys(self.screen)
            self.rebuilds += 1
        yield from super().compose()
