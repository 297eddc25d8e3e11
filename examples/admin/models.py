"""An admin back end's tables: authors, keyed by a login they choose, and their posts."""

from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


class Base(SQLModel, registry=registry()):
    """Tables of their own, apart from the other examples' (the test suite imports every
    example into one process). In an app of your own, derive from ``SQLModel``."""


# --8<-- [start:models]
class Author(Base, table=True):
    login: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=200)


class AuthorCreate(Base):
    login: str
    name: str


class AuthorPublic(AuthorCreate):
    pass


class AuthorUpdate(Base):
    name: str | None = None


class Post(Base, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200, index=True)
    views: int = 0
    published: bool = False
    author_login: str = Field(foreign_key="author.login", max_length=40)


class PostCreate(Base):
    title: str
    views: int = 0
    published: bool = False
    author_login: str


class PostPublic(PostCreate):
    id: int


class PostUpdate(Base):
    title: str | None = None
    views: int | None = None
    published: bool | None = None
    author_login: str | None = None


# --8<-- [end:models]
