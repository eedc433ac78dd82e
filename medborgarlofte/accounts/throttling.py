"""Login throttling that another account's successful login cannot reset.

django-axes counts failures per username and per address (AXES_LOCKOUT_PARAMETERS). With
AXES_RESET_ON_SUCCESS its database handler deletes, on a successful login, every attempt
that matches *either* parameter: the username that logged in and also the address. An
attacker who owns any account (an EST reporter's, say) could guess a coordinator's
password nine times, log in to his own account from the same address, and start again:
the victim's failures were deleted with the address's (security finding 2, issue 11).

Here a successful login forgives only the failures counted against that username. The
address's other failures stay, so per-address limits against password spraying hold, and
the victim's account locks after AXES_FAILURE_LIMIT failures however they are interleaved.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model


class UsernameScopedResetHandler(AxesDatabaseHandler):
    def reset_user_attempts(self, request, credentials=None) -> int:
        username = (credentials or {}).get(get_user_model().USERNAME_FIELD) or (
            credentials or {}
        ).get("username")
        if not username:
            return 0
        deleted, _details = AccessAttempt.objects.filter(username=username).delete()
        return deleted
