"""Courses and students, linked through a table of enrollments: ``link_model``."""

from fastapi import FastAPI
from sqlmodel import Field, Relationship, SQLModel

from examples.heroes.app import get_session, lifespan
from sqlcrud import crud_router


# --8<-- [start:models]
class Enrollment(SQLModel, table=True):
    course_id: int = Field(foreign_key="course.id", primary_key=True)
    student_id: int = Field(foreign_key="student.id", primary_key=True)


class Course(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    students: list["Student"] = Relationship(
        back_populates="courses", link_model=Enrollment
    )


class Student(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    courses: list[Course] = Relationship(
        back_populates="students", link_model=Enrollment
    )


class CourseCreate(SQLModel):
    title: str


class CourseUpdate(SQLModel):
    title: str | None = None


class StudentCreate(SQLModel):
    name: str


class StudentUpdate(SQLModel):
    name: str | None = None


class StudentPublic(SQLModel):
    id: int
    name: str


class CoursePublic(SQLModel):
    id: int
    title: str


class CoursePublicWithStudents(CoursePublic):
    students: list[StudentPublic]


# --8<-- [end:models]

app = FastAPI(lifespan=lifespan)
# --8<-- [start:routers]
courses = crud_router(
    Course,
    CourseCreate,
    CoursePublic,
    CourseUpdate,
    session=get_session,
    read_model=CoursePublicWithStudents,
)
students = crud_router(
    Student, StudentCreate, StudentPublic, StudentUpdate, session=get_session
)
# --8<-- [end:routers]
app.include_router(courses)
app.include_router(students)
# --8<-- [start:links]
enrollments = crud_router(
    Enrollment, Enrollment, Enrollment, Enrollment, session=get_session
)
app.include_router(enrollments)
# --8<-- [end:links]
