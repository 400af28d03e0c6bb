"""The templates' own Jinja, run the way copier runs it, without rendering a whole project:
the questions' validators, and single template files."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

from scaffold.catalog import question_files
from tests.support import REPO


@cache
def jinja_env() -> SandboxedEnvironment:
    """copier's environment: sandboxed, the repository root as the search path, the
    Ansible filters copier always loads, and the template's own _envops."""
    return SandboxedEnvironment(
        loader=FileSystemLoader(REPO),
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
        keep_trailing_newline=True,
    )


@cache
def _validators() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in question_files(REPO):
        for name, spec in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if isinstance(spec, dict) and "validator" in spec:
                found[name] = spec["validator"]
    return found


def validator_error(question: str, value: str, **answers: Any) -> str:
    """The message a question's validator gives for value ("" when it accepts it)."""
    template = jinja_env().from_string(_validators()[question])
    return template.render({**answers, question: value}).strip()


def render_file(path: str, answers: dict[str, Any]) -> str:
    """One template file (a path under the repository root) rendered with these answers."""
    return jinja_env().get_template(path).render(answers)
