"""User code around the routes: a row scope, and hooks before and after writes.

Both are written like FastAPI dependencies: their parameters can be ``Depends(...)``
(the current user, settings, the request), which FastAPI resolves per request, once,
shared with the route's other dependencies. A hook also receives, by name, what sqlcrud
gives it: ``body`` (the validated request body), ``row`` (the written row, as the public
model's fields) or ``pk`` (the primary key of the row: its value, or for a key of several
columns the tuple of their values, in key order).
"""

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, fields
from typing import Annotated, Any, get_args, get_origin

import sqlalchemy as sa
from fastapi import BackgroundTasks, Depends, Request, Response, params
from fastapi.exceptions import RequestValidationError
from fastapi.security import SecurityScopes
from sqlalchemy.sql import visitors
from starlette.concurrency import run_in_threadpool

_GIVEN_BY_FASTAPI = (Request, Response, BackgroundTasks, SecurityScopes)


@dataclass(frozen=True)
class Hooks:
    """Code to run around writes. Each hook is optional and may be sync or async.

    What a before-hook returns is server code's choice, so the scope's check on changed
    columns does not apply to it. On create, the table model validates it with the body
    (the model's field types, not the column limits bodies get); on update it is written
    as given. Either way a value the column refuses is a 422 and nothing is written.

    Attributes:
        before_create: Runs before the INSERT, with ``body`` (the create model). Returns
            column values to set on top of the body's (server-set fields such as an
            owner or a password hash), or None. Raise ``HTTPException`` to refuse:
            nothing is written.
        before_update: Runs before the UPDATE, with ``body`` (the update model, as sent)
            and ``pk``. Returns column values to set on top of the body's, or None. It
            runs before the database is asked, so also for a row that turns out to be
            missing (a 404). For a PATCH of many rows (``bulk=True``) it runs once, with
            ``pk=None``, and its values apply to every row.
        after_create: Runs after the INSERT is committed, with ``row``.
        after_update: Runs after the UPDATE is committed, with ``row``.
        after_delete: Runs after the DELETE is committed, with ``pk``.
    """

    before_create: Callable[..., Any] | None = None
    before_update: Callable[..., Any] | None = None
    after_create: Callable[..., Any] | None = None
    after_update: Callable[..., Any] | None = None
    after_delete: Callable[..., Any] | None = None


_GIVEN = {
    "before_create": {"body"},
    "before_update": {"body", "pk"},
    "after_create": {"row"},
    "after_update": {"row"},
    "after_delete": {"pk"},
}


class Hook:
    """A user hook split into what FastAPI resolves and what sqlcrud passes by name."""

    def __init__(self, kind: str, function: Callable[..., Any]) -> None:
        if not callable(function):
            raise TypeError(f"hook {kind} must be a function, not {function!r}")
        signature = inspect.signature(function)
        given = _GIVEN[kind]
        self.kind, self.function = kind, function
        self.given = [name for name in signature.parameters if name in given]
        for parameter in signature.parameters.values():
            if parameter.name not in given and not _resolvable(parameter):
                raise TypeError(
                    f"hook {kind} ({function.__qualname__}): parameter {parameter.name!r} must be one of "
                    f"{', '.join(sorted(given))}, a dependency (Depends(...)), or Request, Response, BackgroundTasks"
                )
        self.is_async = inspect.iscoroutinefunction(function)

        async def dependencies(**resolved: Any) -> dict[str, Any]:
            return resolved

        dependencies.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[p for p in signature.parameters.values() if p.name not in given],
            return_annotation=dict[str, Any],
        )
        self.dependencies = dependencies
        # Whether FastAPI has anything to resolve for it: most hooks take only what sqlcrud gives.
        self.resolves = bool(dependencies.__signature__.parameters)  # type: ignore[attr-defined]

    @property
    def is_set(self) -> bool:
        return self.function is not _no_hook

    async def __call__(self, resolved: Mapping[str, Any], **given: Any) -> Any:
        kwargs = {**resolved, **{name: given[name] for name in self.given}}
        if self.is_async:
            return await self.function(**kwargs)
        return await run_in_threadpool(self.function, **kwargs)  # e.g. a slow password hash

    async def values(self, resolved: Mapping[str, Any], **given: Any) -> dict[str, Any]:
        """Run a before-hook and check what it returns: column values, or None."""
        values = await self(resolved, **given)
        if values is None:
            return {}
        if not isinstance(values, Mapping):
            raise TypeError(f"hook {self.kind} must return a mapping of column values or None, not {values!r}")
        return dict(values)


async def _no_hook() -> None:
    return None


def prepare_hooks(hooks: Hooks | None) -> dict[str, Hook]:
    """Every kind of hook, checked: bad parameters fail when the router is built.

    A hook that is not set does nothing (and depends on nothing).
    """
    if hooks is None:
        hooks = Hooks()
    if not isinstance(hooks, Hooks):
        raise TypeError(f"hooks must be sqlcrud.Hooks(...), not {hooks!r}")
    return {f.name: Hook(f.name, getattr(hooks, f.name) or _no_hook) for f in fields(hooks)}


def _resolvable(parameter: inspect.Parameter) -> bool:
    """Whether FastAPI can fill this parameter without reading the request's query or body."""
    if isinstance(parameter.default, params.Depends) or parameter.annotation in _GIVEN_BY_FASTAPI:
        return True
    if get_origin(parameter.annotation) is Annotated:
        return any(isinstance(meta, params.Depends) for meta in get_args(parameter.annotation)[1:])
    return False


def scope_dependency(scope: Callable[..., Any] | None) -> Callable[..., Awaitable[tuple[Any, ...]]]:
    """A dependency giving the scope's condition as a tuple of zero or one SQL condition."""
    if scope is None:

        async def unscoped() -> tuple[Any, ...]:
            return ()

        return unscoped
    if not callable(scope):
        raise TypeError(f"scope must be a dependency (a function), not {scope!r}")
    for parameter in inspect.signature(scope).parameters.values():
        if not _resolvable(parameter):
            raise TypeError(
                f"scope ({scope.__qualname__}): parameter {parameter.name!r} must be a dependency "
                "(Depends(...)), or Request, Response, BackgroundTasks"
            )

    async def scoped(condition: Annotated[Any, Depends(scope)]) -> tuple[Any, ...]:
        if condition is None:
            return ()
        if isinstance(condition, sa.ColumnElement):
            return (condition,)
        raise TypeError(
            f"a scope must return a SQL condition (such as Note.owner_id == user.id) or None, not {condition!r}"
        )

    return scoped


def refuse_scoped_changes(values: Mapping[str, Any], columns: Mapping[str, sa.Column[Any]], where: Any) -> None:
    """A PATCH may not set a column the scope tests: the row would leave the scope.

    Raises:
        RequestValidationError: ``values`` sets such a column.
    """
    tested = {
        element.key for condition in where for element in visitors.iterate(condition) if isinstance(element, sa.Column)
    }
    for name, value in values.items():
        if columns[name].key in tested:
            message = "Field is set by the server and cannot be changed"
            raise RequestValidationError([{"type": "scoped", "loc": ("body", name), "msg": message, "input": value}])
