"""A mail backend for benchmarks: keeps nothing, takes 50 ms per message like a slow server."""

import time

from django.core.mail.backends.base import BaseEmailBackend

DELAY_SECONDS = 0.05


class SlowBackend(BaseEmailBackend):
    def send_messages(self, messages):
        time.sleep(DELAY_SECONDS * len(messages))
        return len(messages)
