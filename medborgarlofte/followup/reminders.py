"""Reminder e-mails for the cron job `medborgarlofte send_reminders`.

- missed: a commitment with a counted cadence (weekly, monthly …) has no activity in the
  last completed occurrence (last ISO week, last month …) → its owners are told;
- due: a tertial or yearly follow-up is due within N days and not yet published →
  the kommun's coordinators and police are told.

Owners are the users holding the coordinator role (for a municipality party) or the
police role (for a police party) in the kommun. Each (reminder, recipient) is recorded
in ReminderSent and never sent twice; --dry-run records and sends nothing.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from medborgarlofte.accounts.models import Membership, Role
from medborgarlofte.agreements.models import Agreement, Status

from . import meetings, periods
from .models import Activity, FollowUp, FollowUpStatus, ReminderSent, period_label

PARTY_ROLE = {"municipality": Role.COORDINATOR, "police": Role.POLICE}


@dataclass
class Reminder:
    agreement: Agreement
    kind: str
    key: str
    recipient: object
    subject: str
    body: str


def _recipients(municipality, party_kinds) -> list:
    roles = [PARTY_ROLE[k] for k in party_kinds if k in PARTY_ROLE]
    members = Membership.objects.filter(municipality=municipality, role__in=roles).select_related(
        "user"
    )
    users = {m.user.pk: m.user for m in members if m.user.is_active and m.user.email}
    return sorted(users.values(), key=lambda u: u.pk)


def _last_bucket(cadence: str, today: datetime.date):
    start = datetime.date(today.year - 1, 1, 1)
    done = [b for b in periods.buckets(cadence, start, today) if b.end < today]
    return done[-1] if done else None


def _missed(agreement, version, today) -> list[Reminder]:
    out = []
    for commitment in version.commitments.prefetch_related("owner_links__party"):
        bucket = _last_bucket(commitment.cadence, today)
        if bucket is None or not (agreement.period_start <= bucket.end <= agreement.period_end):
            continue
        logged = Activity.objects.filter(
            agreement=agreement,
            commitment_ref=commitment.ref,
            date__gte=bucket.start,
            date__lte=bucket.end,
        ).exists() or bool(
            meetings.meeting_dates(agreement, commitment.ref, bucket.start, bucket.end)
        )
        if logged:
            continue
        kinds = {link.party.kind for link in commitment.owner_links.all()}
        subject = _("Nothing logged for %(ref)s in %(period)s") % {
            "ref": commitment.ref,
            "period": bucket.key,
        }
        body = _(
            "The commitment “%(text)s” (%(municipality)s) is to be carried out %(cadence)s, but no "
            "activity was logged for %(period)s. Log it in Medborgarlöfte, or explain in the next follow-up."
        ) % {
            "text": commitment.text,
            "municipality": agreement.municipality.name,
            "cadence": commitment.get_cadence_display().lower(),
            "period": bucket.key,
        }
        for user in _recipients(agreement.municipality, kinds):
            out.append(
                Reminder(agreement, "missed", f"{commitment.ref}:{bucket.key}", user, subject, body)
            )
    return out


def _due(agreement, today, days: int) -> list[Reminder]:
    published = set(
        FollowUp.objects.filter(agreement=agreement, status=FollowUpStatus.PUBLISHED).values_list(
            "period", flat=True
        )
    )
    out = []
    for spec in periods.rhythm_for(agreement).specs():  # the agreement's own rhythm
        key, due = spec.key, spec.due
        if key in published or not (0 <= (due - today).days <= days):
            continue
        subject = _("Follow-up due %(date)s: %(municipality)s") % {
            "date": due.isoformat(),
            "municipality": agreement.municipality.name,
        }
        body = _(
            "The follow-up “%(period)s” of the citizen promise %(year)s is due on %(date)s. "
            "Fill in the status of every commitment; both parties then approve and publish."
        ) % {"period": period_label(key), "year": spec.year, "date": due.isoformat()}
        for user in _recipients(agreement.municipality, ["municipality", "police"]):
            out.append(Reminder(agreement, "due", f"due:{key}", user, subject, body))
    return out


def pending_reminders(today: datetime.date, days: int = 14) -> list[Reminder]:
    agreements = (
        Agreement.objects.filter(
            versions__status=Status.PUBLISHED,
            period_start__lte=today + datetime.timedelta(days=days),
            period_end__gte=today - datetime.timedelta(days=120),
        )
        .distinct()
        .select_related("municipality")
    )
    reminders = []
    for agreement in agreements:
        version = agreement.published_version()
        if today <= agreement.period_end + datetime.timedelta(days=7):
            reminders += _missed(agreement, version, today)
        reminders += _due(agreement, today, days)
    sent = set(
        ReminderSent.objects.filter(agreement__in=agreements).values_list(
            "agreement_id", "kind", "key", "recipient_id"
        )
    )
    return [r for r in reminders if (r.agreement.pk, r.kind, r.key, r.recipient.pk) not in sent]


def send_reminders(
    today: datetime.date, days: int = 14, *, dry_run: bool = False
) -> list[Reminder]:
    reminders = pending_reminders(today, days)
    if dry_run:
        return reminders
    for reminder in reminders:
        with transaction.atomic():
            _record, created = ReminderSent.objects.get_or_create(
                agreement=reminder.agreement,
                kind=reminder.kind,
                key=reminder.key,
                recipient=reminder.recipient,
                defaults={"municipality": reminder.agreement.municipality},
            )
            if created:
                send_mail(
                    reminder.subject,
                    reminder.body,
                    settings.DEFAULT_FROM_EMAIL,
                    [reminder.recipient.email],
                )
    return reminders
