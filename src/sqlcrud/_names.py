"""Names derived from a table model's class name: ``Hero`` -> ``hero``, ``heroes``, "Hero"."""

import re
from dataclasses import dataclass

_IRREGULAR = {
    "child": "children",
    "foot": "feet",
    "goose": "geese",
    "man": "men",
    "mouse": "mice",
    "person": "people",
    "tooth": "teeth",
    "woman": "women",
}
# Words ending in consonant + "o" that take a plain "s" (most take "es": heroes, potatoes).
_O_PLAIN = {"auto", "demo", "disco", "gizmo", "kilo", "logo", "memo", "photo", "piano", "pro", "solo", "typo", "zero"}
_UNCHANGED = {"data", "deer", "fish", "info", "metadata", "news", "series", "sheep", "species"}


def pluralize(word: str) -> str:
    """The English plural of a lower-case word, for the ordinary nouns tables are named after."""
    if word in _UNCHANGED:
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"[^aeiou]o$", word) and word not in _O_PLAIN:
        return word + "es"
    return word + "s"


@dataclass(frozen=True)
class Names:
    """Every name a router uses, derived once from the model's class name."""

    singular: str  # hero, team_member: path parameter and endpoint names
    plural: str  # heroes, team_members: path and list endpoint name
    title: str  # "Hero", "Team member": messages

    @classmethod
    def of(cls, class_name: str) -> "Names":
        words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", class_name) or [class_name]
        lower = [word.lower() for word in words]
        title = " ".join(word if word.isupper() else word.lower() for word in words)
        return cls(
            singular="_".join(lower),
            plural="_".join([*lower[:-1], pluralize(lower[-1])]),
            title=title[0].upper() + title[1:],
        )
