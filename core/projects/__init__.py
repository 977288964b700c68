"""The project registry: one module per course project, one line here each."""
from __future__ import annotations

from core.projects import anomaly, artists, cifar10, cvae, digits
from core.projects.base import Project

PROJECTS: dict[str, Project] = {
    digits.PROJECT.id: digits.PROJECT,
    cifar10.PROJECT.id: cifar10.PROJECT,
    artists.PROJECT.id: artists.PROJECT,
    cvae.PROJECT.id: cvae.PROJECT,
    anomaly.PROJECT.id: anomaly.PROJECT,
}


def register(project: Project) -> None:
    """Add a project from outside this package (a plugin, a test); refuses an id taken."""
    if project.id in PROJECTS and PROJECTS[project.id] is not project:
        raise ValueError(f"a project called {project.id!r} exists already")
    PROJECTS[project.id] = project


def get_project(project_id: str) -> Project:
    """The project with this id; a core.i18n.TranslatableError listing the valid ids otherwise."""
    from core.i18n import TranslatableError

    try:
        return PROJECTS[project_id]
    except KeyError:
        raise TranslatableError("project_error_unknown", project=repr(project_id), valid=", ".join(PROJECTS)) from None


def headline_result(run) -> tuple[str, float | None]:
    """A run's (core.runs.store.RunSummary) headline test metric and its value (None until
    it has one): accuracy for a classifier, the loss of a generative model."""
    project = PROJECTS.get(run.project)
    name = project.headline[0] if project else "test_accuracy"
    return name, (run.status.get("results") or {}).get(name)


def _load_plugins() -> None:
    from core import plugins

    plugins.load()


# Last, so a plugin finds PROJECTS and register() defined.
_load_plugins()
