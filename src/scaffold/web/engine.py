"""The picker's work over the library API: resolve answers, preview, read a file, build a zip.

One template worker (copier's, for the questions) is kept open for the server's life; every
render goes through scaffold.preview and scaffold.generate, as `scaffold new` does. Renders
are serialised: copier's temporary directory is process-wide. Everything written goes under
one temporary directory, removed when the picker closes.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections import OrderedDict
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from scaffold.catalog import Catalog, load_catalog
from scaffold.clones import one_clone_per_version
from scaffold.copier_api import copier_errors
from scaffold.copier_private import question_specs, template_worker
from scaffold.presets import Preset, load_presets
from scaffold.preview import Preview
from scaffold.questionnaire import Questionnaire
from scaffold.snapshot import renderable
from scaffold.source import TemplateSource, template_source
from scaffold.web.archive import zipped
from scaffold.web.picker import Choice, Resolved, parse_choice, resolve, starting_answers

KEPT_PREVIEWS = 4  # renders kept for file clicks; each is one project's files


class Picker:
    def __init__(self, source: TemplateSource | None = None) -> None:
        self.source = source or template_source()
        self.catalog: Catalog = load_catalog(self.source.root)
        self.presets: dict[str, Preset] = load_presets(self.source.root)
        self.has_git = shutil.which("git") is not None
        self._lock = threading.Lock()
        self._stack = ExitStack()
        self._previews: OrderedDict[str, tuple[Preview, ExitStack]] = OrderedDict()
        self._worker: Any = None
        self.workdir = Path(tempfile.mkdtemp(prefix="scaffold-web-"))

    def open(self) -> None:
        """Load the template's questions once (a clone of the template: most of a second).

        For the server's life, every render shares one clone of each template version and
        each compiled Jinja source, as one `scaffold new` or `update` does (copier_errors
        enters scaffold.jinja_cache's; scaffold.clones): a preview then costs the render itself.
        """
        self._stack.enter_context(copier_errors())
        rendered = self._stack.enter_context(renderable(self.source))
        self._stack.enter_context(one_clone_per_version())
        where = self.workdir / "questions"
        self._worker = self._stack.enter_context(
            template_worker(rendered.url, where, rendered.vcs_ref)
        )
        # copier clones the template on first use: now, into the directory kept open above.
        question_specs(self._worker)

    def close(self) -> None:
        with self._lock:
            for _, stack in self._previews.values():
                stack.close()
            self._previews.clear()
            self._stack.close()
            shutil.rmtree(self.workdir, ignore_errors=True)

    def choice(self, body: Any) -> Choice:
        return parse_choice(body, self.catalog)

    def resolve(self, choice: Choice) -> Resolved:
        with self._lock:
            if self._worker is None:
                self.open()
            return self._resolve(choice)

    def _resolve(self, choice: Choice) -> Resolved:
        with copier_errors():
            questions = Questionnaire(self._worker, starting_answers(self.catalog, choice.dest))
            return resolve(questions, self.catalog, choice)

    def preview(self, choice: Choice) -> Preview:
        """The project for these answers, rendered as `scaffold new --preview` renders it."""
        key = repr((choice.framework, choice.dest, sorted(choice.answers.items())))
        with self._lock:
            if key in self._previews:
                self._previews.move_to_end(key)
                return self._previews[key][0]
            from scaffold.generate import request
            from scaffold.preview import previewed

            req = request(self._dest(choice), **self._options(choice))
            stack = ExitStack()
            preview = stack.enter_context(previewed(req))
            self._previews[key] = (preview, stack)
            while len(self._previews) > KEPT_PREVIEWS:
                _, (_, oldest) = self._previews.popitem(last=False)
                oldest.close()
            return preview

    def archive(self, choice: Choice) -> bytes:
        """The project as `scaffold new` makes it (fresh secret, first commit when git is
        here), zipped under its folder's name."""
        from scaffold.generate import new_project

        with self._lock:
            work = Path(tempfile.mkdtemp(dir=self.workdir))
            try:
                dest = work / choice.dest
                new_project(dest, git=self.has_git, lock=True, **self._options(choice))
                return zipped(dest)
            finally:
                shutil.rmtree(work, ignore_errors=True)

    def _dest(self, choice: Choice) -> Path:
        return self.workdir / "previews" / choice.dest

    def _options(self, choice: Choice) -> dict[str, Any]:
        return {
            "framework": choice.framework,
            "answers": choice.answers,
            "defaults": True,
            "source": self.source,
        }
