"""Features say what they add, as data; `create_app` installs them, in order, into one
registry per app.

A feature is a `Feature` value (see gwanak/features.py for the list). Nothing is added
to the app when a module is imported: a module only *defines* values (a blueprint, a
setting, a board); the manifest names them and `install_features` puts them in the
registry of the app being built. Lookups (`get_setting`, `subject_of`, `board`, the
staff links, …) read `registry()`, so a fresh server and the test process see exactly
the same thing.

Core knows the shapes it stores, not the features: subjects and boards are the
participation engine's types and are stored by name (`.name` / `.slug`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, current_app

if TYPE_CHECKING:
    import click

    from gwanak.core.jobs import Job
    from gwanak.core.outward import Dataset, Feed, SearchProvider, SitemapSource, Widget
    from gwanak.core.settings import SettingSpec
    from gwanak.core.uploads import Upload

EXTENSION_KEY = "gwanak"


@dataclass(frozen=True)
class StaffLink:
    """A link on the back office's front page, shown to users for whom `visible` is true."""

    label: str
    endpoint: str
    visible: Callable[[Any], bool] = lambda user: True


@dataclass(frozen=True)
class LiveFigure:
    """A figure the portal measures itself (e.g. agendas posted in a year), fed to pledges."""

    key: str
    label: str
    count: Callable[[int], int]
    # What it counts, as a noun phrase for the pledge page ("심사 결과를 발표한 공모전"):
    # a live figure takes only what staff have confirmed.
    basis: str = ""


@dataclass(frozen=True)
class UploadRule:
    """Who may fetch a stored file from the public /uploads route.

    `public(upload)` answers True (serve it), False (hide it) or None (not this
    feature's file). A file no rule claims is never served: private by default.
    """

    name: str
    public: Callable[[Upload], bool | None]


# A home-page section: returns (template, context), or None when it has nothing to show.
HomeSection = Callable[[], "tuple[str, dict] | None"]
# A demo seeder: idempotent; yields lines to print.
DemoSeeder = Callable[[], "Iterable[str] | None"]


@dataclass(frozen=True)
class Feature:
    """Everything one feature contributes to the app. All fields are optional."""

    name: str
    blueprints: tuple[Blueprint, ...] = ()
    settings: tuple[SettingSpec, ...] = ()
    # participation.subjects.SubjectType values (by .name)
    subjects: tuple[Any, ...] = ()
    # participation.boards.BoardSpec values (by .slug); each brings its own settings
    boards: tuple[Any, ...] = ()
    staff_links: tuple[StaffLink, ...] = ()
    home_sections: tuple[HomeSection, ...] = ()
    live_figures: tuple[LiveFigure, ...] = ()
    upload_rules: tuple[UploadRule, ...] = ()
    # Labels of the proposal timeline's event kinds this feature writes.
    timeline_labels: Mapping[str, str] = field(default_factory=dict)
    commands: tuple[click.Command, ...] = ()
    demo: tuple[DemoSeeder, ...] = ()
    # Periodic jobs, run by `flask gwanak daily` (gwanak/core/jobs.py).
    jobs: tuple[Job, ...] = ()
    # What other sites take from the portal (gwanak/core/outward.py): embeddable
    # widgets, Atom feeds, open datasets, sitemap entries, a 통합 검색 provider.
    widgets: tuple[Widget, ...] = ()
    feeds: tuple[Feed, ...] = ()
    datasets: tuple[Dataset, ...] = ()
    sitemap: tuple[SitemapSource, ...] = ()
    search: tuple[SearchProvider, ...] = ()
    # Anything else the app needs from this feature (template globals, hooks).
    init_app: Callable[[Flask], None] | None = None


class RegistryError(RuntimeError):
    """The features do not fit together (a name twice, or a name nobody provides)."""


@dataclass
class Registry:
    features: list[Feature] = field(default_factory=list)
    settings: dict[str, SettingSpec] = field(default_factory=dict)
    subjects: dict[str, Any] = field(default_factory=dict)
    boards: dict[str, Any] = field(default_factory=dict)
    staff_links: list[StaffLink] = field(default_factory=list)
    home_sections: list[HomeSection] = field(default_factory=list)
    live_figures: dict[str, LiveFigure] = field(default_factory=dict)
    upload_rules: list[UploadRule] = field(default_factory=list)
    timeline_labels: dict[str, str] = field(default_factory=dict)
    commands: list[click.Command] = field(default_factory=list)
    demo: list[tuple[str, DemoSeeder]] = field(default_factory=list)
    jobs: dict[str, Job] = field(default_factory=dict)
    widgets: dict[str, Widget] = field(default_factory=dict)
    feeds: dict[str, Feed] = field(default_factory=dict)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    sitemap: list[SitemapSource] = field(default_factory=list)
    search: dict[str, SearchProvider] = field(default_factory=dict)

    def add(self, feature: Feature) -> None:
        if any(f.name == feature.name for f in self.features):
            raise RegistryError(f"feature {feature.name!r} installed twice")
        self.features.append(feature)
        for spec in feature.settings:
            self._put(self.settings, spec.key, spec, "setting", feature)
        for subject in feature.subjects:
            self._put(self.subjects, subject.name, subject, "subject kind", feature)
        for board in feature.boards:
            self._put(self.boards, board.slug, board, "board", feature)
            for spec in board.settings:
                self._put(self.settings, spec.key, spec, "setting", feature)
        keyed = (
            (self.live_figures, feature.live_figures, "key", "live figure"),
            (self.widgets, feature.widgets, "slug", "widget"),
            (self.feeds, feature.feeds, "slug", "feed"),
            (self.datasets, feature.datasets, "slug", "dataset"),
            (self.search, feature.search, "key", "search provider"),
            (self.jobs, feature.jobs, "key", "job"),
        )
        for table, values, key, what in keyed:
            for value in values:
                self._put(table, getattr(value, key), value, what, feature)
        for event, label in feature.timeline_labels.items():
            self._put(self.timeline_labels, event, label, "timeline event", feature)
        self.sitemap.extend(feature.sitemap)
        self.staff_links.extend(feature.staff_links)
        self.home_sections.extend(feature.home_sections)
        self.upload_rules.extend(feature.upload_rules)
        self.commands.extend(feature.commands)
        self.demo.extend((feature.name, seeder) for seeder in feature.demo)

    @staticmethod
    def _put(table: dict, key: str, value: Any, what: str, feature: Feature) -> None:
        if str(key) in table:
            raise RegistryError(f"{what} {key!r} of feature {feature.name!r} is already taken")
        table[str(key)] = value

    def require(self, what: str, table: Mapping[str, Any], names: Iterable[str]) -> None:
        """Refuse to start when the data model names a kind that no feature provides."""
        missing = sorted(set(names) - set(table))
        if missing:
            raise RegistryError(f"no feature provides the {what}: {', '.join(missing)}")


def install_features(app: Flask, features: Iterable[Feature]) -> Registry:
    """Install each feature in the order given; the registry is the app's own."""
    registry = Registry()
    for feature in features:
        registry.add(feature)
    app.extensions[EXTENSION_KEY] = registry
    for feature in registry.features:
        for blueprint in feature.blueprints:
            app.register_blueprint(blueprint)
        if feature.init_app is not None:
            feature.init_app(app)
    return registry


def registry() -> Registry:
    """The current app's registry."""
    return current_app.extensions[EXTENSION_KEY]
