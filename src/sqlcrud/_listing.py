"""The list route's query parameters, and the statements a validated query runs.

Built once per router as a pydantic model that FastAPI shows parameter by parameter in
OpenAPI: ``offset`` and ``limit`` as in the tutorial, then, as the router enables them,
``sort``, ``cursor``, the filters and their OR groups (``_groups``). With any of those
enabled, an unknown parameter is refused (``extra="forbid"``): a mistyped filter must
never return every row.
"""

import json
import types
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import annotated_types as at
import sqlalchemy as sa
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, create_model
from starlette.datastructures import URL, QueryParams

from ._columns import column_limits, storable_text, with_metadata
from ._dialects import sorted_whole
from ._filters import Filter, base_type, filters_for
from ._groups import MAX_DEPTH, matching, or_parameter
from ._order import CursorError, Key, Ordering, SortError, sort_fields
from ._query import Statements

MAX_OFFSET = 2**63 - 1  # the largest OFFSET SQLite and PostgreSQL accept
MAX_SEARCH = 200  # characters of a ?q= search
OWN_PARAMETERS = ("offset", "limit", "sort", "cursor", "or", "fields", "q")  # no filter may take these names


@dataclass
class Page:
    """What one list request runs: the page, and the count if the router gives one."""

    statement: sa.Executable
    params: dict[str, Any]
    count: sa.Select[Any] | None
    keys: tuple[Key, ...]  # the order, for the next cursor
    limit: int
    cursor: bool  # whether to fetch one row more, to know if a next page exists
    offset: int = 0
    next: str | None = None  # the next page's cursor, once ``headers`` has seen the rows
    fields: tuple[str, ...] | None = None  # ?fields=: the public fields to answer, if not all


class Listing:
    """The list route of one router: its query model and how it becomes SQL."""

    def __init__(
        self,
        q: Statements,
        public_model: type[BaseModel],
        *,
        max_limit: int,
        filters: Sequence[str],
        sort: Sequence[str],
        default_sort: str | None,
        count: bool,
        cursor: bool,
        search: Sequence[str] = (),
        field_selection: bool = False,
        or_groups: bool = False,
    ) -> None:
        table = q.table
        self.q = q
        self.count, self.cursor, self.max_limit = count, cursor, max_limit
        self.filters: list[Filter] = filters_for(table, public_model, list(filters))
        # ?q=: any of the search fields contains the text, as their __icontains filters match.
        matches = {f.param: f for f in filters_for(table, public_model, list(search))}
        self.search = [matches[f"{name}__icontains"] for name in search]
        self.sortable = list(dict.fromkeys((*sort, *table.key)))  # what ?sort= may name
        default_fields = sort_fields(default_sort) if default_sort else []
        types = {
            name: with_metadata(
                base_type(public_model.model_fields[name].annotation)[0], column_limits(table.columns[name])
            )
            for name in (*self.sortable, *default_fields)
        }
        self.ordering = Ordering({name: table.columns[name] for name in types}, types, table.key)
        self.default_keys = (
            self.ordering.parse(default_sort) if default_sort else tuple((name, False) for name in table.key)
        )
        # The tutorial's list route, without any option a client sees.
        self.plain = not (filters or sort or count or cursor or search or field_selection)
        # ?fields=: any public field, nested ones too.
        self.fields = [*q.shape.columns, *q.shape.labels, *(nested.name for nested in q.shape.nested)]

        fields: dict[str, Any] = {
            "offset": (int, Field(0, ge=0, le=MAX_OFFSET)),
            "limit": (int, Field(max_limit, ge=0, le=max_limit)),
        }
        if sort:
            one = f"\\s*-?({'|'.join(self.sortable)})\\s*"
            fields["sort"] = _optional(
                "sort",
                str,
                f"Comma-separated fields, '-' for descending: {', '.join(self.sortable)}",
                f"^({one}(,{one})*)?$",
            )
        if cursor:
            fields["cursor"] = _optional("cursor", str, "The token of the next page (Link header)")
        for f in self.filters:
            if f.param in fields or f.param in OWN_PARAMETERS:
                what = "the list's own parameter" if f.param in OWN_PARAMETERS else "another filter's parameter"
                raise ValueError(f"filters: {f.field!r} would give ?{f.param}=, which is {what}: leave it out")
            fields[f.param] = _optional(f.param, f.annotation, f.description)
        if or_groups:
            meaning = (
                "Rows matching any of these groups: JSON, a list of objects of the filter parameters above"
                f' (ANDed), each with an "or" of its own if need be, {MAX_DEPTH} levels deep in all'
            )
            fields["or"] = _optional("or", or_parameter(table.model.__name__, self.filters), meaning)
        if field_selection:
            meaning = f"Comma-separated fields to answer with: {', '.join(self.fields)}"
            fields["fields"] = _optional("fields", Annotated[str, at.MaxLen(MAX_SEARCH * 10)], meaning)
        if search:
            text = storable_text(MAX_SEARCH)
            fields["q"] = _optional("q", text, f"Rows where any of {', '.join(search)} contains it (ignoring A-Z case)")
        config = ConfigDict(extra="allow" if self.plain else "forbid")
        self.model: type[BaseModel] = create_model(f"{table.model.__name__}ListQuery", __config__=config, **fields)
        # The query of a PATCH or DELETE of many rows: the filters alone.
        selection = {f.param: fields[f.param] for f in self.filters}
        if or_groups:
            selection["or"] = fields["or"]
        forbid = ConfigDict(extra="forbid")
        self.selection: type[BaseModel] = create_model(
            f"{table.model.__name__}Selection", __config__=forbid, **selection
        )

    def page(self, query: Any, where: Sequence[sa.ColumnElement[bool]] = ()) -> Page:
        """The statements for a validated query.

        Raises:
            RequestValidationError: a bad ``sort``, ``cursor`` or ``fields``, or both
                ``cursor`` and a non-zero ``offset``.
        """
        offset, limit = query.offset, query.limit
        if self.plain:
            statement = self.q.page.where(*where) if where else self.q.page
            return Page(statement, {"offset": offset, "limit": limit}, None, self.default_keys, limit, False, offset)
        conditions = [*where, *matching(query, self.filters)]
        if self.search and (text := getattr(query, "q", None)) is not None:
            conditions.append(sa.or_(*(f.condition(text) for f in self.search)))
        keys = self.default_keys
        if getattr(query, "sort", None):
            try:
                keys = self.ordering.parse(query.sort, self.sortable)
            except SortError as error:
                raise invalid("sort", query.sort, str(error)) from error
        count = sa.select(sa.func.count()).select_from(self.q.table.table).where(*conditions) if self.count else None
        token = getattr(query, "cursor", None)
        if token is not None:
            if offset:
                raise invalid("cursor", token, "A cursor cannot be combined with an offset")
            try:
                values = self.ordering.values(keys, token)
            except CursorError as error:
                raise invalid("cursor", token, str(error)) from error
            conditions.append(self.ordering.after(keys, values))
        chosen = self._fields(getattr(query, "fields", None))
        select = (
            self._select(chosen, keys)
            .where(*conditions)
            .order_by(None)
            .order_by(*self.ordering.order_by(keys))
            .offset(offset)
            .limit(limit + 1 if self.cursor else limit)
        )
        page: sa.Executable = sorted_whole(select) if self.ordering.sorts_text(keys) else select
        return Page(page, {}, count, keys, limit, self.cursor, offset, fields=chosen)

    def _fields(self, fields: str | None) -> tuple[str, ...] | None:
        """The fields ``?fields=`` names, checked; None for every field."""
        if fields is None:
            return None
        names = tuple(dict.fromkeys(name.strip() for name in fields.split(",")))
        if "" in names:
            raise invalid("fields", fields, f"Name one field or more, separated by commas: {', '.join(self.fields)}")
        if unknown := [name for name in names if name not in self.fields]:
            message = f"Unknown fields {', '.join(map(repr, unknown))}; the fields: {', '.join(self.fields)}"
            raise invalid("fields", fields, message)
        return names

    def _select(self, fields: tuple[str, ...] | None, keys: Sequence[Key]) -> sa.Select[Any]:
        """The SELECT of ``fields``' columns, and of the key and the sort's, which nested
        rows and cursors need (the answer leaves them out)."""
        if fields is None:
            return self.q.select
        labelled = self.q.labelled
        wanted = dict.fromkeys((*fields, *self.q.table.key, *(name for name, _ in keys)))
        return sa.select(*(labelled[name] for name in wanted if name in labelled))

    def chosen(self, query: Any, where: Sequence[sa.ColumnElement[bool]], cap: int, *, whole: bool) -> sa.Executable:
        """The rows a PATCH or DELETE of many rows changes, in key order and locked: their
        keys (``whole``: their public columns), one more than ``cap`` to see past it.

        Raises:
            RequestValidationError: the query sets no filter.
        """
        conditions = matching(query, self.filters)
        if not conditions:
            message = "Name the rows to change with at least one filter"
            raise RequestValidationError([{"type": "missing", "loc": ("query",), "msg": message, "input": None}])
        keys = tuple((name, False) for name in self.q.table.key)
        select = (
            (self.q.select if whole else self.q.key_select)
            .where(*where, *conditions)
            .order_by(None)
            .order_by(*self.ordering.order_by(keys))
            .limit(cap + 1)
            .with_for_update()
        )
        return sorted_whole(select) if self.ordering.sorts_text(keys) else select

    def headers(
        self, page: Page, rows: list[Any], total: int | None, url: URL, content_range: str | None = None
    ) -> dict[str, str]:
        """``X-Total-Count`` and ``Link`` for a page; drops the row read to see past its end."""
        headers = {}
        if total is not None:
            headers["X-Total-Count"] = str(total)
        more = page.cursor and len(rows) > page.limit
        del rows[page.limit :]
        if content_range is not None:  # react-admin's count: "heroes 0-24/319", "heroes */0"
            shown = f"{page.offset}-{page.offset + len(rows) - 1}" if rows else "*"
            headers["Content-Range"] = f"{content_range} {shown}/{total}"
        if more and rows:
            page.next = token = self.ordering.token(page.keys, rows[-1])
            headers["Link"] = f'<{url.remove_query_params("offset").include_query_params(cursor=token)}>; rel="next"'
        return headers

    def envelope(self, items: bytes, page: Page, total: int | None) -> bytes:
        """``{"items": [...], "total": N, "limit": L, "offset": O}`` around a page's JSON
        (the shape of fastapi-pagination's ``LimitOffsetPage``), with ``next_page``, the
        next cursor or null, when the router has cursors."""
        rest: dict[str, Any] = {"total": total, "limit": page.limit, "offset": page.offset}
        if self.cursor:
            rest["next_page"] = page.next
        return b'{"items":' + items + b"," + json.dumps(rest, separators=(",", ":"))[1:].encode()


def scalars(model: type[BaseModel]) -> frozenset[str]:
    """The query parameters of ``model`` that take one value (by the names clients send)."""
    return frozenset(
        field.alias or name for name, field in model.model_fields.items() if not _takes_list(field.annotation)
    )


def _takes_list(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        return _takes_list(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_takes_list(arg) for arg in get_args(annotation))
    return get_origin(annotation) in (list, tuple, set)


def refuse_repeated(params: QueryParams, single: frozenset[str]) -> None:
    """A parameter that takes one value, sent more than once, is a 422 (not the last one).

    Raises:
        RequestValidationError: naming each such parameter.
    """
    seen: set[str] = set()
    repeated = []
    for name, value in params.multi_items():
        if name in single and name in seen:
            repeated.append(
                {"type": "repeated", "loc": ("query", name), "msg": "Send this parameter once", "input": value}
            )
        seen.add(name)
    if repeated:
        raise RequestValidationError(repeated)


def _optional(name: str, annotation: Any, description: str, pattern: str | None = None) -> tuple[Any, Any]:
    """A query parameter that may be left out. OpenAPI shows its type alone: a query string
    cannot send ``null``. A ``pattern`` is shown, not enforced: ``Ordering`` checks the
    value and says what is wrong with it."""

    def schema(json_schema: dict[str, Any]) -> None:
        json_schema.pop("default", None)
        if pattern:
            json_schema["pattern"] = pattern

    return annotation, Field(None, title=name, description=description, json_schema_extra=schema)


def invalid(param: str, value: Any, message: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("query", param), "msg": message, "input": value}])
