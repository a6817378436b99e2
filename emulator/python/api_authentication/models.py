"""Stand-in for Alation's api_authentication.models.Application, backed by the running emulator over HTTP.

It carries what the connector guide's script and pulumi-alation's script (provider/shell/python/oauth_application.py)
use: objects.create, objects.get, objects.filter(...) with exact lookups (exists, count, iteration), save() and
delete(). Like a Django model save, it runs no validators: the tenant enforces only types and the unique constraints
(name, client_id), which surface as django.db.IntegrityError."""
import secrets

from alation_emulator_shell import ShellCallError, call
from django.core.exceptions import FieldError, MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.db import IntegrityError

FIELDS = (
    "name",
    "client_id",
    "client_secret",
    "client_type",
    "redirect_uris",
    "refresh_token_expiry",
    "access_token_expiry",
    "is_active",
    "pkce_required",
    "jwt_required",
    "internal_application",
)
DEFAULTS = {
    "name": "",
    "client_type": "confidential",
    "redirect_uris": [],
    "refresh_token_expiry": 15552000,
    "access_token_expiry": 86400,
    "is_active": True,
    "pkce_required": False,
    "jwt_required": False,
    "internal_application": False,
}


def _raise_for(err):
    kind = err.body.get("error")
    if err.status == 409 or kind == "IntegrityError":
        raise IntegrityError(str(err)) from None
    if err.status == 404:
        raise Application.DoesNotExist(str(err)) from None
    if err.status == 400:
        raise ValidationError(str(err)) from None
    raise err


def _call(method, path, body=None):
    try:
        return call(method, path, body)
    except ShellCallError as err:
        _raise_for(err)


class QuerySet:
    """The applications whose fields equal the given values (Django's exact lookups), read when used."""

    def __init__(self, lookups):
        for name in lookups:
            if name not in FIELDS and name not in ("id", "pk"):
                choices = ", ".join(("id",) + FIELDS)
                raise FieldError("Cannot resolve keyword %r into field. Choices are: %s" % (name, choices))
        self._lookups = {("id" if name == "pk" else name): value for name, value in lookups.items()}

    def _rows(self):
        rows = [Application._from_row(row) for row in _call("GET", "applications")]
        return [app for app in rows if all(getattr(app, k) == v for k, v in self._lookups.items())]

    def exists(self):
        return bool(self._rows())

    def count(self):
        return len(self._rows())

    def __iter__(self):
        return iter(self._rows())


class Manager:
    def filter(self, **lookups):
        return QuerySet(lookups)

    def get(self, **lookups):
        rows = QuerySet(lookups)._rows()
        if not rows:
            raise Application.DoesNotExist("Application matching query does not exist.")
        if len(rows) > 1:
            raise Application.MultipleObjectsReturned("get() returned more than one Application -- it returned %d!" % len(rows))
        return rows[0]

    def create(self, **fields):
        app = Application(**fields)
        app.save()
        return app


class Application:
    class DoesNotExist(ObjectDoesNotExist):
        pass

    class MultipleObjectsReturned(MultipleObjectsReturned):
        pass

    objects = Manager()

    def __init__(self, **fields):
        unknown = [k for k in fields if k not in FIELDS and k not in ("id", "pk")]
        if unknown:
            raise TypeError("Application() got unexpected keyword arguments: %s" % ", ".join(repr(k) for k in unknown))
        self.id = fields.pop("pk", fields.pop("id", None))
        values = dict(DEFAULTS, client_id=secrets.token_urlsafe(32), client_secret=secrets.token_urlsafe(32))
        values.update(fields)
        for key, value in values.items():
            setattr(self, key, value)

    @property
    def pk(self):
        return self.id

    @classmethod
    def _from_row(cls, row):
        return cls(**{k: row[k] for k in ("id",) + FIELDS if k in row})

    def save(self):
        row = {name: getattr(self, name) for name in FIELDS}
        if self.id is None:
            saved = _call("POST", "applications", row)
        else:
            saved = _call("PUT", "applications/%d" % self.id, row)
        for key, value in saved.items():
            if key == "id" or key in FIELDS:
                setattr(self, key, value)

    def delete(self):
        if self.id is None:
            raise ValueError("Application object can't be deleted because its id attribute is set to None.")
        _call("DELETE", "applications/%d" % self.id)
        self.id = None
        return 1, {"api_authentication.Application": 1}
