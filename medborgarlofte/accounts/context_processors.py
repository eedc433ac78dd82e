from django.conf import settings


def session_limits(request):
    # Strings, not numbers: a localised number would be rendered "1 800" and read as 1.
    return {
        "session_idle_seconds": str(settings.SESSION_IDLE_SECONDS),
        "session_warning_seconds": str(settings.SESSION_WARNING_SECONDS),
    }
