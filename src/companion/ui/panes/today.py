"""The Today pane: what to do today, in one screen, and a key to start each part of it."""

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from companion.services.study_session import EVERY_DECK, load_scope, save_scope
from companion.services.today import TodayPlan, plan_today
from companion.text import plural, shorten
from companion.ui.safe_text import plain

GAUGE_CELLS = 10
SPREAD_DAYS = 7  # `b`: a week, as the FSRS helper's postpone suggests after a break


def gauge(fraction: float, cells: int = GAUGE_CELLS) -> str:
    """A bar of `cells` characters, filled to `fraction` (0-1)."""
    filled = round(max(0.0, min(1.0, fraction)) * cells)
    return "█" * filled + "░" * (cells - filled)


def reviews_text(plan: TodayPlan) -> Text:
    text = Text("Reviews  ", "bold")
    if not plan.due_reviews:
        text.append("nothing due today", "green")
        return text
    text.append(plural(plan.due_now, "card"))
    text.append(" due now")
    if plan.due_later:
        text.append(f", {plan.due_later} more later today", "dim")
    text.append(f"  ·  about {max(1, round(plan.review_minutes))} min", "cyan")
    whose = "your pace" if plan.own_pace else "until 20 answers show your pace"
    text.append(f"  ({plan.seconds_per_answer:.0f} s an answer, {whose})", "dim")
    return text


def blocks_text(plan: TodayPlan) -> Text:
    text = Text("Focus    ", "bold")
    target = max(plan.blocks_target, 1)
    style = "green" if plan.blocks_done >= plan.blocks_target else "yellow"
    text.append(gauge(plan.blocks_done / target), style)
    text.append(f"  {plan.blocks_done} of {plan.blocks_target} blocks")
    text.append(f" of {plan.focus_minutes:.0f} min today (your weekly target / 7)", "dim")
    return text


def fading_text(plan: TodayPlan) -> Text:
    text = Text("Memory   ", "bold")
    if not plan.weak_phases:
        text.append("no phase is fading below your desired retention", "dim")
        return text
    for number, phase in enumerate(plan.weak_phases[:5]):
        if number:
            text.append("\n         ")
        text.append(gauge(phase.retrievability), "red")
        text.append(f" {phase.retrievability:.0%}  ")
        text.append_text(plain(shorten(phase.title, 50)))
        text.append(f"  ({phase.due} due of {plural(phase.cards, 'card')})", "dim")
    return text


class TodayPane(VerticalScroll, can_focus=False):
    """The day's plan: reviews, the next items, focus blocks, fading phases."""

    BINDINGS = [
        Binding("r", "start_reviews", "Review now"),
        Binding("f", "focus_next", "Focus on item"),
        Binding("enter", "focus_next", "Focus on item", show=False),
        Binding("b", "spread_backlog", "Spread backlog", show=False),
        Binding("B", "undo_spread", "Put spread back", show=False),
        Binding("g", "refresh_plan", "Refresh", show=False),
    ]

    def __init__(self, library, store, settings, **kwargs) -> None:  # noqa: ANN001
        super().__init__(**kwargs)
        self.library, self.store, self.settings = library, store, settings
        self.plan: TodayPlan | None = None
        self._planned_at = -1e9

    def compose(self) -> ComposeResult:
        yield Static(id="today-title")
        yield Static(id="today-reviews")
        yield Static(Text("Next on your roadmaps", "bold"), id="today-next-title")
        yield OptionList(id="today-items")
        yield Static(id="today-blocks")
        yield Static(id="today-memory")
        yield Static(id="today-keys")

    def on_mount(self) -> None:
        # after the first frame: a large collection's plan should not hold back the screen
        self.query_one("#today-reviews", Static).update(Text("Working out today's plan…", "dim"))
        self.call_after_refresh(self.refresh_plan)

    def focus(self, scroll_visible: bool = True):  # noqa: ANN201 - the list takes the keys
        return self.query_one("#today-items", OptionList).focus(scroll_visible)

    def action_refresh_plan(self) -> None:
        self.refresh_plan()

    def refresh_plan(self, force: bool = True) -> None:
        """Work the plan out again (when the pane comes forward, and after study; not twice
        within a second: coming forward just after being built)."""
        if not force and time.monotonic() - self._planned_at < 1.0:
            return
        self._planned_at = time.monotonic()
        review = self.app.main.pane("review")  # type: ignore[attr-defined]
        session = getattr(review, "session", None)  # its queue, once the pane is built
        if getattr(review, "scope", EVERY_DECK) != EVERY_DECK:
            session = None  # a custom study's or one deck's: the plan counts every deck
        now = self.app.now()  # type: ignore[attr-defined]
        self.plan = plan = plan_today(self.library, self.store, self.settings, now, session,
                                      self.app.roadmap_memory)  # type: ignore[attr-defined]  # fmt: skip
        local = now.astimezone()
        title = Text(f"{local:%A} {local.day} {local:%B}", "bold")
        if plan.behind:
            late = plural(len(plan.behind), "roadmap")
            title.append(f"  ·  behind your weekly target on {late}: more items today", "yellow")
        self.query_one("#today-title", Static).update(title)
        self.query_one("#today-reviews", Static).update(reviews_text(plan))
        items = self.query_one("#today-items", OptionList)
        highlighted = items.highlighted
        items.clear_options()
        for item in plan.next_items:
            line = Text("▸ " if item.state == "doing" else "· ", "yellow")
            room = max(30, self.app.size.width - 20 - min(len(item.roadmap_title), 30))
            line.append_text(plain(shorten(item.text, room)))
            line.append(f"  {shorten(item.roadmap_title, 30)}", "dim")
            if item.hours:
                line.append(f"  ~{item.hours:.1f} h", "cyan")
            if item.roadmap_id in plan.behind:
                line.append("  catching up", "yellow")
            items.add_option(Option(line, id=item.item_id))
        if not plan.next_items:
            items.add_option(Option(Text("Nothing left on your roadmaps", "dim"), disabled=True))
        elif highlighted is not None:
            items.highlighted = min(highlighted, len(plan.next_items) - 1)
        else:
            items.highlighted = 0
        blocks = blocks_text(plan)
        timer = self.app.timer  # type: ignore[attr-defined]
        if timer.state.status.value == "running" and timer.state.phase.value == "focus":
            blocks.append(f"  ·  {timer.remaining() / 60:.0f} min left on the clock", "cyan")
        self.query_one("#today-blocks", Static).update(blocks)
        self.query_one("#today-memory", Static).update(fading_text(plan))
        self.query_one("#today-keys", Static).update(
            Text(
                "r review now  ·  f / enter focus on the item  ·  b spread a backlog over a week"
                "  ·  m roadmap",
                "dim",
            )  # fmt: skip
        )

    def _chosen_item(self) -> str | None:
        items = self.query_one("#today-items", OptionList)
        if items.highlighted is None or not self.plan or not self.plan.next_items:
            return None
        return items.get_option_at_index(items.highlighted).id

    def action_spread_backlog(self) -> None:
        """Spread the reviews waiting today over the next days, after asking."""
        from companion.services.backlog import spread_backlog
        from companion.ui.dialogs.confirm import Confirm

        plan = self.plan
        if plan is None or plan.due_now < SPREAD_DAYS * 2:
            self.notify("No backlog to spread: the reviews of today fit in today.")
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            now = self.app.now()  # type: ignore[attr-defined]
            done = spread_backlog(self.library, self.store, self.settings, now, SPREAD_DAYS)
            self.notify(
                f"{done.moved} of {done.before_today} reviews moved over the next {SPREAD_DAYS} "
                f"days, the most at risk first: at most {done.most_a_day} a day. B puts them back.",
                title="Backlog spread",
                timeout=10,
            )
            review = self.app.main.pane("review")  # type: ignore[attr-defined]
            if review is not None:
                review.queue_changed(set())
            self.refresh_plan()

        self.app.push_screen(
            Confirm(
                f"Spread the reviews waiting today over {SPREAD_DAYS} days, the cards you "
                "are most likely to have forgotten first?"
            ),  # fmt: skip
            confirmed,
        )

    def action_undo_spread(self) -> None:
        from companion.services.backlog import undo_spread

        back = undo_spread(self.store, self.app.now())  # type: ignore[attr-defined]
        self.notify(f"{plural(back, 'card')} put back." if back else "No spread to put back.")
        review = self.app.main.pane("review")  # type: ignore[attr-defined]
        if back and review is not None:
            review.queue_changed(set())
        self.refresh_plan()

    def action_start_reviews(self) -> None:
        """Review the cards this plan counts: every deck, leaving a custom study."""
        self.app.main.show_pane("review")  # type: ignore[attr-defined]
        review = self.app.main.pane("review")  # type: ignore[attr-defined]
        if review is not None:
            review.study_every_deck()
        elif load_scope(self.store) != EVERY_DECK:  # the pane, still being built, reads it
            save_scope(self.store, EVERY_DECK)

    def action_focus_next(self) -> None:
        """Start a focus block on the item under the cursor (the first, unless moved)."""
        item_id = self._chosen_item()
        if item_id is None:
            self.notify("No item to focus on: every roadmap item is finished.")
            return
        self.app.start_focus_on(item_id)  # type: ignore[attr-defined]
