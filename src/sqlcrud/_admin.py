"""The list queries of admin front ends' data providers, on sqlcrud's own list query.

``dialect="react-admin"`` speaks ``ra-data-simple-rest``: ``sort=["title","ASC"]``,
``range=[0,24]`` (both ends included) and ``filter={"title":"bar","id":[1,2]}``, JSON in
the query string. ``dialect="refine"`` speaks ``@refinedev/simple-rest``: ``_start`` and
``_end`` (the end excluded), ``_sort=a,b`` and ``_order=asc,desc``, ``title=bar``
(repeated: any of the values), ``age_ne``, ``age_gte``, ``age_lte``, ``title_like`` and
``q``. Both call the primary key ``id``, whatever its field's name.

Each dialect is a pydantic model of its own, typed field by field from the router's
filters, so FastAPI validates it, OpenAPI shows it, and a bad value is a 422 naming the
parameter (and, inside a JSON value, the key). A valid query is then renamed into the
router's own list query: the same filters, scope, limits and statements as ever.
"""

import inspect
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types as at
from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, Json, TypeAdapter, ValidationError, create_model
from pydantic.fields import FieldInfo
from starlette.datastructures import QueryParams

from ._bulk import located
from ._listing import Listing, invalid
from ._table import Table

DIALECTS = ("react-admin", "refine")
# A provider's suffix of a field's name -> sqlcrud's operator ("" equals, "in" any of a list).
_SUFFIXES = {
    "react-admin": {"": "", "_neq": "ne", "_gt": "gt", "_gte": "gte", "_lt": "lt", "_lte": "lte", "_q": "icontains"},
    "refine": {"": "", "_ne": "ne", "_gte": "gte", "_lte": "lte", "_like": "icontains"},
}


@dataclass(frozen=True)
class _Filter:
    param: str  # ours: age__gte, or for a list of values age__in
    annotation: Any  # what the provider may send
    one: str | None = None  # ours for one value where a list is allowed: age


class AdminQuery:
    """One router's list query in a provider's dialect, and how it becomes the router's own.

    ``key`` is the public field that holds the primary key, which the providers call ``id``.
    """

    def __init__(self, dialect: str, listing: Listing, key: str) -> None:
        self.dialect, self.listing, self.key = dialect, listing, key
        self.title = listing.q.table.model.__name__
        self._json: dict[str, TypeAdapter[Any]] = {}  # react-admin's JSON lists, read in ``translate``
        self.filters = self._filters(_SUFFIXES[dialect])
        self.sortable = ["id" if name == key else name for name in listing.sortable]
        self.model = self._react_admin() if dialect == "react-admin" else self._refine()
        # How the route takes the query: react-admin's three as a query model; refine's,
        # named with "_" and repeated, one by one (see ``_parameters``).
        self.reads_one_by_one = dialect == "refine"
        self.parameter: Any = (
            Annotated[Any, Depends(self._parameters())] if self.reads_one_by_one else Annotated[self.model, Query()]
        )
        self.known = frozenset(field.alias or name for name, field in self.model.model_fields.items())

    def refuse_unknown(self, params: QueryParams) -> None:
        """A parameter the dialect does not have is a 422: a mistyped filter must never
        answer every row.

        Raises:
            RequestValidationError: naming each unknown parameter.
        """
        unknown = [(name, value) for name, value in params.multi_items() if name not in self.known]
        if unknown:
            message = "Extra inputs are not permitted"
            errors = [{"type": "extra_forbidden", "loc": ("query", n), "msg": message, "input": v} for n, v in unknown]
            raise RequestValidationError(errors)

    def _parameters(self) -> Callable[..., BaseModel]:
        """A dependency that reads the query's parameters one by one, by the names the
        provider sends (``_start``): FastAPI before 0.116 reads a query model's fields by
        their Python names."""
        model = self.model

        def parameters(**given: Any) -> BaseModel:
            return model.model_construct(**given)  # each parameter validated by FastAPI

        kind = inspect.Parameter.KEYWORD_ONLY
        parameters.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter(name, kind, default=None, annotation=_query(name, field))
                for name, field in model.model_fields.items()
            ]
        )
        return parameters

    def _filters(self, suffixes: dict[str, str]) -> dict[str, _Filter]:
        """The provider's filter names, for each of the router's filters it can say."""
        by = {(f.field, f.op): f for f in self.listing.filters}
        found: dict[str, _Filter] = {}
        for f in self.listing.filters:
            name = "id" if f.field == self.key else f.field
            for suffix, wanted in suffixes.items():
                if f.op != wanted:
                    continue
                if f.op == "" and (many := by.get((f.field, "in"))):  # one value or a list of them
                    sent = many.annotation if self.dialect == "refine" else Union[f.annotation, many.annotation]  # noqa: UP007
                    found[name] = _Filter(many.param, sent, one=f.param)
                else:
                    found[f"{name}{suffix}"] = _Filter(f.param, f.annotation)
        if self.listing.search:
            found["q"] = _Filter("q", str)
        return found

    def _react_admin(self) -> type[BaseModel]:
        shape: dict[str, Any] = {name: (f.annotation | None, None) for name, f in self.filters.items()}
        filters: Any = create_model(f"{self.title}Filter", __config__=ConfigDict(extra="forbid"), **shape)
        order: Any = tuple[Literal[tuple(self.sortable)], Literal["ASC", "DESC"]]  # type: ignore[misc]
        bounds: Any = tuple[Annotated[int, at.Ge(0)], Annotated[int, at.Ge(0)]]
        # JSON lists are read here: FastAPI would take a list type as a repeated parameter.
        self._json = {"sort": TypeAdapter(Json[order]), "range": TypeAdapter(Json[bounds])}
        fields: dict[str, Any] = {
            "sort": (str | None, _param('A field and "ASC" or "DESC", as JSON: ["title","ASC"]')),
            "range": (str | None, _param("The first and the last row, from 0, as JSON: [0,24]")),
            "filter": (Json[filters] | None, _param('Values of fields, as a JSON object: {"title":"bar","id":[1,2]}')),  # type: ignore[misc]
        }
        model: type[BaseModel] = create_model(
            f"{self.title}ReactAdminQuery", __config__=ConfigDict(extra="forbid"), **fields
        )
        return model

    def _refine(self) -> type[BaseModel]:
        # Field names may not start with "_": each field is named by its alias.
        specs: dict[str, tuple[Any, str]] = {
            "_start": (Annotated[int, at.Ge(0)], "The first row, counted from 0"),
            "_end": (Annotated[int, at.Ge(0)], "The row after the last one"),
            "_sort": (str, f"Comma-separated fields: {', '.join(self.sortable)}"),
            "_order": (str, "asc or desc for each field of _sort, comma-separated"),
        }
        for name, f in self.filters.items():
            specs[name] = (f.annotation, f"{name}: repeat it for any of several values" if f.one else name)
        fields: dict[str, Any] = {
            f"field{i}": (kind | None, Field(None, alias=name, description=meaning))
            for i, (name, (kind, meaning)) in enumerate(specs.items())
        }
        config = ConfigDict(extra="forbid", populate_by_name=True)  # FastAPI before 0.116 fills fields by name
        model: type[BaseModel] = create_model(f"{self.title}RefineQuery", __config__=config, **fields)
        return model

    def translate(self, query: BaseModel) -> Any:
        """The router's own list query for a validated query of the dialect.

        Raises:
            RequestValidationError: a page larger than the router's, or a malformed order.
        """
        given = query.model_dump(by_alias=True, exclude_none=True)
        for name, adapter in self._json.items():
            if name in given:
                try:
                    given[name] = adapter.validate_python(given[name])
                except ValidationError as error:
                    raise RequestValidationError(located(error, ("query", name))) from error
        ours: dict[str, Any] = {}
        filters = given.get("filter") or {} if self.dialect == "react-admin" else given
        for name, value in filters.items():
            if name not in self.filters:
                continue
            f = self.filters[name]
            if not isinstance(value, list):
                ours[f.one or f.param] = value
            elif f.one is not None and len(value) == 1:  # refine's field=value: one value is equality
                ours[f.one] = value[0]
            else:
                ours[f.param] = value
        if self.dialect == "react-admin":
            if "sort" in given:
                field, order = given["sort"]
                ours["sort"] = f"{'-' if order == 'DESC' else ''}{self._ours(field)}"
            if "range" in given:
                start, last = given["range"]
                ours |= self._page("range", start, last + 1, given["range"])
            elif isinstance(ids := filters.get("id"), list):
                ours["limit"] = len(ids)  # getMany sends no range: every id it asks for
        else:
            if "_sort" in given:
                ours["sort"] = self._refine_sort(given["_sort"], given.get("_order", ""))
            if "_start" in given or "_end" in given:
                start = given.get("_start", 0)
                ours |= self._page("_end", start, given.get("_end", start + self.listing.max_limit), given.get("_end"))
        limit = ours.pop("limit", None)
        try:
            translated = self.listing.model.model_validate(ours)
        except ValidationError as error:
            raise RequestValidationError(located(error, ("query",))) from error
        # An id list is answered whole, even past the page size (at most MAX_IN ids).
        return translated if limit is None else translated.model_copy(update={"limit": limit})

    def _ours(self, field: str) -> str:
        return self.key if field == "id" else field

    def _page(self, param: str, start: int, end: int, value: Any) -> dict[str, int]:
        if not start <= end <= start + self.listing.max_limit:
            raise invalid(param, value, f"A page holds 0 to {self.listing.max_limit} rows, first to last")
        return {"offset": start, "limit": end - start}

    def _refine_sort(self, sort: str, order: str) -> str:
        fields, orders = sort.split(","), order.split(",") if order else []
        if len(orders) > len(fields) or any(o not in ("asc", "desc") for o in orders):
            raise invalid("_order", order, "Give asc or desc for each field of _sort")
        orders += ["asc"] * (len(fields) - len(orders))
        return ",".join(f"{'-' if o == 'desc' else ''}{self._ours(f.strip())}" for f, o in zip(fields, orders))


def _query(name: str, field: FieldInfo) -> Any:
    """``field`` as one query parameter: a list of values outermost, so that every FastAPI
    reads it as a repeated parameter, its length bound moved onto ``Query``."""
    annotation, longest = field.annotation, None
    for arg in get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else ():
        if get_origin(arg) is Annotated and get_origin(get_args(arg)[0]) is list:
            inner, *metadata = get_args(arg)
            longest = next((m.max_length for m in metadata if isinstance(m, at.MaxLen)), None)
            annotation = inner | None
    query = Query(alias=field.alias or name, description=field.description, max_length=longest)
    return Annotated[annotation, query]


def _param(description: str) -> Any:
    return Field(None, description=description)


def check_dialect(
    dialect: str, table: Table, public_model: type[BaseModel], *, envelope: bool, or_groups: bool
) -> None:
    """What a router with ``dialect=`` needs: a known dialect, one key column the providers
    can call ``id``, and none of the options its data provider cannot speak."""
    if dialect not in DIALECTS:
        raise ValueError(f"dialect must be one of {', '.join(DIALECTS)}, not {dialect!r}")
    if len(table.key) > 1:
        raise ValueError(f"dialect={dialect!r} needs a primary key of one column: the providers name rows by one id")
    if table.key != ("id",) and "id" in public_model.model_fields:
        raise ValueError(f"dialect={dialect!r}: {public_model.__name__}.id would hide the key {table.key[0]!r}")
    if envelope:
        raise ValueError(f"dialect={dialect!r} answers lists as bare arrays: it cannot take envelope=True")
    if or_groups:
        raise ValueError(f"dialect={dialect!r} cannot take or_groups=True: its data provider sends no OR")


def with_id(model: type[BaseModel], table: Table) -> type[BaseModel]:
    """``model`` with an ``id`` field beside the key of another name, for the providers."""
    key = table.key[0]
    if "id" in model.model_fields:
        return model
    id_field = (model.model_fields[key].rebuild_annotation(), Field(description=f"The same as {key}"))
    return create_model(model.__name__, __base__=model, __module__=model.__module__, id=id_field)
