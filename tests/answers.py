"""What users type: hypothesis strategies for the text answers, and the template's own verdict.

The render property test (tests/render/test_answers_property.py) draws many of these; the
first-commit CI test (tests/projects/test_first_commit_ci.py) takes one per case through the
generated project's own checks.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.templating import validator_error

# One line of text: anything but control characters, line and paragraph separators and
# surrogates, which the validators refuse (tests/unit/test_answer_refusals.py).
LINE = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))
HOSTILE = [
    "C:\\data",
    'Zoë "Z" O\'Brien',
    'My """API"""',
    "''' \"\"\" \\",
    '"',
    "\\",
    "{{ x }} {% y %} {# z #} ${w}",
    "<script>alert(1)</script> &amp; &#123;",
    "# heading *em* _em_ `code` [link](x) | a | ~~s~~",
    "1. not a list",
    "- not a list",
    # A typographic apostrophe, Cyrillic and fullwidth letters, CJK, an emoji with a joiner.
    "Zo\xeb\u2019s caf\xe9: \u0430 \uff46\uff55\uff4c\uff4c \u4e2d\u6587"
    " \U0001f469\u200d\U0001f4bb",
    "x" * 98,
    "word " * 30,
]
text = st.one_of(st.sampled_from(HOSTILE), st.text(LINE, max_size=120))
slugs = st.one_of(
    st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,3}", fullmatch=True),
    st.sampled_from(["zz-top", "tests-x", "u" * 40, "a-" * 19 + "zz"]),
)
packages = st.one_of(
    st.from_regex(r"[a-z][a-z0-9_]{0,31}", fullmatch=True),
    st.sampled_from(["zz_top", "tests_x", "zzz" + "_" * 28 + "z", "u"]),
)
# What users of a generated project type into a note: a title (1-200 characters, as the
# frameworks store it: without surrounding whitespace) and a body of a few lines.
note_titles = (
    st.one_of(st.sampled_from(HOSTILE), st.text(LINE, min_size=1, max_size=200))
    .map(str.strip)
    .filter(bool)
)
note_bodies = st.lists(st.text(LINE, max_size=200), max_size=8).map("\n".join).map(str.strip)
# What packaging accepts (tests/unit/test_answer_refusals.py has what it does not): an ASCII
# local part, a domain of letters, digits, hyphens and underscores in any script.
ATEXT = st.sampled_from("abcXYZ0189!#$%&'*+/=?^_`{|}~-")
LABEL = st.text(st.one_of(st.characters(categories=("Ll", "Lu", "Nd")), st.just("-")), min_size=1)
emails = st.builds(
    "{}@{}".format,
    st.lists(st.text(ATEXT, min_size=1, max_size=12), min_size=1, max_size=3).map(".".join),
    st.lists(LABEL, min_size=2, max_size=3).map(".".join),
)


def accepted(framework: str, answers: dict[str, Any]) -> bool:
    """What the template's own validators say, as copier asks them."""
    return not any(
        validator_error(key, value, framework=framework)
        for key, value in answers.items()
        if key in {"project_name", "project_slug", "package_name", "description"}
        or key.startswith("author_")
    )
