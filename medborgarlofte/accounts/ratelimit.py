"""Counting requests per key in the shared cache (all app processes see the same counts).

Keys are salted HMACs of what is counted (an address, an e-mail address): the cache never
holds the address itself, and a plain hash of an IPv4 address could be reversed by hashing
all 2^32 of them. Used by the public dialogue form and by password reset.
"""

from dataclasses import dataclass

from django.core.cache import caches
from django.utils.crypto import salted_hmac


@dataclass(frozen=True)
class RateLimit:
    name: str
    limit: int
    window: int  # seconds

    def key(self, identifier: str) -> str:
        digest = salted_hmac(f"{self.name}-rate-limit", identifier.strip().lower()).hexdigest()
        return f"{self.name}:{digest}"

    def count(self, identifier: str) -> int:
        return caches["shared"].get(self.key(identifier)) or 0

    def at_limit(self, identifier: str) -> bool:
        return self.count(identifier) >= self.limit

    def hit(self, identifier: str) -> int:
        """Count one request; returns the count within the window, this one included."""
        cache, key = caches["shared"], self.key(identifier)
        if cache.add(key, 1, self.window):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, self.window)
            return 1
