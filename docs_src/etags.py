"""Entity tags: a version column, ``If-Match`` required for writes."""

from fastapi import FastAPI
from sqlmodel import Field, SQLModel

from examples.heroes.app import get_session, lifespan
from sqlcrud import crud_router


# --8<-- [start:models]
class Article(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    version: int = 0  # sqlcrud sets 1 on create and adds 1 on every update


class ArticleCreate(SQLModel):
    title: str


class ArticlePublic(SQLModel):
    id: int
    title: str
    version: int


class ArticleUpdate(SQLModel):
    title: str | None = None


# --8<-- [end:models]


app = FastAPI(lifespan=lifespan)
# --8<-- [start:router]
router = crud_router(
    Article,
    ArticleCreate,
    ArticlePublic,
    ArticleUpdate,
    session=get_session,
    etag="version",
    require_if_match=True,
)
app.include_router(router)
# --8<-- [end:router]
