"""Users with hashed passwords, and notes that belong to them."""

from sqlmodel import Field, SQLModel


# --8<-- [start:users]
class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=50)
    hashed_password: str
    is_admin: bool = False


class UserCreate(SQLModel):
    username: str = Field(min_length=1, max_length=50)
    password: str = Field(min_length=8, max_length=200)


class UserPublic(SQLModel):
    id: int
    username: str


class UserUpdate(SQLModel):
    password: str | None = Field(default=None, min_length=8, max_length=200)


# --8<-- [end:users]


# --8<-- [start:notes]
class Note(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    title: str = Field(max_length=200)
    body: str = ""


class NoteCreate(SQLModel):
    title: str = Field(max_length=200)
    body: str = ""


class NotePublic(SQLModel):
    id: int
    owner_id: int
    title: str
    body: str


class NoteUpdate(SQLModel):
    title: str | None = Field(default=None, max_length=200)
    body: str | None = None


# --8<-- [end:notes]
