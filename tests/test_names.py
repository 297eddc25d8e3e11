"""Paths and messages derive from the table model's class name."""

import pytest

from sqlcrud._names import Names


@pytest.mark.parametrize(
    ("class_name", "singular", "plural", "title"),
    [
        ("Hero", "hero", "heroes", "Hero"),
        ("Country", "country", "countries", "Country"),
        ("Box", "box", "boxes", "Box"),
        ("Day", "day", "days", "Day"),
        ("Photo", "photo", "photos", "Photo"),
        ("Gizmo", "gizmo", "gizmos", "Gizmo"),
        ("Person", "person", "people", "Person"),
        ("Sheep", "sheep", "sheep", "Sheep"),
        ("Address", "address", "addresses", "Address"),
        ("Church", "church", "churches", "Church"),
        ("TeamMember", "team_member", "team_members", "Team member"),
        ("HTTPLog", "http_log", "http_logs", "HTTP log"),
        ("User2", "user2", "user2s", "User2"),
    ],
)
def test_names(class_name: str, singular: str, plural: str, title: str) -> None:
    assert Names.of(class_name) == Names(singular, plural, title)
