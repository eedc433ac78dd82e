"""Att göra: what waits for a user, on the to-do page and in the opt-in daily digest.

Composed here because follow-up is the highest layer that needs every part: approvals of
agreement versions, lägesbilder and follow-ups (accounts/approvals.py), follow-ups due or
overdue, meeting actions past their date (incidents), EST reporters who have not reported
this week (for the coordinator) and a lägesbild older than the coming period.

Nothing is stored: each item is computed from the data, so a to-do is cleared by doing the
thing (approving, publishing, closing the action, writing the lägesbild). Items name
documents, periods and counts, never other people: the digest carries no personal data
beyond the recipient's own address.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medborgarlofte.accounts import approvals
from medborgarlofte.accounts.models import (
    POLICE,
    ROLE_PARTY_KIND,
    Membership,
    Role,
    User,
    UserSettings,
)
from medborgarlofte.agreements.models import Agreement, AgreementVersion, Status
from medborgarlofte.incidents.models import MeetingAction, Report
from medborgarlofte.lagesbild.models import Lagesbild

from . import periods
from .models import FollowUp, FollowUpStatus, period_label

# A follow-up shows up this many days before it is due (as the reminders do).
DUE_SOON_DAYS = 14
# From this month on, the coming period is next year: time to write its lägesbild.
NEXT_YEAR_FROM_MONTH = 9


@dataclass
class TodoItem:
    kind: str  # approve | publish | followup | action | reporters | lagesbild
    municipality: object
    text: str
    url: str
    due: datetime.date | None = None
    overdue: bool = False


def _kommuner(user) -> dict:
    """{municipality: set of roles} for the kommuner the user works in."""
    found: dict = {}
    memberships = Membership.objects.filter(user=user).select_related("municipality")
    for m in memberships:
        found.setdefault(m.municipality, set()).add(m.role)
    return found


def _party_label(kind: str) -> str:
    return _("the police") if kind == POLICE else _("the municipality")


def _approval_items(kommun, kinds: list[str], documents) -> list[TodoItem]:
    """Documents the other party has approved and the user's party has not; agreed
    documents waiting to be published."""
    items = []
    for document, label, url, can_publish in documents:
        approved = {a.party_kind for a in document.approvals.all()}
        if document.approvals_final:
            continue
        if approved >= approvals.BOTH:
            if can_publish:
                items.append(
                    TodoItem(
                        "publish",
                        kommun,
                        _("Both parties have approved %(document)s: publish it.")
                        % {"document": label},
                        url,
                    )
                )
            continue
        for kind in kinds:
            if kind not in approved and approved:
                items.append(
                    TodoItem(
                        "approve",
                        kommun,
                        _("%(document)s waits for the approval of %(party)s.")
                        % {"document": label, "party": _party_label(kind)},
                        url,
                    )
                )
    return items


def _period_words(key: str) -> str:
    """'q1-2022' → 'kvartal 1 (januari–mars)': the label without the year."""
    try:
        base, _year = periods.split_key(key)
    except ValueError:
        return key
    return period_label(base).lower()


def _period_year(followup) -> int:
    try:
        return periods.split_key(followup.period)[1] or followup.agreement.year
    except ValueError:
        return followup.agreement.year


def _documents(kommun):
    versions = (
        AgreementVersion.objects.filter(municipality=kommun)
        .exclude(status=Status.PUBLISHED)
        .select_related("agreement")
        .prefetch_related("approvals")
    )
    for v in versions:
        yield (
            v,
            _("The citizen promise %(year)s, version %(number)d")
            % {"year": v.agreement.year, "number": v.number},
            reverse("agreements:version", args=[v.agreement.pk, v.number]),
            True,
        )
    for lb in Lagesbild.objects.filter(municipality=kommun, status=Lagesbild.Status.DRAFT):
        yield (
            lb,
            _("The lägesbild “%(title)s”") % {"title": lb.title},
            reverse("lagesbild:document", args=[lb.pk]),
            False,  # both approvals freeze it: nothing more to do
        )
    followups = (
        FollowUp.objects.filter(municipality=kommun)
        .exclude(status=FollowUpStatus.PUBLISHED)
        .select_related("agreement")
        .prefetch_related("approvals")
    )
    for f in followups:
        yield (
            f,
            _("The follow-up %(period)s %(year)s")
            % {"period": _period_words(f.period), "year": _period_year(f)},
            _followup_url(kommun, f.agreement, f.period),
            True,
        )


def _followup_url(kommun, agreement, key: str) -> str:
    """The follow-up page of a stored period key ('q1-2022' → …/2022/q1/)."""
    year, base = periods.url_parts(key, agreement.year)
    return reverse("followup:followup", args=[kommun.code, year, base])


def _followup_items(kommun, today) -> list[TodoItem]:
    """The expected follow-ups of the agreement's own rhythm (its follow-up plan: tertial,
    quarter, half year or its own dates; every year of a multi-year agreement) that are
    due within two weeks or overdue and not yet published."""
    agreements = Agreement.objects.filter(
        municipality=kommun,
        versions__status=Status.PUBLISHED,
        period_start__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        period_end__gte=today - datetime.timedelta(days=120),
    ).distinct()
    items = []
    for agreement in agreements:
        published = set(
            FollowUp.objects.filter(
                agreement=agreement, status=FollowUpStatus.PUBLISHED
            ).values_list("period", flat=True)
        )
        for spec in periods.rhythm_for(agreement).specs():
            due, ended = spec.due, spec.end < today
            if spec.key in published or not (ended or (due - today).days <= DUE_SOON_DAYS):
                continue
            overdue = due < today
            text = (
                _("The follow-up %(period)s %(year)s was due on %(date)s.")
                if overdue
                else _("The follow-up %(period)s %(year)s is due on %(date)s.")
            ) % {
                "period": period_label(spec.base).lower(),
                "year": spec.year,
                "date": due.isoformat(),
            }
            items.append(
                TodoItem(
                    "followup",
                    kommun,
                    text,
                    _followup_url(kommun, agreement, spec.key),
                    due,
                    overdue,
                )
            )
    return items


def _action_items(kommun, today) -> list[TodoItem]:
    actions = (
        MeetingAction.objects.filter(
            municipality=kommun, status=MeetingAction.Status.OPEN, due__lt=today
        )
        .select_related("meeting")
        .order_by("due", "id")
    )
    return [
        TodoItem(
            "action",
            kommun,
            _("The meeting action “%(text)s” was due on %(date)s.")
            % {"text": a.text[:80], "date": a.due.isoformat()},
            reverse("incidents:week", args=[kommun.code, a.meeting.iso_year, a.meeting.iso_week]),
            a.due,
            True,
        )
        for a in actions
    ]


def _reporter_items(kommun, today) -> list[TodoItem]:
    monday = today - datetime.timedelta(days=today.weekday())
    reporters = set(
        Membership.objects.filter(
            municipality=kommun, role=Role.REPORTER, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    if not reporters:
        return []
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
    reported = set(
        Report.objects.filter(municipality=kommun, created_at__gte=start).values_list(
            "reporter_id", flat=True
        )
    )
    silent = len(reporters - reported)
    if not silent:
        return []
    return [
        TodoItem(
            "reporters",
            kommun,
            ngettext(
                "%(count)d EST reporter has not reported this week.",
                "%(count)d EST reporters have not reported this week.",
                silent,
            )
            % {"count": silent},
            reverse("incidents:review", args=[kommun.code]),
        )
    ]


def coming_year(today: datetime.date) -> int:
    return today.year + 1 if today.month >= NEXT_YEAR_FROM_MONTH else today.year


def _lagesbild_items(kommun, today) -> list[TodoItem]:
    year = coming_year(today)
    approved = Lagesbild.objects.filter(
        municipality=kommun, status=Lagesbild.Status.APPROVED, promise_year__gte=year
    ).exists()
    if approved:
        return []
    return [
        TodoItem(
            "lagesbild",
            kommun,
            _("No approved lägesbild informs the citizen promise %(year)s yet.") % {"year": year},
            reverse("lagesbild:municipality", args=[kommun.code]),
        )
    ]


def todo_for(user, today: datetime.date | None = None) -> list[TodoItem]:
    """Everything that waits for the user, kommun by kommun."""
    today = today or timezone.localdate()
    items: list[TodoItem] = []
    for kommun, roles in sorted(_kommuner(user).items(), key=lambda kv: kv[0].name):
        kinds = sorted({ROLE_PARTY_KIND[r] for r in roles if r in ROLE_PARTY_KIND})
        if not kinds:
            continue  # readers and reporters have nothing to approve or follow up
        items += _approval_items(kommun, kinds, _documents(kommun))
        items += _followup_items(kommun, today)
        items += _action_items(kommun, today)
        if Role.COORDINATOR in roles:
            items += _reporter_items(kommun, today)
        items += _lagesbild_items(kommun, today)
    return items


# --- The daily digest ----------------------------------------------------------------------


def digest_body(user, items: list[TodoItem]) -> str:
    lines = [_("What waits for you in Medborgarlöfte:"), ""]
    current = None
    for item in items:
        if item.municipality != current:
            current = item.municipality
            lines += ["", current.name]
        lines.append(f"- {item.text}")
    lines += ["", _("The list: %(url)s") % {"url": settings.SITE_URL + reverse("followup:todo")}]
    lines += [_("You get this e-mail because you asked for it; turn it off on the same page.")]
    return "\n".join(lines)


def send_todo_digests(today: datetime.date, *, dry_run: bool = False) -> list[tuple]:
    """Send each user who opted in their to-do list, at most once a day and only when
    anything waits. Returns [(user, item count)]."""
    sent = []
    chosen = UserSettings.objects.filter(todo_digest=True, user__is_active=True).exclude(
        todo_digest_sent_on__gte=today
    )
    for row in chosen.select_related("user"):
        user: User = row.user
        if not user.email:
            continue
        items = todo_for(user, today)
        if not items:
            continue
        if dry_run:
            sent.append((user, len(items)))
            continue
        with transaction.atomic():
            # Claim the day first: a second run (or a parallel one) finds it taken.
            claimed = (
                UserSettings.objects.filter(pk=row.pk)
                .exclude(todo_digest_sent_on__gte=today)
                .update(todo_digest_sent_on=today)
            )
            if not claimed:
                continue
            subject = ngettext(
                "Medborgarlöfte: %(count)d thing waits for you",
                "Medborgarlöfte: %(count)d things wait for you",
                len(items),
            ) % {"count": len(items)}
            send_mail(subject, digest_body(user, items), settings.DEFAULT_FROM_EMAIL, [user.email])
        sent.append((user, len(items)))
    return sent
