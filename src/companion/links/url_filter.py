"""Which URLs a check leaves out (lychee's --exclude and --include) and which statuses count as
ok (lychee's --accept)."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class UrlFilter:
    """URLs matching an exclude pattern are left out unless an include pattern matches them:
    an include wins over every exclude, as in lychee."""

    exclude: tuple[re.Pattern, ...] = ()
    include: tuple[re.Pattern, ...] = ()

    @classmethod
    def compile(cls, exclude: list[str], include: list[str]) -> "UrlFilter":
        """Regular expressions searched anywhere in the URL; ValueError names a bad one."""
        return cls(_compiled(exclude, "--exclude"), _compiled(include, "--include"))

    def excluded(self, url: str) -> bool:
        """Whether `url` is left out of the check."""
        if not any(pattern.search(url) for pattern in self.exclude):
            return False
        return not any(pattern.search(url) for pattern in self.include)


def _compiled(patterns: list[str], option: str) -> tuple[re.Pattern, ...]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise ValueError(f"{option} {pattern!r} is not a regular expression: {error}") from None
    return tuple(compiled)


def parse_statuses(text: str) -> frozenset[int]:
    """'200,204,429', with ranges as lychee writes them ('200..=299' inclusive, '200..300'
    not including 300); ValueError says what is wrong."""
    statuses: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        try:
            if "..=" in part:
                low, high = (int(n) for n in part.split("..="))
                statuses.update(range(low, high + 1))
            elif ".." in part:
                low, high = (int(n) for n in part.split(".."))
                statuses.update(range(low, high))
            else:
                statuses.add(int(part))
        except ValueError:
            raise ValueError(
                f"--accept: {part!r} is not a status or a range like 200..=299"
            ) from None
    if not statuses or not all(100 <= s <= 999 for s in statuses):
        raise ValueError(f"--accept: statuses run from 100 to 999, got {text!r}")
    return frozenset(statuses)
