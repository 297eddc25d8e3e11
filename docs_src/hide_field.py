"""Fields a client never sees: leave them out of the public model."""

from fastapi import FastAPI
from sqlmodel import Field, SQLModel

from examples.heroes.app import get_session, lifespan
from sqlcrud import crud_router


# --8<-- [start:models]
class AgentBase(SQLModel):
    codename: str


class Agent(AgentBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    real_name: str
    clearance: int = 1


class AgentCreate(AgentBase):
    real_name: str  # a client sends it...


class AgentPublic(AgentBase):
    id: int  # ...but no response shows it: real_name and clearance are not here


class AgentUpdate(SQLModel):
    codename: str | None = None
    real_name: str | None = None


# --8<-- [end:models]


# --8<-- [start:router]
app = FastAPI(lifespan=lifespan)
app.include_router(
    crud_router(Agent, AgentCreate, AgentPublic, AgentUpdate, session=get_session)
)
# --8<-- [end:router]
