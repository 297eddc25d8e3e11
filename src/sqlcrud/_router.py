"""``crud_router``: the five routes of FastAPI's SQL tutorial for any SQLModel table.

Everything is worked out here, once, when the router is built: names, paths, statements,
serializers. The endpoints only validate, run one operation and serialize its rows.
"""

# No ``from __future__ import annotations``: FastAPI reads the endpoints' annotations,
# which name the caller's models and the primary key's type, as real objects.
import inspect
from collections.abc import Callable, Collection, Mapping, Sequence
from enum import Enum
from types import MappingProxyType
from typing import Annotated, Any, get_origin
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, Request, Response, params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, ValidationError, create_model
from sqlmodel import SQLModel

from . import _operations as op
from ._admin import AdminQuery, check_dialect, with_id
from ._bridge import run, session_depends
from ._bulk import located, one_or_many, unconditional
from ._columns import accepts_none, body_model, sql_type
from ._dialects import is_text
from ._errors import not_found as missing
from ._etag import ETags
from ._hooks import Hooks, prepare_hooks, refuse_scoped_changes, scope_dependency
from ._listing import Listing, refuse_repeated, scalars
from ._openapi import (
    Deleted,
    Responses,
    conditional_openapi,
    declare_links,
    errors,
    list_answer,
    merge,
    page_model,
    selected_model,
)
from ._order import sort_fields
from ._query import Statements
from ._related import shape_of
from ._resource import Resource, record
from ._route import AdminRoute, Route, allow_methods
from ._serialize import Serializer
from ._table import Table, inspect_table

ROUTES = ("create", "list", "read", "update", "delete")


def crud_router(
    table_model: type[SQLModel],
    create_model: type[BaseModel],
    public_model: type[BaseModel],
    update_model: type[BaseModel],
    *,
    session: Callable[..., Any],
    read_model: type[BaseModel] | None = None,
    max_related: int | None = 100,
    prefix: str | None = None,
    tags: list[str | Enum] | None = None,
    max_limit: int = 100,
    create_status_code: int = 200,
    delete_status_code: int = 200,
    filters: Sequence[str] | bool = (),
    sort: Sequence[str] | bool = (),
    default_sort: str | None = None,
    count: bool = False,
    cursor: bool = False,
    routes: Collection[str] = ("create", "list", "read", "update", "delete"),
    dependencies: Sequence[params.Depends] | None = None,
    route_dependencies: Mapping[str, Sequence[params.Depends]] | None = None,
    scope: Callable[..., Any] | None = None,
    hooks: Hooks | None = None,
    etag: bool | str = False,
    require_if_match: bool = False,
    statement_timeout: float | None = None,
    bulk: bool = False,
    max_bulk: int = 1000,
    search: Sequence[str] | bool = (),
    put: bool = False,
    dialect: str | None = None,
    envelope: bool = False,
    field_selection: bool = False,
    or_groups: bool = False,
) -> APIRouter:
    """Build an ``APIRouter`` with list, read, create, update and delete routes for a table.

    With the defaults, the routes are those of FastAPI's "SQL Databases" tutorial:
    ``POST /heroes/``, ``GET /heroes/``, ``GET /heroes/{hero_id}``,
    ``PATCH /heroes/{hero_id}`` and ``DELETE /heroes/{hero_id}`` for a model ``Hero``,
    with the same status codes, bodies and operation ids.

    Args:
        table_model: The SQLModel table model (``table=True``) whose rows are served.
            Its class name gives the path (``Hero`` -> ``/heroes``), the path parameter
            (``hero_id``) and the not-found message (``"Hero not found"``). A primary
            key of several columns (a link table's) gives one path segment per column,
            in the table's key order, each named by its attribute:
            ``/hero_team_links/{hero_id}/{team_id}``.
        create_model: The body of ``POST``. Only its fields can be set by a client; the
            row is built as ``table_model.model_validate(body)``, so the table model's
            defaults and ``default_factory`` values (such as UUID keys) apply. Fields
            that are columns also get the column's limits (integer range, string
            length, no NUL characters, finite floats), shown in OpenAPI.
        public_model: What every route answers with. Only its fields are read from the
            database and shown; each must be a column of the table, a relationship, or
            have a default. A relationship field typed with a model of the related
            table (``team: TeamPublic | None``, ``heroes: list[HeroPublic]``) is
            filled with the related rows, to any depth the models nest, loaded eagerly
            in one statement per relationship.
        update_model: The body of ``PATCH``. Only the fields the client sends are
            changed, and only fields that are columns of the table. Column limits apply
            as for ``create_model``, and a NOT NULL column's field may be left out but
            not set to ``null``.
        session: A FastAPI dependency (a function or generator) giving a
            ``sqlmodel.Session`` or ``sqlalchemy.orm.Session``, or an ``AsyncSession``
            of SQLModel or SQLAlchemy. Both kinds of session behave the same. A sync
            dependency is entered, used and exited in one worker thread (one threadpool
            hop per request); an error of the route, a 404 included, reaches it at its
            ``yield``. Overrides of it in ``app.dependency_overrides``, and routes with an
            after-hook, are entered by FastAPI as any dependency.
        read_model: What ``GET /heroes/{hero_id}`` answers with, if not the public
            model: typically one that nests related rows, such as ``HeroPublicWithTeam``.
        max_related: The most rows a nested list holds for each row (``heroes`` of a
            team), the first by the relationship's ``order_by`` and then key; None for
            no limit. Nested single rows (``team``) are not limited.
        prefix: The path of the collection. Default: ``/`` and the plural of the table
            model's name in snake case (``/heroes``, ``/team_members``).
        tags: OpenAPI tags for the routes.
        max_limit: The largest page a client can ask for with ``limit``; also the
            default page size.
        create_status_code: ``200`` (the tutorial's) or ``201``, which also sends a
            ``Location`` header with the new row's URL.
        delete_status_code: ``200`` with ``{"ok": true}`` (the tutorial's) or ``204``
            with an empty body.
        filters: Public fields the list route can filter on (``True``: all of them).
            Each gets typed query parameters: ``?age=30`` (equals), ``age__ne``,
            ``age__gt``, ``age__gte``, ``age__lt``, ``age__lte`` (ordered types),
            ``age__in`` (repeated), ``age__isnull`` (nullable columns), and for text
            ``name__contains``, ``name__icontains`` and ``name__startswith``. A name
            may lead through relationships to a column of a related table:
            ``"team__name"`` gives ``?team__name=Preventers`` and its operators, typed
            from ``Team``; through a to-many relationship (``"heroes__age"`` on teams)
            it matches the rows that have at least one related row that matches, and
            filters through the same relationship hold for one related row together.
            Each relationship is one subquery in the list statement (``IN`` along
            foreign keys, else ``EXISTS``), so no row repeats. Only the columns named are
            queryable, whether the related public models show them or not, and a
            ``scope`` limits the rows listed, not the related rows a filter looks at.
        sort: Public fields the list route can sort on (``True``: all of them), as
            ``?sort=-age,name``. The primary key always ends the order.
        default_sort: The order without ``?sort``, e.g. ``"-age"``, by any column fields
            of the public model, whether ``sort`` offers them to clients or not. Default:
            the primary key.
        count: Send the number of rows matching the filters in ``X-Total-Count``.
        cursor: Keyset pagination: when more rows follow, the list answer has a
            ``Link: <...>; rel="next"`` header whose URL carries a ``cursor`` token.
        routes: The routes to build, of ``"list"``, ``"read"``, ``"create"``,
            ``"update"`` and ``"delete"``. A method a path no longer serves is a 405
            with an ``Allow`` header.
        dependencies: Dependencies of every route, e.g. ``[Depends(current_user)]``.
        route_dependencies: Dependencies of some routes, by route name, e.g.
            ``{"delete": [Depends(require_admin)]}``.
        scope: A dependency that returns a SQL condition on the table, such as
            ``Note.owner_id == user.id``, or None for every row. The list, read, update
            and delete routes then see only the rows it matches: any other row is
            answered exactly as a missing one, and counts and cursors follow. A PATCH
            that sets a column the condition tests is a 422.
        hooks: Code to run before and after writes: see ``Hooks``.
        etag: ``True``: read, create and update answers carry an ``ETag``, a hash of the
            row's JSON. The name of an integer column (``"version"``), which must be a
            field of the public model: the tag is that column, which sqlcrud sets to 1
            on create and increments on every update. Either way ``GET`` honours
            ``If-None-Match`` (304), and ``PATCH`` and ``DELETE`` honour ``If-Match``
            (412 when the row has changed), atomically.
        require_if_match: With ``etag``: a ``PATCH`` or ``DELETE`` without ``If-Match``
            is a 428.
        statement_timeout: The seconds each statement of the router may run, on SQLite
            and PostgreSQL; None for no limit. The database cancels a statement past it
            (a ``name__icontains`` over a million rows, say), and the client gets a 422
            saying so, which it can tell apart from the 503 of an outage. On PostgreSQL
            it costs one more round trip per transaction: one per request, two for a
            write under a hash ``If-Match`` (its read and its write).
        bulk: Writes of many rows, all or nothing: ``POST`` also takes a JSON array of
            create bodies and answers the array of created rows, in order; with
            ``filters``, ``PATCH`` and ``DELETE`` on the collection change the rows the
            filters select (at least one filter is required) and answer them in key
            order. The scope, hooks and route dependencies apply as to single rows.
        max_bulk: With ``bulk``: the most items a create may hold and rows an update or
            delete may touch; past it, a 422 and nothing written.
        search: Text fields of the public model that ``?q=`` searches (``True``: every
            text field): rows where any of them contains the text, ignoring the case of
            A-Z (as ``__icontains``), at most 200 characters.
        put: A ``PUT`` route for whole records: the update model's fields change, the
            fields left out keep their values, and read-only fields of the record (the
            key, fields the update model lacks) are accepted when they hold the row's
            values, else a 422 naming them.
        field_selection: ``?fields=name,age`` on the list route: the answer shows only
            those public fields (nested ones too), and the SELECT reads only their columns
            (with the key and the sort's, which nested rows and cursors need). An unknown
            field is a 422. The read route answers whole rows.
        or_groups: With ``filters``: ``?or=`` takes JSON, a list of groups of filters,
            ``[{"age__lt": 18}, {"age__gt": 65}]``, and the list route (and the bulk
            PATCH and DELETE) answers the rows that match any of them. A group's filters
            are ANDed; a group may hold an ``or`` of its own, three levels deep in all;
            at most 20 groups in one ``or`` and 4,000 characters. The scope and the
            other query parameters are ANDed with it. Filters through one relationship
            hold for one related row within a group, not across groups. Not with a
            ``dialect``, whose data providers send no OR.
        envelope: The list answers ``{"items": [...], "total": N, "limit": L, "offset": O}``
            (fastapi-pagination's ``LimitOffsetPage`` shape; ``count`` implied), with
            ``next_page``, the next cursor or null, under ``cursor``.
        dialect: ``"react-admin"`` or ``"refine"``: the routes speak that admin front
            end's data provider (``ra-data-simple-rest``, ``@refinedev/simple-rest``):
            its list query, ``id`` beside a key of another name, the count
            (``Content-Range`` for react-admin, ``X-Total-Count``), ``put``, a delete
            that answers the deleted row, a ``message`` in error bodies, and the
            collection without a trailing slash. Needs a key of one column.

    Returns:
        The router, to mount with ``app.include_router(...)``. Its routes answer 400
        for a body that is not JSON, 404 for a missing row, 409 for a unique or
        foreign-key violation, 422 for input the model or the column refuses, and 503
        with ``Retry-After`` when the database cannot be reached. In OpenAPI the create
        answer links to the read, update and delete of the new row. The links name
        operations by id, so each route's operation id is fixed when the router is
        built: the tutorial's (``read_hero_heroes__hero_id__get``), which neither a
        prefix given to ``include_router`` nor an app's ``generate_unique_id_function``
        changes.

    Raises:
        TypeError: ``table_model`` is not a SQLModel table model, or ``session`` is not a
            dependency function (an ``Annotated`` alias, a class, an engine or a session).
        ValueError: the table has no primary key, a field of the public
            model is neither a column, a relationship typed with a model, nor has a
            default, a filter or sort name is not a column field of the public model
            (or, for a filter, a path through relationships of SQLModel tables to a
            related column that is not JSON), a filter would take the name of another
            parameter (``limit``, ``sort``, another filter's), a route name is unknown,
            an option is out of range, or options do not go together (``or_groups``
            without ``filters``; ``envelope``, ``or_groups`` or ``etag`` with a
            ``dialect``).
        TypeError: a scope or hook takes a parameter that is neither a dependency nor
            one that sqlcrud gives it.
    """
    if create_status_code not in (200, 201):
        raise ValueError(f"create_status_code must be 200 or 201, not {create_status_code}")
    if delete_status_code not in (200, 204):
        raise ValueError(f"delete_status_code must be 200 or 204, not {delete_status_code}")
    if max_limit < 1:
        raise ValueError(f"max_limit must be at least 1, not {max_limit}")
    if statement_timeout is not None and not statement_timeout > 0:
        raise ValueError(f"statement_timeout must be a number of seconds above 0, not {statement_timeout}")
    if max_bulk < 1:
        raise ValueError(f"max_bulk must be at least 1, not {max_bulk}")
    if (put or dialect) and etag:
        raise ValueError("put=True and dialect= do not take etag= yet: a PUT has no If-Match")
    if bulk and require_if_match:
        raise ValueError("bulk=True cannot be combined with require_if_match=True: many rows have no If-Match")
    if max_related is not None and max_related < 1:
        raise ValueError(f"max_related must be at least 1 or None, not {max_related}")
    for name in (*routes, *(route_dependencies or {})):
        if name not in ROUTES:
            raise ValueError(f"unknown route {name!r}: the routes are {', '.join(ROUTES)}")
    _check_session(session)
    hook = prepare_hooks(hooks)

    table = inspect_table(table_model)
    names = table.names
    if dialect is not None:
        check_dialect(dialect, table, public_model, envelope=envelope, or_groups=or_groups)
        count = put = True  # what the providers need: a count of the rows, and a PUT
    count = count or envelope  # an envelope holds the total
    # The providers call the key "id": a key of another name is answered under both.
    also = {"id": table.key[0]} if dialect and table.key != ("id",) else {}
    if also:
        public_model = with_id(public_model, table)
        read_model = read_model and with_id(read_model, table)
    labels = tuple(also)
    shape = shape_of(table, public_model, max_related, labels=labels)
    queryable = list(shape.columns)
    # JSON has no order and no equality in a query string (PostgreSQL's json has neither).
    comparable = [name for name in queryable if not isinstance(sql_type(table.columns[name]), sa.JSON)]
    version = _version_field(etag, require_if_match, table, queryable)
    q = Statements(table, shape, version, statement_timeout, also)
    if read_model in (None, public_model):
        read = q
    else:
        read_shape = shape_of(table, read_model, max_related, labels=labels)
        read = Statements(table, read_shape, version, statement_timeout, also)
    if read is not q and etag is True:
        raise ValueError("a read_model has its own representation: use etag='<version column>' with it")
    if version and version not in read.shape.columns:
        raise ValueError(f"etag={version!r} must be a field of the read model too")
    etags = ETags(table.columns[version] if version else None, version, require_if_match) if etag else None
    if (cursor or bulk) and not set(table.key) <= set(queryable):
        key = ", ".join(map(repr, table.key))
        option = "cursor=True" if cursor else "bulk=True"
        raise ValueError(f"{option} needs the primary key {key} in {public_model.__name__}")
    if default_sort:  # its fields need not be offered to clients in ``sort``
        _fields("default_sort", sort_fields(default_sort), comparable, public_model)
    if isinstance(filters, bool | str):
        filter_names = _fields("filters", filters, comparable, public_model)
    else:  # a path through relationships (team__name) is checked by filters_for
        _fields("filters", [n for n in filters if n in table.columns or "__" not in n], comparable, public_model)
        filter_names = list(filters)
    if or_groups and not filter_names:
        raise ValueError("or_groups=True needs filters=: the groups are made of the router's filters")
    sort_names = _fields("sort", sort, comparable, public_model)
    text = [name for name in comparable if is_text(table.columns[name])]
    search_names = _fields("search", search, text, public_model, "or is not text")
    listing = Listing(
        q,
        public_model,
        max_limit=max_limit,
        filters=filter_names,
        sort=sort_names,
        default_sort=default_sort,
        count=count,
        cursor=cursor,
        search=search_names,
        field_selection=field_selection,
        or_groups=or_groups,
    )
    admin = AdminQuery(dialect, listing, table.key[0]) if dialect else None
    ListQuery: Any = admin.parameter if admin else Annotated[listing.model, Query()]
    single_params = scalars(admin.model if admin else listing.model)
    single_selection = scalars(listing.selection)
    Selection: Any = listing.selection
    # The bodies clients send: the caller's models plus what the columns can hold.
    # A client may not set null where the column cannot hold it, or the public model cannot show it.
    never_null = table.not_null | {name for name in q.shape.columns if not accepts_none(public_model, name)}
    CreateBody = body_model(create_model, table.columns, set(never_null - table.defaulted), "create")
    CreateInput: Any = one_or_many(CreateBody, max_bulk) if bulk else CreateBody
    UpdateBody = body_model(update_model, table.columns, set(never_null), "update")
    PublicList: Any = list[public_model]  # type: ignore[valid-type]
    # ?fields= answers some fields of each row: OpenAPI then requires none of them.
    Listed: Any = selected_model(public_model) if field_selection else public_model
    ListAnswer: Any = page_model(Listed, cursor) if envelope else list[Listed]
    # PUT takes the whole record: the update model's fields, and the read-only ones it shows.
    read_only = [name for name in (*q.shape.columns, *labels) if name not in UpdateBody.model_fields]
    PutBody: Any = _put_body(UpdateBody, public_model, read_only, table) if put else UpdateBody
    answer_deleted = dialect is not None
    serialize = Serializer(q.shape)
    if field_selection and (dialect or not serialize.plain):
        raise ValueError(
            "field_selection=True needs a public model that writes its fields as they are (no aliases,"
            " serializers or validators), and no dialect"
        )
    serialize_read = serialize if read is q else Serializer(read.shape)

    # The session comes last: dependencies that share it (a current_user that queries) are solved first.
    SessionDep = Annotated[Any, session_depends(session)]
    Scope = Annotated[tuple[Any, ...], Depends(scope_dependency(scope))]

    def session_after(kind: str) -> Any:
        """The session of a route with an after-hook: entered by FastAPI, so that what the
        hook raises, after the operation, reaches the dependency too."""
        return Annotated[Any, session_depends(session, one_hop=not hook[kind].is_set)]

    # What each hook's own dependencies resolved to, for this request.
    deps = {kind: hook[kind].dependencies for kind in hook}
    segments, key_parameters = table.segments, _key_parameters(table)
    error = errors(names)
    not_found, conflict, unreadable = error["not_found"], error["conflict"], error["unreadable"]

    def key_of(path: Mapping[str, Any]) -> tuple[Any, ...]:
        """The path's key, or a 404 before any SQL for one the columns cannot hold."""
        key = tuple(path[parameter.name] for parameter in key_parameters)
        if not table.key_fits(key):
            raise missing(names.title)
        return key

    def hook_key(key: tuple[Any, ...]) -> Any:
        """The ``pk`` a hook gets: the key's value, or the tuple of a composite key's."""
        return key if len(key) > 1 else key[0]

    content_range = names.plural if dialect == "react-admin" else None

    async def read_list(query: ListQuery, request: Request, *, where: Scope = (), session: SessionDep) -> Response:
        if request.url.query:
            refuse_repeated(request.query_params, single_params)
            if admin and admin.reads_one_by_one:
                admin.refuse_unknown(request.query_params)
        page = listing.page(admin.translate(query) if admin else query, where)
        rows, total = await run(session, op.list_rows, q, page)
        headers = listing.headers(page, rows, total, request.url, content_range)  # drops the look-ahead row
        items = serialize.many(rows) if page.fields is None else serialize.fields(rows, page.fields)
        return _json(listing.envelope(items, page, total) if envelope else items, 200, headers)

    async def read_one(request: Request, *, where: Scope = (), session: SessionDep, **path: Any) -> Response:
        row = await run(session, op.read_row, read, key_of(path), where)
        body = serialize_read.one(row)
        if etags is None:
            return _json(body)
        tag = etags.tag(row, body)
        if etags.not_modified(request.headers.get("if-none-match"), tag):
            return Response(status_code=304, headers={"ETag": tag})
        return _json(body, 200, {"ETag": tag})

    async def insert_values(item: BaseModel, before: Mapping[str, Any], loc: tuple[str | int, ...]) -> dict[str, Any]:
        """The column values of a create body, with what the before-hook sets."""
        server_set = await hook["before_create"].values(before, body=item)
        try:
            row = table_model.model_validate(item, update=server_set)
        except ValidationError as error:
            raise RequestValidationError(located(error, loc)) from error
        return table.insert_values(row) | ({version: 1} if version else {})

    async def create(
        item: CreateInput,
        request: Request,
        *,
        before: Annotated[Mapping[str, Any], Depends(deps["before_create"])] = _NOTHING,
        after: Annotated[Mapping[str, Any], Depends(deps["after_create"])] = _NOTHING,
        session: session_after("after_create"),  # type: ignore[valid-type]
    ) -> Response:
        if isinstance(item, list):  # bulk=True: many rows, all or none
            rows = [await insert_values(one, before, ("body", i)) for i, one in enumerate(item)]
            many = await run(session, op.create_rows, q, rows) if rows else []
            for row in many:
                await hook["after_create"](after, row=row)
            return _json(serialize.many(many), create_status_code)
        values = await insert_values(item, before, ("body",))
        created = await run(session, op.create_row, q, values)
        await hook["after_create"](after, row=created)
        body, headers = serialize.one(created), {}
        if etags is not None:
            headers["ETag"] = etags.tag(created, body)
        if create_status_code == 201:
            key = "/".join(quote(str(value), safe="") for value in table.key_of(created))
            headers["Location"] = f"{request.url.replace(query='')}{key}"
        return _json(body, create_status_code, headers)

    async def update(
        item: UpdateBody,  # type: ignore[valid-type]
        request: Request,
        *,
        where: Scope = (),
        before: Annotated[Mapping[str, Any], Depends(deps["before_update"])] = _NOTHING,
        after: Annotated[Mapping[str, Any], Depends(deps["after_update"])] = _NOTHING,
        session: session_after("after_update"),  # type: ignore[valid-type]
        **path: Any,
    ) -> Response:
        key = key_of(path)
        values = table.update_values(item)
        refuse_scoped_changes(values, table.columns, where)
        guard = etags.guard(request.headers.get("if-match"), serialize.one) if etags else None
        values |= await hook["before_update"].values(before, body=item, pk=hook_key(key))
        if guard is None:
            row = await run(session, op.update_row, q, key, values, where)
        else:
            row = await run(session, op.update_row_if, q, key, values, where, guard)
        await hook["after_update"](after, row=row)
        body = serialize.one(row)
        return _json(body, 200, {"ETag": etags.tag(row, body)} if etags else None)

    async def replace(
        item: PutBody,
        request: Request,
        *,
        where: Scope = (),
        before: Annotated[Mapping[str, Any], Depends(deps["before_update"])] = _NOTHING,
        after: Annotated[Mapping[str, Any], Depends(deps["after_update"])] = _NOTHING,
        session: session_after("after_update"),  # type: ignore[valid-type]
        **path: Any,
    ) -> Response:
        """PUT: a PATCH of the fields the update model declares, with the record's read-only
        fields (its key, server-set fields) accepted when they hold the row's values."""
        key = key_of(path)
        values = {name: value for name, value in table.update_values(item).items() if name not in read_only}
        kept = {also.get(name, name): getattr(item, name) for name in read_only if name in item.model_fields_set}
        refuse_scoped_changes(values, table.columns, where)
        values |= await hook["before_update"].values(before, body=item, pk=hook_key(key))
        row = await run(session, op.replace_row, q, key, values, kept, where)
        await hook["after_update"](after, row=row)
        return _json(serialize.one(row))

    async def delete(
        request: Request,
        *,
        where: Scope = (),
        after: Annotated[Mapping[str, Any], Depends(deps["after_delete"])] = _NOTHING,
        session: session_after("after_delete"),  # type: ignore[valid-type]
        **path: Any,
    ) -> Response:
        key = key_of(path)
        guard = etags.guard(request.headers.get("if-match"), serialize.one) if etags else None
        if guard is None:
            deleted = await run(session, op.delete_row, q, key, where, answer_deleted)
        else:
            deleted = await run(session, op.delete_row_if, q, key, where, guard, answer_deleted)
        await hook["after_delete"](after, pk=hook_key(key))
        if deleted is not None:  # dialect=: the deleted row, as the providers expect
            return _json(serialize.one(deleted))
        if delete_status_code == 204:
            return Response(status_code=204)
        return Response(b'{"ok":true}', media_type="application/json")

    async def update_many(
        query: Annotated[Selection, Query()],
        item: UpdateBody,  # type: ignore[valid-type]
        request: Request,
        *,
        where: Scope = (),
        before: Annotated[Mapping[str, Any], Depends(deps["before_update"])] = _NOTHING,
        after: Annotated[Mapping[str, Any], Depends(deps["after_update"])] = _NOTHING,
        session: session_after("after_update"),  # type: ignore[valid-type]
    ) -> Response:
        unconditional(request, etags is not None)
        refuse_repeated(request.query_params, single_selection)
        values = table.update_values(item)
        refuse_scoped_changes(values, table.columns, where)
        chosen = listing.chosen(query, where, max_bulk, whole=False)
        values |= await hook["before_update"].values(before, body=item, pk=None)
        rows = await run(session, op.update_rows, q, chosen, values, max_bulk)
        for row in rows:
            await hook["after_update"](after, row=row)
        return _json(serialize.many(rows))

    async def delete_many(
        query: Annotated[Selection, Query()],
        request: Request,
        *,
        where: Scope = (),
        after: Annotated[Mapping[str, Any], Depends(deps["after_delete"])] = _NOTHING,
        session: session_after("after_delete"),  # type: ignore[valid-type]
    ) -> Response:
        unconditional(request, etags is not None)
        refuse_repeated(request.query_params, single_selection)
        rows = await run(session, op.delete_rows, q, listing.chosen(query, where, max_bulk, whole=True), max_bulk)
        for row in rows:
            await hook["after_delete"](after, pk=hook_key(table.key_of(row)))
        return _json(serialize.many(rows))

    # Dependencies that would resolve to nothing are not shown to FastAPI, which solves each on every request.
    scoped, resolves = scope is not None, {kind: hook[kind].resolves for kind in hook}
    unsolved(read_list, where=scoped)
    unsolved(read_one, key_parameters, where=scoped)
    unsolved(create, before=resolves["before_create"], after=resolves["after_create"])
    unsolved(update, key_parameters, where=scoped, before=resolves["before_update"], after=resolves["after_update"])
    unsolved(delete, key_parameters, where=scoped, after=resolves["after_delete"])
    unsolved(replace, key_parameters, where=scoped, before=resolves["before_update"], after=resolves["after_update"])
    unsolved(update_many, where=scoped, before=resolves["before_update"], after=resolves["after_update"])
    unsolved(delete_many, where=scoped, after=resolves["after_delete"])
    item = "".join(f"/{{{segment}}}" for segment in segments)
    collection = "" if dialect else "/"  # the providers call /heroes, which would redirect to /heroes/
    # route: (path, endpoint, method, name, response model, status code, extra responses)
    conditional = conditional_openapi(etags, create_status_code)
    table_of_routes: dict[str, tuple[str, Callable[..., Any], str, str, Any, int, Responses]] = {
        "create": (
            collection,
            create,
            "POST",
            f"create_{names.singular}",
            public_model | list[public_model] if bulk else public_model,  # type: ignore[valid-type]
            create_status_code,
            unreadable | conflict,
        ),
        "list": (
            collection,
            read_list,
            "GET",
            f"read_{names.plural}",
            ListAnswer,
            200,
            list_answer(names, count, cursor, content_range is not None),
        ),
        "read": (item, read_one, "GET", f"read_{names.singular}", read.shape.model, 200, not_found),
        "update": (
            item,
            update,
            "PATCH",
            f"update_{names.singular}",
            public_model,
            200,
            unreadable | not_found | conflict,
        ),
        "delete": (
            item,
            delete,
            "DELETE",
            f"delete_{names.singular}",
            public_model if answer_deleted else Deleted if delete_status_code == 200 else None,
            200 if answer_deleted else delete_status_code,
            not_found | conflict,
        ),
        "replace": (
            item,
            replace,
            "PUT",
            f"replace_{names.singular}",
            public_model,
            200,
            unreadable | not_found | conflict,
        ),
        # bulk=True: a PATCH and a DELETE of the rows the filters select.
        "update_many": (
            collection,
            update_many,
            "PATCH",
            f"update_{names.plural}",
            PublicList,
            200,
            unreadable | conflict,
        ),
        "delete_many": (collection, delete_many, "DELETE", f"delete_{names.plural}", PublicList, 200, conflict),
    }
    router = APIRouter(
        prefix=f"/{names.plural}" if prefix is None else prefix,
        tags=tags,
        dependencies=dependencies,
        route_class=AdminRoute if dialect else Route,
    )
    # Routes beyond the five come with a counterpart among them, and its dependencies.
    of = {"update_many": "update", "delete_many": "delete", "replace": "update"}
    wanted = {"update_many": bulk and bool(filter_names), "delete_many": bulk and bool(filter_names), "replace": put}
    built = {
        name: route
        for name, route in table_of_routes.items()
        if of.get(name, name) in routes and wanted.get(name, True)
    }
    resource = Resource(
        table=table,
        public_model=public_model,
        create_body=CreateBody,
        update_body=UpdateBody,
        routes=frozenset(built),
        filters=tuple(filter_names),
        sort=tuple(sort_names),
        count=count,
        cursor=cursor,
        etag=None if etag is False else version or "hash",
        require_if_match=require_if_match,
        scoped=scope is not None,
        max_limit=max_limit,
        create_status_code=create_status_code,
        delete_status_code=delete_status_code,
        max_bulk=max_bulk if bulk else None,
        trailing_slash=not dialect,
    )
    added: dict[str, APIRoute] = {}
    for name, (path, endpoint, method, operation, model, status_code, responses) in built.items():
        record(endpoint, resource, name)
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            name=operation,
            response_model=model,
            status_code=status_code,
            responses=merge(responses | error["invalid"] | error["down"], conditional.get(name, ({}, None))[0]),
            openapi_extra=conditional.get(name, ({}, None))[1],
            dependencies=(route_dependencies or {}).get(of.get(name, name)),
        )
        added[name] = router.routes[-1]  # type: ignore[assignment]
    declare_links(added, create_status_code, dict(zip(segments, table.key)) if set(table.key) <= set(queryable) else {})
    allow_methods([(path, endpoint, method) for path, endpoint, method, *_ in built.values()])
    # With a dialect, /heroes/ is an item with an empty key, not a redirect to the collection /heroes.
    item_methods = sorted({method for path, _, method, *_ in built.values() if path == item})
    if dialect and item_methods:
        router.add_api_route("/", _no_row(names.title), methods=item_methods, include_in_schema=False)
    return router


def _no_row(title: str) -> Callable[[], Any]:
    async def no_row() -> None:
        raise missing(title)

    return no_row


# What a hook that takes no dependencies gets from FastAPI.
_NOTHING: Mapping[str, Any] = MappingProxyType({})


def unsolved(endpoint: Callable[..., Any], path: Sequence[inspect.Parameter] = (), **solved: bool) -> None:
    """Drop the parameters ``solved`` marks False from what FastAPI sees of ``endpoint``:
    their defaults stand in for what their dependencies would have given. The ``path``
    parameters stand for the endpoint's ``**path``, which receives them."""
    signature = inspect.signature(endpoint)
    kept = [p for p in signature.parameters.values() if solved.get(p.name, True) and p.kind != p.VAR_KEYWORD]
    endpoint.__signature__ = signature.replace(parameters=[*kept, *path])  # type: ignore[attr-defined]


def _key_parameters(table: Table) -> list[inspect.Parameter]:
    """The endpoint parameters that read the key's path segments, one per key column."""
    parameters = []
    for i, (segment, type_) in enumerate(zip(table.segments, table.key_types)):
        # A text key is never empty: "/heroes/" + "" would be the list's path.
        constraints = {"min_length": 1} if issubclass(type_, str) else {}
        annotation = Annotated[type_, Path(alias=segment, **constraints)]  # type: ignore[valid-type]
        parameters.append(inspect.Parameter(f"sqlcrud_key{i}", inspect.Parameter.KEYWORD_ONLY, annotation=annotation))
    return parameters


def _put_body(
    update_body: type[BaseModel], public_model: type[BaseModel], read_only: list[str], table: Table
) -> type[BaseModel]:
    """The body of PUT: the update body, and the read-only fields of the whole record, each
    accepted only with the value the row holds."""
    fields: dict[str, Any] = {}
    for name in read_only:
        annotation = public_model.model_fields[name].rebuild_annotation()
        description = "Read-only: the row's value, or leave it out"
        fields[name] = (annotation, Field(None, description=description, json_schema_extra=_no_default))
    name = f"{table.model.__name__}Put"
    return create_model(name, __base__=update_body, __module__=update_body.__module__, **fields)


def _no_default(json_schema: dict[str, Any]) -> None:
    json_schema.pop("default", None)  # left out, not null: the field's type may hold no null


def _check_session(session: Any) -> None:
    """``session=`` must be the dependency itself, not an alias of it or a session."""
    hint = "pass the dependency function itself, e.g. session=get_session"
    if get_origin(session) is Annotated:
        raise TypeError(f"session= takes a dependency, not the Annotated alias {session!r}: {hint}")
    if not callable(session) or isinstance(session, type):
        raise TypeError(f"session= takes a dependency, not {session!r}: {hint}")


def _version_field(etag: bool | str, require_if_match: bool, table: Table, queryable: list[str]) -> str | None:
    """The version column's attribute for ``etag="name"``, checked; None for hash tags."""
    if require_if_match and not etag:
        raise ValueError("require_if_match=True needs etag=True or etag='<version column>'")
    if not isinstance(etag, str):
        return None
    if etag not in queryable or sql_type(table.columns[etag]).python_type is not int:
        raise ValueError(f"etag={etag!r} must name an integer column that is a field of the public model")
    return etag


def _fields(
    option: str,
    value: Sequence[str] | bool,
    queryable: list[str],
    public_model: type[BaseModel],
    otherwise: str = "or is JSON",
) -> list[str]:
    """The field names an option names, each one of ``queryable`` (``True``: all of them)."""
    if value is True:
        return queryable
    if value is False:
        return []
    if isinstance(value, str):
        raise TypeError(f"{option} takes a list of field names, not the string {value!r}")
    for name in value:
        if name not in queryable:
            raise ValueError(f"{option}: {name!r} is not a column field of {public_model.__name__}, {otherwise}")
    return list(value)


def _json(body: bytes, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code, headers, media_type="application/json")
