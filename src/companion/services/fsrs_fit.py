"""Fitting FSRS to the learner's own review log (`companion cards optimize`), with fsrs-rs's
optimizer through its small Python binding (the `fsrs` package's optimizer needs PyTorch).

The log loss of the parameters in use and of the fitted ones is measured on the same log;
the fitted ones are saved only when they predict it better.
"""

from dataclasses import dataclass
from datetime import datetime

from companion.config import Settings
from companion.services.settings_sync import sync_settings
from companion.srs.event_order import undone_ids
from companion.srs.fit_history import MIN_ITEMS, training_items
from companion.srs.log_events import event_problem
from companion.store import Store
from companion.store.fsrs_parameters import last_fit, write_parameters

REFIT_DAYS = 30
REFIT_REVIEWS = 1000


@dataclass(frozen=True)
class FitResult:
    """What fitting found."""

    items: int
    reviews: int
    needed: int = 0
    """How many more training items the optimizer needs (0: it had enough)."""
    loss_before: float | None = None
    loss_after: float | None = None
    rmse_before: float | None = None
    rmse_after: float | None = None
    saved: bool = False


def fit_parameters(store: Store, settings: Settings, now: datetime) -> FitResult:
    """Fit, compare and (when better) save; the parameters are used from the next session."""
    reviews, items = _training(store)
    if len(items) < MIN_ITEMS:
        return FitResult(len(items), reviews, needed=MIN_ITEMS - len(items))
    import fsrs_rs_python as fsrs_rs  # a compiled optimizer: loaded only to fit

    shared: dict[tuple[int, int], object] = {}  # few distinct answers: one object each
    data = [
        fsrs_rs.FSRSItem(
            [shared.get(r) or shared.setdefault(r, fsrs_rs.FSRSReview(*r)) for r in item.reviews]
        )
        for item in items
    ]
    current = list(settings.fsrs_parameters) or list(fsrs_rs.DEFAULT_PARAMETERS)
    before = fsrs_rs.FSRS(current).evaluate(data)
    fitted = [float(p) for p in fsrs_rs.FSRS(current).compute_parameters(data)]
    after = fsrs_rs.FSRS(fitted).evaluate(data)
    better = after.log_loss < before.log_loss
    if better:
        write_parameters(
            store.local_dir,
            {
                "parameters": fitted,
                "fitted_at": now.isoformat(),
                "reviews": reviews,
                "log_loss": after.log_loss,
            },
        )
        sync_settings(store)  # the other machines schedule with them too
    return FitResult(
        len(items),
        reviews,
        loss_before=before.log_loss,
        loss_after=after.log_loss,
        rmse_before=before.rmse_bins,
        rmse_after=after.rmse_bins,
        saved=better,
    )


def _training(store: Store) -> tuple[int, list]:
    """The answers and the training items of the log, read as a stream (twice: the undos
    first), never all in memory as dicts."""
    log = store.review_log
    undone = undone_ids(e for e, _ in log.read_from(0, [b'"undo"'], check=event_problem))
    reviews = 0

    def answers():  # type: ignore[no-untyped-def]
        nonlocal reviews
        for event, _ in log.read_from(0, [b'"review"', b'"reset"'], check=event_problem):
            if event["kind"] in ("review", "reset"):
                reviews += event["kind"] == "review"
                yield event  # only its time and grade are kept

    items = training_items(answers(), undone)
    return reviews, items


def refit_reminder(store: Store, now: datetime) -> str | None:
    """A line for the stats view once a month and 1,000 reviews have passed since the last
    fit (or 1,000 reviews without any fit); None otherwise."""
    reviews = sum(counts[0] for counts in store.ledger.days.values())
    last = last_fit(store.local_dir)
    if last is None:
        due = reviews >= REFIT_REVIEWS
    else:
        try:
            days = (now - datetime.fromisoformat(str(last["fitted_at"]))).days
        except (TypeError, ValueError):
            days = REFIT_DAYS
        since = reviews - int(last.get("reviews", 0) or 0)
        due = days >= REFIT_DAYS and since >= REFIT_REVIEWS
    if not due:
        return None
    return "Time to fit FSRS to your reviews: run `companion cards optimize`."
