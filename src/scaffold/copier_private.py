"""Every use of copier's internals, in one place (copier 9.x exports only run_copy, run_update
and run_recopy).

scaffold asks the questions itself (summary, presets, live constraints) but must compute each
question's condition, default, choices and validator exactly as ``copier copy`` would. copier
has no public API for that, so this module drives its private ``Worker`` (the template loaded
for one destination, its Jinja environment and render context) and ``Question`` (one question
rendered over an answers map). tests/unit/test_copier_private.py exercises each function here
with real copier: a copier release that renames or reshapes any of them fails there, naming
what moved, before a user sees it. Imported only by commands that render.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# What copier's Question takes from a question file (the rest, such as scaffold's `needs`
# and `details`, copier's question loader ignores; the constructor would refuse it).
QUESTION_FIELDS = frozenset(
    {
        "choices",
        "multiselect",
        "default",
        "help",
        "multiline",
        "placeholder",
        "qmark",
        "secret",
        "type",
        "validator",
        "when",
        "ask",
    }
)


# The names copier's modules import at module level for its prompts only (copier._main:
# confirm, unsafe_prompt; copier._user_data: Choice, PygmentsLexer and the two lexers it colours
# YAML and JSON answers with). Loading questionary, prompt_toolkit and pygments' lexer table
# costs about half of copier's import, and scaffold never lets copier prompt: it asks its own
# questions and calls copier with defaults=True and overwrite=True.
PROMPT_IMPORTS: dict[str, tuple[str, ...]] = {
    "questionary": ("confirm", "unsafe_prompt"),
    "questionary.prompts.common": ("Choice",),
    "prompt_toolkit.lexers": ("PygmentsLexer",),
    "pygments.lexers.data": ("JsonLexer", "YamlLexer"),
}


class _Choice:
    """What copier reads of questionary's Choice when it checks an answer (title, value,
    disabled), built the way questionary builds it."""

    def __init__(
        self, title: Any, value: Any = None, disabled: Any = None, checked: bool = False, **_: Any
    ) -> None:
        self.title = title
        self.value = title if value is None and not isinstance(title, list) else value
        if value is None and isinstance(title, list):
            self.value = "".join(token[1] for token in title)
        self.disabled = disabled
        self.checked = checked


def _forwarding(module: str, name: str) -> Callable[..., Any]:
    """A stand-in that imports the real library only if it is ever called."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def load_copier() -> types.ModuleType:
    """Import copier without its prompt libraries (see PROMPT_IMPORTS).

    While copier is imported, stand-in modules answer its imports from those libraries (a
    stand-in function imports the real library if it is ever called); they are removed right
    after, so anything else that imports the libraries gets the real ones. Should a copier
    release import another name from them, copier is imported the ordinary way instead
    (tests/unit/test_copier_private.py then fails, naming it).
    """
    if "copier._main" in sys.modules or any(m in sys.modules for m in PROMPT_IMPORTS):
        return importlib.import_module("copier")
    stand_ins: dict[str, types.ModuleType] = {}
    for module, names in PROMPT_IMPORTS.items():
        parts = module.split(".")
        for depth in range(1, len(parts) + 1):
            name = ".".join(parts[:depth])
            if name not in sys.modules:
                stand_ins.setdefault(name, types.ModuleType(name, "stand-in while copier loads"))
        for attribute in names:
            value = _Choice if attribute == "Choice" else _forwarding(module, attribute)
            setattr(stand_ins[module], attribute, value)
    sys.modules.update(stand_ins)
    try:
        return importlib.import_module("copier")
    except ImportError:
        _remove(stand_ins)
        return importlib.import_module("copier")
    finally:
        _remove(stand_ins)


def _remove(stand_ins: dict[str, types.ModuleType]) -> None:
    for name, stand_in in stand_ins.items():
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]


@contextmanager
def file_mode_asked_once() -> Iterator[None]:
    """Ask git for ``core.fileMode`` once per destination instead of once per file.

    copier (9.19) runs ``git config --get core.fileMode`` in the destination for every file it
    writes (Worker._sync_git_index_executable_bit), to restage executable bits where git ignores
    them: 50-60 git processes for one project. The setting does not change while copier
    renders, so the answer is cached; only where it is ``false`` does copier's own method run.
    """
    from copier._main import Worker

    original = getattr(Worker, "_sync_git_index_executable_bit", None)
    if original is None:  # another copier: nothing to cache (the test names the change)
        yield
        return
    answers: dict[Path, str] = {}

    def sync(worker: Any, dst_relpath: Path, src_mode: int) -> None:
        root = Path(worker.subproject.local_abspath)
        if root not in answers:
            answers[root] = _file_mode_setting(root)
        if answers[root] == "false":
            original(worker, dst_relpath, src_mode)

    setattr(Worker, "_sync_git_index_executable_bit", sync)  # noqa: B010 (for this run only)
    try:
        yield
    finally:
        setattr(Worker, "_sync_git_index_executable_bit", original)  # noqa: B010


@contextmanager
def bundle_verified_once() -> Iterator[None]:
    """Verify a bundle file once per command instead of each time copier looks at its source.

    copier (9.19) tells a bundle by ``git init`` in a temporary directory then ``git bundle
    verify`` (copier._vcs.is_git_bundle), for every Worker: four times in one `scaffold new`.
    The answer holds while the file does not change, so it is kept by the file's state.
    """
    from copier import _vcs

    original = getattr(_vcs, "is_git_bundle", None)
    if original is None:  # another copier: nothing to cache (the test names the change)
        yield
        return
    answers: dict[tuple[str, int, int, int], bool] = {}

    def is_git_bundle(path: Path) -> bool:
        try:
            stat = Path(path).stat()
        except OSError:
            return bool(original(path))
        key = (str(Path(path).resolve()), stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if key not in answers:
            answers[key] = bool(original(path))
        return answers[key]

    setattr(_vcs, "is_git_bundle", is_git_bundle)  # noqa: B010 (for this run only)
    try:
        yield
    finally:
        setattr(_vcs, "is_git_bundle", original)  # noqa: B010


def _file_mode_setting(root: Path) -> str:
    """git's ``core.fileMode`` where copier would ask it: "true", "false" or "" when unset."""
    try:
        found = subprocess.run(
            ["git", "config", "--type=bool", "--get", "core.fileMode"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # no git, or the destination is gone: copier would do nothing either
        return ""
    return found.stdout.strip() if found.returncode == 0 else ""


@contextmanager
def template_worker(url: str, dest: Path, vcs_ref: str | None) -> Iterator[Any]:
    """copier's Worker for a copy of the template into dest, asking nothing, writing nothing."""
    load_copier()
    from copier._main import Worker

    with Worker(src_path=url, dst_path=dest, vcs_ref=vcs_ref, defaults=True, quiet=True) as worker:
        yield worker


def question_specs(worker: Any) -> dict[str, dict[str, Any]]:
    """The template's questions as copier loaded them, in the order it asks them."""
    specs: dict[str, dict[str, Any]] = worker.template.questions_data
    return specs


class CopierQuestion:
    """One question rendered by copier over the answers given so far."""

    def __init__(
        self,
        worker: Any,
        name: str,
        spec: dict[str, Any],
        answers: dict[str, Any],
        user_defaults: dict[str, Any],
    ) -> None:
        load_copier()
        from copier._user_data import AnswersMap, Question

        worker.answers = AnswersMap(
            user=dict(answers),
            user_defaults=dict(user_defaults),
            metadata=worker.template.metadata,
            external=worker._external_data(),
        )
        self._question = Question(
            answers=worker.answers,
            context=worker._render_context(),
            jinja_env=worker.jinja_env,
            settings=worker.settings,
            var_name=name,
            **{key: value for key, value in spec.items() if key in QUESTION_FIELDS},
        )

    @property
    def help(self) -> str:
        return str(self._question.help)

    @property
    def type_name(self) -> str:
        return str(self._question.get_type_name())

    def when(self) -> bool:
        return bool(self._question.get_when())

    def default(self) -> Any:
        """The rendered default; one its own validator refuses is offered all the same."""
        question = self._question
        try:
            return question.get_default()
        except ValueError:
            return question.parse_answer(question.render_value(question.default))

    def cast(self, value: Any) -> Any:
        return self._question.cast_answer(value)

    def validate(self, value: Any) -> None:
        """Raise copier's ValueError ("Validation error for question ...") when refused."""
        question = self._question
        question.validate_answer(question.parse_answer(value))


def template_config(config: Path) -> dict[str, Any]:
    """copier.yml as copier reads it (its !include documents merged in order)."""
    load_copier()
    from copier._template import load_template_config

    loaded: dict[str, Any] = load_template_config(config)
    return loaded
