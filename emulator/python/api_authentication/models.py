"""Stand-in for Alation's api_authentication.models.Application, backed by the running emulator over HTTP.

Like a Django model save, it runs no validators: the tenant enforces only types and the unique constraints
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


class QuerySet:
    """A lazy, re-evaluated selection: filter/exclude with exact, iexact, in, contains, icontains lookups."""

    def __init__(self, filters=(), excludes=()):
        self._filters = tuple(filters)
        self._excludes = tuple(excludes)

    def _rows(self):
        try:
            rows = call("GET", "applications")
        except ShellCallError as err:
            _raise_for(err)
        objs = [Application._from_row(row) for row in rows]
        return [o for o in objs if all(_matches(o, f) for f in self._filters) and not any(_matches(o, e) for e in self._excludes)]

    def filter(self, **lookups):
        _check_lookups(lookups)
        return QuerySet(self._filters + (lookups,), self._excludes)

    def exclude(self, **lookups):
        _check_lookups(lookups)
        return QuerySet(self._filters, self._excludes + (lookups,))

    def all(self):
        return QuerySet(self._filters, self._excludes)

    def order_by(self, *fields):
        rows = self._rows()
        for field in reversed(fields):
            name = field.lstrip("-")
            rows.sort(key=lambda o: getattr(o, "id" if name == "pk" else name), reverse=field.startswith("-"))
        return _Evaluated(rows)

    def get(self, **lookups):
        rows = self.filter(**lookups)._rows() if lookups else self._rows()
        if not rows:
            raise Application.DoesNotExist("Application matching query does not exist.")
        if len(rows) > 1:
            raise Application.MultipleObjectsReturned("get() returned more than one Application -- it returned %d!" % len(rows))
        return rows[0]

    def first(self):
        rows = self._rows()
        return rows[0] if rows else None

    def last(self):
        rows = self._rows()
        return rows[-1] if rows else None

    def exists(self):
        return bool(self._rows())

    def count(self):
        return len(self._rows())

    def update(self, **values):
        rows = self._rows()
        for obj in rows:
            for key, value in values.items():
                setattr(obj, key, value)
            obj.save()
        return len(rows)

    def delete(self):
        rows = self._rows()
        for obj in rows:
            obj.delete()
        return len(rows), {"api_authentication.Application": len(rows)} if rows else {}

    def values(self, *fields):
        names = fields or ("id",) + FIELDS
        return [{n: getattr(o, n) for n in names} for o in self._rows()]

    def values_list(self, *fields, flat=False):
        rows = [tuple(getattr(o, n) for n in fields) for o in self._rows()]
        return [r[0] for r in rows] if flat else rows

    def __iter__(self):
        return iter(self._rows())

    def __len__(self):
        return len(self._rows())

    def __bool__(self):
        return bool(self._rows())

    def __getitem__(self, index):
        return self._rows()[index]

    def __repr__(self):
        return "<QuerySet %r>" % (self._rows(),)


class _Evaluated(QuerySet):
    """The result of order_by: a fixed list that still answers the QuerySet calls."""

    def __init__(self, rows):
        super().__init__()
        self._fixed = rows

    def _rows(self):
        return list(self._fixed)


class Manager:
    def get_queryset(self):
        return QuerySet()

    def create(self, **fields):
        obj = Application(**fields)
        obj.save()
        return obj

    def get_or_create(self, defaults=None, **lookups):
        try:
            return self.get(**lookups), False
        except Application.DoesNotExist:
            return self.create(**dict(lookups, **(defaults or {}))), True

    def __getattr__(self, name):
        # filter, exclude, all, get, first, count, exists, ... are the QuerySet's.
        return getattr(QuerySet(), name)


class Application:
    CLIENT_CONFIDENTIAL = "confidential"
    CLIENT_PUBLIC = "public"

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

    def _row(self):
        return {name: getattr(self, name) for name in FIELDS}

    def save(self, *args, **kwargs):
        try:
            if self.id is None:
                row = call("POST", "applications", self._row())
            else:
                row = call("PUT", "applications/%d" % self.id, self._row())
        except ShellCallError as err:
            _raise_for(err)
        for key, value in row.items():
            if key == "id" or key in FIELDS:
                setattr(self, key, value)

    def delete(self):
        if self.id is None:
            raise ValueError("Application object can't be deleted because its id attribute is set to None.")
        try:
            call("DELETE", "applications/%d" % self.id)
        except ShellCallError as err:
            _raise_for(err)
        self.id = None
        return 1, {"api_authentication.Application": 1}

    def refresh_from_db(self):
        fresh = Application.objects.get(id=self.id)
        for name in FIELDS:
            setattr(self, name, getattr(fresh, name))

    def __str__(self):
        return self.name

    def __repr__(self):
        return "<Application: %s>" % self.name

    def __eq__(self, other):
        return isinstance(other, Application) and self.id is not None and self.id == other.id

    def __hash__(self):
        return hash(self.id)


_LOOKUPS = ("exact", "iexact", "in", "contains", "icontains")


def _split(key):
    name, _, lookup = key.partition("__")
    return ("id" if name == "pk" else name), (lookup or "exact")


def _check_lookups(lookups):
    for key in lookups:
        name, lookup = _split(key)
        if name != "id" and name not in FIELDS:
            raise FieldError("Cannot resolve keyword %r into field. Choices are: %s" % (name, ", ".join(("id",) + FIELDS)))
        if lookup not in _LOOKUPS:
            raise FieldError("Unsupported lookup %r for field %r" % (lookup, name))


def _matches(obj, lookups):
    for key, wanted in lookups.items():
        name, lookup = _split(key)
        value = getattr(obj, name)
        if lookup == "exact" and value != wanted:
            return False
        if lookup == "iexact" and str(value).lower() != str(wanted).lower():
            return False
        if lookup == "in" and value not in wanted:
            return False
        if lookup == "contains" and str(wanted) not in (value if isinstance(value, list) else str(value)):
            return False
        if lookup == "icontains" and str(wanted).lower() not in str(value).lower():
            return False
    return True
