"""Before and after at the place of an activity (issue 15, item 5): the activity's date
starts a window of `ACTIVITY_WINDOW_DAYS` days, compared with as many days just before
(incidents/before_after.py). Staff pages only: EST incidents are kommun-internal."""

from medborgarlofte.incidents import before_after

# The activities page compares at most this many (the newest with a place): each costs
# two queries.
MAX_COMPARISONS = 20


def activity_comparisons(activities) -> list[tuple]:
    """(activity, Comparison or None) for the newest activities that name a place."""
    rows = []
    for activity in activities:
        if activity.place_id and len(rows) < MAX_COMPARISONS:
            start, end = before_after.activity_window(activity.date)
            rows.append((activity, before_after.compare_place(activity.place, start, end)))
    return rows
