"""Stand-in for django.db: IntegrityError and a no-op transaction.atomic."""
import contextlib


class DatabaseError(Exception):
    pass


class IntegrityError(DatabaseError):
    pass


class transaction:  # noqa: N801 (Django's module name)
    @staticmethod
    def atomic(*_args, **_kwargs):
        return contextlib.nullcontext()
