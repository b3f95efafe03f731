"""A whole note, each part in a fitting widget, in one scrollable column.

Title and metadata, the key point in a bordered panel, the sections as Markdown, the flow as a
diagram, the layers as grouped lists, the trade-offs as a table, concepts, scenarios, caveats
(marked ⚠ with the claim they correct quoted), the questions, and the links: ``[[links]]`` in
the text carry a number ``[n]``; the list at the end (see-also and backlinks too) can be
followed with Enter or by pressing the number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import AwaitMount, Widget
from textual.widgets import ListItem, ListView, Static

from studyvpc.content.library import Library, link_targets
from studyvpc.content.model import Caveat, Note, Reference
from studyvpc.content.textutil import one_line
from studyvpc.ui.tui.widgets.content import (
    content_markdown, line, note_title, plain, stem_line,
)
from studyvpc.ui.tui.widgets.flow import FlowDiagram
from studyvpc.content.textutil import plural
from studyvpc.ui.tui.widgets.glyphs import cursor_gutter
from studyvpc.ui.tui.widgets.tradeoffs import TradeOffTable


@dataclass(frozen=True)
class LinkEntry:
    number: int
    target: str
    """As written (an id or an alias)."""
    note: Note | None
    """What it resolves to; None for a note that is not in the library."""
    kind: str
    """"link" (in the text or see_also) or "backlink"."""


def collect_links(note: Note, library: Library) -> list[LinkEntry]:
    """The note's outgoing links in reading order, then see_also, then backlinks; numbered."""
    targets: list[str] = []
    texts = [note.key_point, *(s.body for s in note.sections), *(c.text for c in note.caveats)]
    for text in texts:
        targets += [t for t, _ in link_targets(text)]
    targets += list(note.see_also)
    entries: list[LinkEntry] = []
    seen: set[str] = set()
    for target in targets:
        resolved = library.resolve_head(target)
        key = resolved.id if resolved else "?" + target
        if key in seen or (resolved is not None and resolved.id == note.id):
            continue
        seen.add(key)
        entries.append(LinkEntry(len(entries) + 1, target, resolved, "link"))
    for other in library.backlinks(note.id):
        entries.append(LinkEntry(len(entries) + 1, other.id, other, "backlink"))
    return entries


class LinkItem(ListItem):
    """One link of the list; the highlighted one of the focused list (the one Enter follows)
    has the cursor mark in front of it."""

    def __init__(self, entry: LinkEntry) -> None:
        self.entry = entry
        label = Text(f"[{entry.number}] ", style="bold")
        if entry.note is None:
            label.append("✗ ")
            label.append(one_line(entry.target))
            label.append("  not in the library", style="italic dim")
        else:
            label.append("← " if entry.kind == "backlink" else "→ ")
            label.append(note_title(entry.note))
            label.append(f"  {entry.note.id}", style="dim")
        self.label = label
        self.text = Static(Text(cursor_gutter(False)) + label)
        super().__init__(self.text, disabled=entry.note is None)

    def watch_highlighted(self, value: bool) -> None:
        super().watch_highlighted(value)
        self.show_mark()

    def show_mark(self) -> None:
        parent = self.parent
        marked = self.highlighted and parent is not None and parent.has_focus
        self.text.update(Text(cursor_gutter(marked)) + self.label)


class LinkList(ListView):
    """The links (or the backlinks) of a note: two lists, each with a highlighted row, and
    only the focused one's is marked."""

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        for item in self.query(LinkItem):
            item.show_mark()


def references_text(refs: tuple[Reference, ...]) -> Text:
    text = Text()
    for ref in refs:
        if text:
            text.append("\n")
        text.append("↗ ", style="dim")
        text.append(one_line(ref.title))
        text.append("  ")
        text.append(one_line(ref.url), style="dim underline")
    return text


FIRST_SCREENS = 1
"""Parts of a note are composed before its first frame until they fill about this many
screens (by `rows_at_least`); the others are mounted after it."""

Part = tuple[str, Callable[[], list[Widget]]]
"""A part of the note view: its text, and a function that makes its widgets."""


def rows_at_least(text: str, width: int) -> int:
    """About the rows ``text`` takes at ``width`` cells: each paragraph at one cell a
    character (wide characters take two, headings and margins are not counted), and a row
    for each line break. A guess that errs low, so that the parts composed first fill the
    screen."""
    paragraphs = text.split("\n\n")
    return sum(-(-len(p) // width) for p in paragraphs) + text.count("\n")


class NoteView(VerticalScroll):
    """The note, scrollable. Posts `FollowLink` when the reader picks a link."""

    class FollowLink(Message):
        """The reader chose to follow a link to another note."""

        def __init__(self, note_id: str) -> None:
            super().__init__()
            self.note_id = note_id

    def __init__(self, note: Note, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.note = note
        self.library = library
        self.links = collect_links(note, library)
        """Every followable place, numbered as the reader sees them."""
        self._numbers: dict[str, int] = {}
        self._rest: list[Part] = []
        """Parts composed after the first frame (see `finish`)."""
        self._mounting: AwaitMount | None = None
        self.complete = False
        """Whether every part of the note is mounted."""
        for e in self.links:
            if e.kind == "link" and e.note is not None:
                self._numbers.setdefault(e.target, e.number)

    def link_number(self, target: str) -> int | None:
        """The number of the link to ``target`` in the list; None if it leads nowhere."""
        if target in self._numbers:
            return self._numbers[target]
        resolved = self.library.resolve_head(target)
        for e in self.links:
            if e.kind == "link" and resolved is not None and e.note is not None \
                    and e.note.id == resolved.id:
                return e.number
        return None

    def md(self, text: str):
        return content_markdown(text, self.link_number)

    # -- layout
    def compose(self) -> ComposeResult:
        # The parts that fill the first screens come now; the rest after the first frame, so
        # that a long note shows as soon as a short one (nobody reads its end first).
        size = self.app.size
        budget, width = FIRST_SCREENS * max(size.height, 10), max(size.width - 8, 20)
        parts = self._parts()
        used = 0
        for i, (text, build) in enumerate(parts):
            if used >= budget:
                self._rest = parts[i:]
                break
            yield from build()
            used += rows_at_least(text, width)

    def on_mount(self) -> None:
        if self._rest:
            self.call_after_refresh(self.finish)
        else:
            self.complete = True

    async def finish(self) -> None:
        """Mount the parts not mounted yet (the whole note is there when it returns)."""
        if self._rest and self.is_attached:  # (not when the note was left at once)
            rest, self._rest = self._rest, []
            self._mounting = self.mount_all([w for _, build in rest for w in build()])
        if self._mounting is not None:
            await self._mounting
        self.complete = True

    def _parts(self) -> list[Part]:
        """The note's parts in reading order: each its text (to guess its height) and a
        function making its widgets."""
        note = self.note
        parts: list[Part] = [
            (note.title, lambda: [Static(Text(note_title(note)), id="note-title")]),
            ("\n" * (2 + bool(note.aliases) + bool(note.tags)),
             lambda: [Static(self._meta(), id="note-meta")]),
        ]
        if note.key_point.strip():
            def key_point() -> list[Widget]:
                kp = Static(self.md(note.key_point), id="note-key-point")
                kp.border_title = "Key point · 핵심"
                return [kp]
            parts.append((note.key_point, key_point))
        for section in note.sections:
            parts.append((section.body, lambda s=section: [
                self._heading(s.title), Static(self.md(s.body), classes="markdown")]))
        if note.flow and note.flow.steps:
            parts.append(("\n" * (4 * len(note.flow.steps)), lambda: [
                self._heading(note.flow.title or "Architecture flow"),
                FlowDiagram(note.flow, id="note-flow")]))
        if note.layers:
            parts.append(("\n" * sum(2 + len(x.components) for x in note.layers), lambda: [
                self._heading(note.layers_title or "Layers"),
                Static(self._layers(), id="note-layers")]))
        if note.tradeoffs:
            parts.append(("\n" * (2 + len(note.tradeoffs)), lambda: [
                self._heading(note.tradeoffs_title or "Trade-offs"),
                TradeOffTable(note.tradeoffs, id="note-tradeoffs")]))
        if note.concepts:
            parts.append(("\n" * (1 + len(note.concepts)), lambda: [
                self._heading(note.concepts_title or "Concepts"),
                Static(self._pairs([(c.term, c.description) for c in note.concepts]),
                       id="note-concepts")]))
        if note.scenarios:
            parts.append(("\n" * (1 + len(note.scenarios)), lambda: [
                self._heading(note.scenarios_title or "Scenarios"),
                Static(self._pairs([(s.title, s.description) for s in note.scenarios]),
                       id="note-scenarios")]))
        for i, caveat in enumerate(note.caveats):
            parts.append((caveat.text, lambda c=caveat, first=i == 0: [
                *([self._heading("Caveats · 주의")] if first else []), self._caveat(c)]))
        if note.questions:
            parts.append(("\n" * (2 + len(note.questions)), lambda: [
                self._heading(f"Questions ({len(note.questions)})"),
                Static(self._questions(), id="note-questions")]))
        parts.append(("\n" * len(self.links), self._links))
        return parts

    def _caveat(self, caveat: Caveat) -> Static:
        parts = []
        if caveat.about.strip():
            about = Text("The note says: ", style="bold")
            about.append("“" + one_line(caveat.about) + "”", style="italic")
            parts += [about, Text("")]
        parts.append(self.md(caveat.text))
        if caveat.references:
            parts += [references_text(caveat.references)]
        box = Static(Group(*parts), classes="caveat")
        box.border_title = "⚠ 주의 / Caveat"
        return box

    def _links(self) -> list[Widget]:
        out: list[Widget] = []
        outgoing = [e for e in self.links if e.kind == "link"]
        incoming = [e for e in self.links if e.kind == "backlink"]
        if outgoing:
            out += [self._heading("Links · 관련 노트"),
                    LinkList(*(LinkItem(e) for e in outgoing), id="note-links",
                             classes="links")]
        if incoming:
            out += [self._heading("Linked from"),
                    LinkList(*(LinkItem(e) for e in incoming), id="note-backlinks",
                             classes="links")]
        if self.links:
            # Keys 1-9 follow links; past nine the list is the way (say so, not "its number").
            number = "its number" if len(self.links) <= 9 else "its number (1–9)"
            out.append(Static(Text(f"To follow a link press {number}, or l to go to the list "
                                   "and Enter; Esc comes back.", style="dim italic"),
                              classes="hint", id="note-links-hint"))
        return out

    @staticmethod
    def _heading(title: str) -> Static:
        return Static(line(title), classes="heading")

    def _meta(self) -> Table:
        note = self.note
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(ratio=1, overflow="fold")
        if note.aliases:
            grid.add_row("Aliases", Text(" · ".join(one_line(a) for a in note.aliases)))
        if note.tags:
            grid.add_row("Tags", Text("  ".join("#" + one_line(t) for t in note.tags)))
        dates = []
        if note.created:
            dates.append(f"created {note.created.isoformat()}")
        if note.modified:
            dates.append(f"modified {note.modified.isoformat()}")
        grid.add_row("About", Text(" · ".join([*dates, plural(len(note.questions), "question"),
                                              f"id {note.id}"]), style="dim"))
        return grid

    def _layers(self) -> Group:
        parts = []
        for i, layer in enumerate(self.note.layers):
            if i:
                parts.append(Text(""))
            parts.append(line(layer.name, "bold"))
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column(ratio=2, overflow="fold")
            grid.add_column(ratio=3, overflow="fold")
            for c in layer.components:
                grid.add_row("  •", plain(c.name, "bold"), plain(c.role))
            parts.append(grid)
        return Group(*parts)

    @staticmethod
    def _pairs(pairs: list[tuple[str, str]]) -> Table:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(ratio=2, overflow="fold")
        grid.add_column(ratio=5, overflow="fold")
        for a, b in pairs:
            grid.add_row(plain(a, "bold"), plain(b))
        return grid

    def _questions(self) -> Group:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="bold", justify="right")
        grid.add_column(ratio=1, overflow="fold")
        for i, q in enumerate(self.note.questions, 1):
            # [[links]] as their labels, as the quiz shows the stem; no raw link syntax.
            row = Text(stem_line(q.stem, 160))
            extra = [e for e in (q.difficulty or "", f"choose {q.choose}" if q.choose > 1 else "")
                     if e]
            if extra:
                row.append(f"  ({', '.join(extra)})", style="dim")
            grid.add_row(f"{i}.", row)
        return Group(grid, Text("Press p to practise this note's questions.", style="italic"))

    # -- following links
    def entry(self, number: int) -> LinkEntry | None:
        for e in self.links:
            if e.number == number:
                return e
        return None

    def follow(self, number: int) -> bool:
        """Follow link ``number``; False if there is no such followable link."""
        e = self.entry(number)
        if e is None or e.note is None:
            return False
        self.post_message(self.FollowLink(e.note.id))
        return True

    @on(ListView.Selected, ".links")
    def _selected(self, event: ListView.Selected) -> None:
        event.stop()
        item = event.item
        if isinstance(item, LinkItem) and item.entry.note is not None:
            self.post_message(self.FollowLink(item.entry.note.id))

    async def focus_links(self) -> bool:
        await self.finish()
        for lv in self.query(ListView):
            lv.focus()
            self.scroll_to_widget(lv)
            return True
        return False
