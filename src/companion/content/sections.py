"""Which headings are not study content (contents, license, contributing, ...), by a rule."""

import re

from companion.text import normalise

NOT_STUDY = re.compile(
    r"^(table of )?contents?$|^toc$|^licen[cs]e|^contribut|^code of conduct|^forums?$"
    r"|^translations?|^language versions?|^other languages|^acknowledg|^credits?$|^thanks"
    r"|^sponsors?|^support( us)?$|^changelog|^authors?$|^maintainers?|^star history"
    r"|^backers|^donat|^faq$|^footnotes$|^team$|^(the )?community$|^our team|^core team"
    r"|^(a )?note on (prs|pull requests)|^pull requests?$|^how to contribute"
)
_EMOJI_AND_MARKS = re.compile(r"^[^\w(]+")


def is_study_section(title: str, include: set[str], exclude: set[str]) -> bool:
    """False for sections the rule leaves out, unless the learner asked for them by name."""
    key = _EMOJI_AND_MARKS.sub("", normalise(title)).strip(" :")  # "📝 Contents" too
    if key in include:
        return True
    if key in exclude:
        return False
    return not NOT_STUDY.search(key)


def names(value: str) -> set[str]:
    """Section names from a comma-separated list, normalised for comparison."""
    return {normalise(name).strip(" :") for name in value.split(",") if name.strip()}
