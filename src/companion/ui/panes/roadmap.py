"""The Roadmap pane: phases and items as a tree, with state keys and progress."""

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from companion.content.loader import Library
from companion.content.progress import (
    Progress,
    first_unfinished,
    item_state,
    phase_progress,
    roadmap_progress,
)
from companion.content.roadmap import Item, Phase, Roadmap
from companion.progress_sync import sync_progress
from companion.store import Store
from companion.ui.messages import OpenItem, RoadmapNodeHighlighted, StudyChanged
from companion.ui.safe_text import plain

STATE_MARKS = {
    "todo": ("○", "dim"),
    "doing": ("◐", "bold yellow"),
    "done": ("●", "green"),
    "skipped": ("–", "dim italic"),
}


@dataclass(frozen=True)
class NodeRef:
    """What a tree node stands for."""

    kind: str
    roadmap_id: str
    key: str


def progress_text(progress: Progress) -> Text:
    """A short bar and percentage, like `██░░░ 40% (4/10)`."""
    filled = round(progress.percent / 20)
    return Text.assemble(
        ("█" * filled, "green"),
        ("░" * (5 - filled), "dim"),
        f" {progress.percent}% ({progress.finished}/{progress.total})",
    )


class RoadmapTree(Tree[NodeRef]):
    """The roadmap tree; state keys live here so they work where the cursor is."""

    BINDINGS = [
        Binding("x", "set_state('done')", "Done"),
        Binding("w", "set_state('doing')", "Doing"),
        Binding("s", "set_state('skipped')", "Skip"),
        Binding("o", "set_state('todo')", "To do", show=False),
    ]

    def action_set_state(self, state: str) -> None:
        """Ask the pane to change the state of the item under the cursor."""
        self.parent_pane.change_state(self.cursor_node, state)

    @property
    def parent_pane(self) -> "RoadmapPane":
        """The pane holding this tree."""
        return self.app.query_one(RoadmapPane)


class RoadmapPane(Vertical):
    """Every roadmap as a tree of phases and items, with progress per phase and overall."""

    def __init__(self, library: Library, store: Store, **kwargs) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.store = store
        self.states = store.item_states()
        self.item_nodes: dict[str, TreeNode[NodeRef]] = {}
        self.phase_nodes: dict[str, TreeNode[NodeRef]] = {}
        self.roadmap_nodes: dict[str, TreeNode[NodeRef]] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="roadmap-summary")
        tree: RoadmapTree = RoadmapTree(Text("Roadmaps"), id="roadmap-tree")
        tree.show_root = False
        tree.guide_depth = 3
        yield tree

    def on_mount(self) -> None:
        synced = sync_progress(self.library, self.store)
        if synced.relinked:
            self.states = self.store.item_states()
            self.notify(f"{len(synced.relinked)} edited roadmap item(s) kept their progress.")
        tree = self.query_one(RoadmapTree)
        for roadmap in self.library.roadmaps:
            roadmap_node = tree.root.add(
                Text(), NodeRef("roadmap", roadmap.id, roadmap.id), expand=True
            )
            self.roadmap_nodes[roadmap.id] = roadmap_node
            for phase in roadmap.phases:
                self._add_phase(roadmap_node, roadmap, phase)
        self.refresh_labels()
        if not self.library.roadmaps:
            tree.root.add_leaf(Text("No roadmaps found: add Markdown files to roadmaps/", "dim"))

    def _add_phase(self, parent: TreeNode[NodeRef], roadmap: Roadmap, phase: Phase) -> None:
        node = parent.add(Text(), NodeRef("phase", roadmap.id, phase.id), expand=True)
        self.phase_nodes[phase.id] = node
        parents = {item.parent_id for item in phase.items}
        for item in phase.items:
            owner = self.item_nodes.get(item.parent_id or "", node)
            ref = NodeRef("item", roadmap.id, item.id)
            if item.id in parents:
                self.item_nodes[item.id] = owner.add(Text(), ref, expand=True)
            else:
                self.item_nodes[item.id] = owner.add_leaf(Text(), ref)

    def _item_label(self, item: Item) -> Text:
        mark, style = STATE_MARKS[item_state(item, self.states)]
        label = Text.assemble((mark + " ", style), plain(item.text))
        if item.resources:
            label.append(f"  ↗{len(item.resources)}", "dim cyan")
        if item_state(item, self.states) == "skipped":
            label.stylize("dim")
        return label

    def refresh_labels(self) -> None:
        """Redraw every label and the summary from the current states."""
        for roadmap in self.library.roadmaps:
            label = Text.assemble(
                plain(roadmap.title, "bold"),
                "  ",
                progress_text(roadmap_progress(roadmap, self.states)),
            )
            self.roadmap_nodes[roadmap.id].set_label(label)
            for phase in roadmap.phases:
                self._refresh_phase(phase)
        self._refresh_summary()

    def _refresh_phase(self, phase: Phase) -> None:
        label = plain(phase.title, "bold")
        if phase.estimate:
            label.append(f"  [{phase.estimate.text}]", "italic cyan")
        if phase.items:
            label.append("  ")
            label.append_text(progress_text(phase_progress(phase, self.states)))
        self.phase_nodes[phase.id].set_label(label)
        for item in phase.items:
            self.item_nodes[item.id].set_label(self._item_label(item))

    def _refresh_summary(self) -> None:
        all_items = [item for roadmap in self.library.roadmaps for item in roadmap.items]
        finished = sum(1 for i in all_items if item_state(i, self.states) in ("done", "skipped"))
        total = len(all_items)
        summary = Text.assemble(
            ("Overall ", "bold"),
            progress_text(Progress(finished, total)),
            (f"  ·  {total - finished} left", "dim"),
            ("   x done · w doing · s skip · enter read", "dim"),
        )
        self.query_one("#roadmap-summary", Static).update(summary)

    def change_state(self, node: TreeNode[NodeRef] | None, state: str) -> None:
        """Set the item's state; pressing the key of its current state puts it back to todo."""
        if node is None or node.data is None or node.data.kind != "item":
            self.app.bell()
            return
        ref = node.data
        item = self._item(ref)
        current = item_state(item, self.states)
        new_state = "todo" if current == state else state
        roadmap = next(r for r in self.library.roadmaps if r.id == ref.roadmap_id)
        self.store.set_item_state(
            ref.roadmap_id, ref.key, new_state, self._now(), item.text, roadmap.phase_of(item).title
        )
        self.states[item.id] = new_state
        self.refresh_labels()
        self.post_message(StudyChanged())

    def _item(self, ref: NodeRef) -> Item:
        roadmap = next(r for r in self.library.roadmaps if r.id == ref.roadmap_id)
        item = roadmap.find_item(ref.key)
        assert item is not None
        return item

    def _now(self) -> datetime:
        return self.app.now()  # type: ignore[attr-defined]

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
