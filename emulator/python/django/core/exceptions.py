"""Stand-in for django.core.exceptions."""


class ObjectDoesNotExist(Exception):
    pass


class MultipleObjectsReturned(Exception):
    pass


class FieldError(Exception):
    pass


class ValidationError(Exception):
    pass
