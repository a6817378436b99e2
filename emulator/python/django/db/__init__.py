"""Stand-in for django.db: IntegrityError, which a duplicate name or client_id raises on save."""


class IntegrityError(Exception):
    pass
