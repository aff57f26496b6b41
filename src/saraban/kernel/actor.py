"""Who acts: a signed-in user, or the system itself.

Every action takes the actor first.  ``None`` is the system (the worker, a periodic job, the organisation
loader) and is written to the audit log as ``system``; an anonymous visitor is refused by every policy.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

Actor: TypeAlias = AbstractBaseUser | AnonymousUser | None
"""The one who performs an action: a Django user, an anonymous visitor (refused), or ``None`` for the system."""
