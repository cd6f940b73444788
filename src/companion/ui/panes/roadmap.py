"""The Roadmap pane: every roadmap as a tree, with state keys, progress, pace and notes."""

import os
import shlex
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from companion.config import Settings
from companion.content.loader import Library
from companion.content.progress import FINISHED, Progress, first_unfinished, item_state
from companion.content.roadmap import Item, Roadmap
from companion.services.progress_sync import (
    STARTED,
    AttachError,
    attach,
    record_state,
    sync_progress,
    track_item,
    unplaced_progress,
)
from companion.services.roadmap_memory import RoadmapMemory
from companion.store import Store
from companion.store.errors import not_saved
from companion.store.notes import note_path, read_note, write_note
from companion.store.roadmap_events import file_digest
from companion.text import plural
from companion.timer.pace import forecast, phase_times
from companion.ui.messages import OpenItem, RoadmapNodeHighlighted, StudyChanged
from companion.ui.panes.roadmap_labels import item_label, phase_label, progress_text, roadmap_label
from companion.ui.safe_text import plain


@dataclass(frozen=True)
class NodeRef:
    """What a tree node stands for."""

    kind: str
    roadmap_id: str
    key: str


class RoadmapTree(Tree[NodeRef]):
    """The roadmap tree; item keys live here so they act where the cursor is."""

    BINDINGS = [
        Binding("x", "pane('done')", "Done"),
        Binding("w", "pane('doing')", "Doing"),
        Binding("s", "pane('skipped')", "Skip"),
        Binding("o", "pane('todo')", "To do", show=False),
        Binding("n", "pane('note')", "Notes"),
        Binding("E", "pane('editor')", "Notes in $EDITOR", show=False),
        Binding("a", "pane('attach')", "Attach kept progress", show=False),
        Binding("h", "pane('filter')", "Hide done", show=False),
        Binding("F", "pane('fading')", "Fading only", show=False),
        Binding("L", "app.check_links", "Check links", show=False),
        Binding("left", "fold", "Fold / to parent", show=False),
        Binding("right", "unfold", "Unfold / into", show=False),
        Binding("right_square_bracket", "jump(1)", "Next roadmap", show=False),
        Binding("left_square_bracket", "jump(-1)", "Previous roadmap", show=False),
    ]

    def on_show(self) -> None:
        # A cursor placed while the tab was hidden scrolled against a height of zero, which
        # left the cursor's line at the top and the roadmap and phase titles above it unseen.
        line = self.cursor_line
        if 0 <= line < self.scrollable_content_region.height:
            self.scroll_home(animate=False)
        elif line >= 0:
            self.scroll_to_line(line, animate=False)

    def action_fold(self) -> None:
        """Left: fold an open node, else go up to its parent."""
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    def action_unfold(self) -> None:
        """Right: unfold a folded node, else go into its first child."""
        node = self.cursor_node
        if node is None or not node.children:
            return
        if not node.is_expanded:
            node.expand()
        else:
            self.move_cursor(node.children[0])

    def action_jump(self, step: int) -> None:
        """Move to the next or previous roadmap."""
        roadmaps = list(self.root.children)
        if not roadmaps:
            return
        node = self.cursor_node
        while node is not None and node.parent is not self.root:
            node = node.parent
        index = roadmaps.index(node) if node in roadmaps else -1
        self.move_cursor(roadmaps[(index + step) % len(roadmaps)])

    def action_pane(self, command: str) -> None:
        """Hand the key to the pane with the node under the cursor."""
        self.screen.query_one(RoadmapPane).command(command, self.cursor_node)


class RoadmapPane(Vertical):
    """Every roadmap as a tree of phases and items."""

    def __init__(self, library: Library, store: Store, settings: Settings, **kwargs) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.store = store
        self.states = store.item_states()
        self.hide_finished = False
        self.fading_only = False
        """Only the items whose cards are remembered below the desired retention (and their
        parents)."""
        self.memory = RoadmapMemory(library, store, settings)  # the app's, once it is mounted
        self.attaching: str | None = None
        """Kept progress picked with `a`, to put on the next item `a` is pressed on."""
        self.item_nodes: dict[str, TreeNode[NodeRef]] = {}
        self.phase_nodes: dict[str, TreeNode[NodeRef]] = {}
        self.roadmap_nodes: dict[str, TreeNode[NodeRef]] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="roadmap-summary")
        tree: RoadmapTree = RoadmapTree(Text("Roadmaps"), id="roadmap-tree")
        tree.show_root = False
        tree.guide_depth = 3
        yield tree

    def _files_changed(self) -> bool:
        """Whether a roadmap file on disk is no longer the one this tree was built from."""
        return any(
            file_digest(Path(r.source)) != self._digests.get(r.id)
            for r in self.library.roadmaps
            if r.source
        )

    def on_mount(self) -> None:
        self.memory = self.app.roadmap_memory  # type: ignore[attr-defined]  # shared with Today
        self._digests = {
            r.id: file_digest(Path(r.source)) for r in self.library.roadmaps if r.source
        }
        self._told_restart = False
        synced = sync_progress(self.library, self.store)
        if synced.relinked or synced.unplaced:
            self.states = self.store.item_states()
        if synced.relinked:
            self.notify(
                f"{plural(len(synced.relinked), 'edited roadmap item')} kept their progress."
            )
        for line in synced.moved:
            self.notify(line, title="Progress moved", severity="warning", timeout=15)
        for line in synced.unplaced:
            self.notify(line, title="Progress kept", severity="warning", timeout=15)
        for line in synced.behind:
            self.notify(line, title="Sync", timeout=10)
        self.build_tree()
        self.call_after_refresh(self.select_item, self.app.selected_item_id)  # type: ignore[attr-defined]

    # -- building ----------------------------------------------------------
    def build_tree(self) -> None:
        """(Re)build the tree; with the filter on, finished items without open children hide."""
        tree = self.query_one(RoadmapTree)
        tree.clear()
        self.item_nodes, self.phase_nodes, self.roadmap_nodes = {}, {}, {}
        for roadmap in self.library.roadmaps:
            phases = roadmap.phases
            if self.fading_only:  # only where something fades: the rest would be empty
                weak = {i for i, m in self.memory.of_items(roadmap, self._now()).items() if m.weak}
                phases = [p for p in phases if any(item.id in weak for item in p.items)]
                if not phases:
                    continue
            node = tree.root.add(Text(), NodeRef("roadmap", roadmap.id, roadmap.id), expand=True)
            self.roadmap_nodes[roadmap.id] = node
            for phase in phases:
                phase_node = node.add(Text(), NodeRef("phase", roadmap.id, phase.id), expand=True)
                self.phase_nodes[phase.id] = phase_node
                self._add_items(phase_node, roadmap, phase.items)
        if self.fading_only and not self.roadmap_nodes:
            tree.root.add_leaf(Text("No item's cards are fading (F shows every item)", "dim"))
        if not self.library.roadmaps:
            tree.root.add_leaf(Text("No roadmaps yet: `companion roadmap add FILE_OR_URL`", "dim"))
        self._add_kept(tree)
        self.refresh_labels()

    def _add_kept(self, tree: RoadmapTree) -> None:
        """Progress whose item an edit took away: kept, shown, and attachable with `a`."""
        kept = [
            record
            for record in unplaced_progress(self.library, self.store)
            if record.get("state") in STARTED
        ]
        if not kept:
            return
        title = Text(f"No longer in the roadmap: {len(kept)} kept  ", "bold yellow")
        title.append("a on one, then a on an item, to put it back", "dim")
        node = tree.root.add(title, NodeRef("kept", "", ""), expand=True)
        for record in kept:
            label = Text(f"{record['state']:<8} ", "yellow")
            label.append_text(plain(record.get("text") or record["item_id"]))
            label.append(f"  ({record.get('roadmap_id', '')})", "dim")
            node.add_leaf(label, NodeRef("kept", record.get("roadmap_id", ""), record["item_id"]))

    def _add_items(
        self, phase_node: TreeNode[NodeRef], roadmap: Roadmap, items: list[Item]
    ) -> None:
        parents = {item.parent_id for item in items}
        open_ids = {i.id for i in items if item_state(i, self.states) not in FINISHED}
        shown = open_ids if self.hide_finished else {i.id for i in items}
        if self.fading_only:
            weak = self.memory.of_items(roadmap, self._now())
            shown &= {item_id for item_id, memory in weak.items() if memory.weak}
        visible_parents = {i.parent_id for i in items if i.id in shown}
        filtering = self.hide_finished or self.fading_only
        for item in items:
            if filtering and item.id not in shown and item.id not in visible_parents:
                continue
            owner = self.item_nodes.get(item.parent_id or "", phase_node)
            ref = NodeRef("item", roadmap.id, item.id)
            if item.id in parents:
                self.item_nodes[item.id] = owner.add(Text(), ref, expand=True)
            else:
                self.item_nodes[item.id] = owner.add_leaf(Text(), ref)

    def others_ticked(self) -> None:
        """Items set on another machine came in: those made on another version of a roadmap
        are placed on their items, and the states are read again and redrawn."""
        if self._files_changed():
            if not self._told_restart:
                self._told_restart = True
                self.notify(
                    "A roadmap file changed on disk (another machine updated it): "
                    "restart companion to see it.",
                    title="Sync",
                    timeout=15,
                )
        else:  # moving progress by a tree no longer on disk would undo the other machine's
            sync_progress(self.library, self.store)
        self.states = self.store.item_states()
        self.refresh_labels()

    def refresh_labels(self, only: Item | None = None) -> None:
        """Redraw labels and the summary from the current states and study log: every label,
        or with `only`, that item's and its phase's and roadmap's (a tick on a 4,000-item
        roadmap redrew every label, half a second)."""
        blocks = self.store.study_blocks()
        weekly = self.app.settings.weekly_target_hours  # type: ignore[attr-defined]
        now = self._now()
        notes = {p.stem for p in (self.store.data_dir / "notes").glob("*.md")}
        links = self.app.link_watch  # type: ignore[attr-defined]
        owner = self.library.find_item(only.id) if only is not None else None
        for roadmap in [owner[0]] if owner else self.library.roadmaps:
            if roadmap.id not in self.roadmap_nodes:
                continue  # filtered out
            outlook = forecast(roadmap, self.states, blocks, now, weekly)
            item_memory = self.memory.of_items(roadmap, now)
            phase_memory = self.memory.of_phases(roadmap, now)
            self.roadmap_nodes[roadmap.id].set_label(roadmap_label(roadmap, self.states, outlook))
            times = {t.phase_id: t for t in phase_times(roadmap, blocks, weekly)}
            phases = [roadmap.phase_of(only)] if owner and only else roadmap.phases
            for phase in phases:
                if phase.id not in self.phase_nodes:
                    continue
                label = phase_label(phase, self.states, times.get(phase.id),
                                    phase_memory.get(phase.id))  # fmt: skip
                self.phase_nodes[phase.id].set_label(label)
                for item in [only] if owner and only else phase.items:
                    if item.id in self.item_nodes:
                        has_note = note_path(self.store.data_dir, item.id).stem in notes
                        health = links.worst([r.url for r in item.resources])
                        memory = item_memory.get(item.id)
                        label = item_label(item, self.states, has_note, health, memory)
                        self.item_nodes[item.id].set_label(label)
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        all_items = [item for roadmap in self.library.roadmaps for item in roadmap.items]
        finished = sum(1 for i in all_items if item_state(i, self.states) in FINISHED)
        total = len(all_items)
        hint = (
            "   x done · w doing · s skip · n notes · h "
            + ("show all" if self.hide_finished else "hide done")
            + (" · F all" if self.fading_only else " · F fading")
        )
        summary = Text.assemble(
            ("Overall ", "bold"),
            progress_text(Progress(finished, total)),
            (f"  ·  {total - finished} left", "dim"),
            (hint, "dim"),
        )
        self.query_one("#roadmap-summary", Static).update(summary)

    # -- keys ----------------------------------------------------------------
    def command(self, command: str, node: TreeNode[NodeRef] | None) -> None:
        """A key pressed in the tree: a state, notes, or the filter."""
        if command in ("filter", "fading"):
            if command == "filter":
                self.hide_finished = not self.hide_finished
            else:
                self.fading_only = not self.fading_only
                if self.fading_only:
                    self.notify("Only items whose cards are fading: F shows all again.")
            self.build_tree()
            # Lines are known once the rebuilt tree is laid out.
            self.call_after_refresh(self._keep_cursor_near, node.data if node else None)
            return
        if command == "attach":
            self._attach_kept(node)
            return
        if node is None or node.data is None or node.data.kind != "item":
            self.app.bell()
            return
        roadmap, item = self._item(node.data)
        if command == "note":
            from companion.ui.dialogs.note_editor import NoteEditor  # TextArea: slow to import

            base = read_note(self.store.data_dir, item.id)
            self.app.push_screen(
                NoteEditor(item.text, base), lambda text: self._save_note(item, text, base)
            )
        elif command == "editor":
            self._external_editor(item)
        else:
            self._set_state(roadmap, item, command)

    def _attach_kept(self, node: TreeNode[NodeRef] | None) -> None:
        """`a` on kept progress picks it; `a` on an item then puts it there."""
        data = node.data if node is not None else None
        if data is not None and data.kind == "kept" and data.key:
            self.attaching = data.key
            self.notify("Now move to the item it belongs on and press a.", timeout=6)
            return
        if data is None or data.kind != "item" or self.attaching is None:
            self.notify("Press a on kept progress first (under 'No longer in the roadmap').")
            return
        try:
            record, text = attach(self.library, self.store, self.attaching, data.key)
        except (AttachError, OSError) as error:
            message = not_saved(error) if isinstance(error, OSError) else str(error)
            self.notify(message, severity="error", timeout=8)
            return
        self.attaching = None
        self.states = self.store.item_states()
        self.notify(f"'{record.get('text', '')}' ({record.get('state')}) is now on '{text}'.")
        self.build_tree()
        self.select_item(data.key)
        self.post_message(StudyChanged())

    def _set_state(self, roadmap: Roadmap, item: Item, state: str) -> None:
        """Pressing the key of the item's current state puts it back to todo."""
        new_state = "todo" if item_state(item, self.states) == state else state
        try:
            record_state(self.store, roadmap, item, new_state, self._now())
        except OSError as error:
            self.notify(not_saved(error), severity="error", timeout=10)
            return
        self.states[item.id] = new_state
        self.refresh_labels(only=item)
        self.post_message(StudyChanged())

    def _save_note(self, item: Item, text: str | None, base: str) -> None:
        if text is None:
            return
        try:
            both = write_note(self.store.data_dir, item.id, text, base)
            self._track(item)
        except OSError as error:
            from companion.ui.dialogs.note_editor import NoteEditor

            self.notify(not_saved(error), severity="error", timeout=10)
            # The learner's words stay in front of them until they are on disk.
            self.app.push_screen(
                NoteEditor(item.text, text), lambda retry: self._save_note(item, retry, base)
            )
            return
        if both:
            self.notify(
                "The note also changed in its file meanwhile: both versions are kept in it.",
                severity="warning",
                timeout=8,
            )
        else:
            self.notify("Notes saved." if text.strip() else "Notes removed.", timeout=2)
        self.refresh_labels(only=item)
        self.post_message(StudyChanged())

    def _track(self, item: Item) -> None:
        """Keep the item's identity with the store, so its note follows it through edits."""
        track_item(self.library, self.store, item.id, self._now())

    def _external_editor(self, item: Item) -> None:
        """Open the item's notes in $EDITOR (the app steps aside while it runs)."""
        path = note_path(self.store.data_dir, item.id)
        if not path.exists():
            write_note(self.store.data_dir, item.id, f"# {item.text}\n\n")
            self._track(item)
        command = shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")
        try:
            with self.app.suspend():
                subprocess.run([*command, str(path)], check=False)
        except SuspendNotSupported:
            subprocess.run([*command, str(path)], check=False, stdin=subprocess.DEVNULL)
        except OSError as error:
            self.notify(f"Could not start the editor: {error}", severity="error")
        self.refresh_labels()
        self.post_message(StudyChanged())

    def _item(self, ref: NodeRef) -> tuple[Roadmap, Item]:
        roadmap = next(r for r in self.library.roadmaps if r.id == ref.roadmap_id)
        item = roadmap.find_item(ref.key)
        assert item is not None
        return roadmap, item

    def _now(self) -> datetime:
        return self.app.now()  # type: ignore[attr-defined]

    def _keep_cursor_near(self, ref: NodeRef | None) -> None:
        """After the tree is rebuilt: the same node, else (an item now hidden) the next item
        still shown in its roadmap, else its phase."""
        tree = self.query_one(RoadmapTree)
        if ref is None:
            self.select_item(None)
            return
        nodes = {"item": self.item_nodes, "phase": self.phase_nodes, "roadmap": self.roadmap_nodes}
        node = nodes.get(ref.kind, {}).get(ref.key)
        if node is None and ref.kind == "item" and (found := self.library.find_item(ref.key)):
            roadmap, item = found
            after = roadmap.items[roadmap.items.index(item) :]
            node = next((self.item_nodes[i.id] for i in after if i.id in self.item_nodes), None)
            node = node or self.phase_nodes.get(item.phase_id)
        if node is not None:
            tree.move_cursor(node)
        else:
            self.select_item(None)

    def select_item(self, item_id: str | None) -> None:
        """Put the cursor on an item: the one given, else the first not yet finished."""
        node = self.item_nodes.get(item_id or "")
        if node is None:
            first = first_unfinished(self.library.roadmaps, self.states)
            node = self.item_nodes.get(first.id) if first else None
        if node is not None:
            self.query_one(RoadmapTree).move_cursor(node)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        ref = event.node.data
        if ref is not None:
            self.post_message(RoadmapNodeHighlighted(ref.kind, ref.roadmap_id, ref.key))

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeRef]) -> None:
        ref = event.node.data
        if ref is not None and ref.kind == "item":
            self.post_message(OpenItem(ref.key))
