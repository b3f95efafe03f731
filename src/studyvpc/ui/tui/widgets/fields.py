"""Form fields that leave alone the keys they do not take.

Textual's Input consumes every printable key, so an app binding on one (``?`` for the keys)
never fires while it has focus, even in a number field that refuses the character. A
`NumberInput` consumes only the characters that can go into a number: the others reach the
screen's and the app's bindings.
"""

from __future__ import annotations

from textual.widgets import Input

NUMBER_CHARACTERS = {
    "integer": frozenset("0123456789+-_"),
    "number": frozenset("0123456789+-_.eE"),
}
"""What Textual's integer and number inputs can take (signs, digit groups, decimals, exponent)."""


class NumberInput(Input):
    """An integer or number field (``type="integer"`` or ``"number"``)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        allowed = NUMBER_CHARACTERS.get(self.type)
        if allowed is None or character is None:
            return super().check_consume_key(key, character)
        return character in allowed
