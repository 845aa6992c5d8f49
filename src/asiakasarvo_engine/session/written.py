"""The written analysis the advisor finishes after the meeting, as edits in the session log.

Every edit is an ``analysis_edited`` event that sets one field of the written analysis at a
path (``null`` takes the field back to what the engine generates)::

    /summary/overall                       the overall assessment, a paragraph
    /summary/findings | /summary/proposals three main findings, three proposals for the board (1-3 each)
    /summary/strengths | weaknesses | opportunities | threats   the SWOT, lists of texts
    /summary/level, /summary/level_reason  the advisor's own overall level (1-5) and why
    /chosen                                the recommendations that go to the client, in order (<= 10)
    /recommendations/{id}/title | text | first_step | owner | horizon
    /plan/{version}/{id}/goal | responsible_person | deadline | quarter
    /plan/{version}/{id}/metrics/{metric}/target

Plan versions are ``v0`` (at the analysis) and ``m1`` .. ``m5`` (after each training module's
own plan); a version shows every earlier version's edits it does not change itself. Ids of
recommendations and metrics are checked against the rule set's catalogue, not against what
fired, so an edit survives re-scoring; :meth:`WrittenAnalysis.stale` names the edits whose
recommendation no longer fires.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from asiakasarvo_engine.rules.models import Horizon, OwnerRole

PLAN_VERSIONS = ("v0", "m1", "m2", "m3", "m4", "m5")
SUMMARY_TEXTS = ("overall", "level_reason")
SUMMARY_LISTS = ("findings", "proposals", "strengths", "weaknesses", "opportunities", "threats")
RECOMMENDATION_TEXTS = ("title", "text", "first_step")
PLAN_TEXTS = ("goal", "responsible_person")
MAX_TEXT = 5000
MAX_LIST = 10
MAX_MAIN = 3
"""The memo's main findings and proposals to the board: three at most (issue 16: "three main
findings, three proposals"); the SWOT lists may hold up to ``MAX_LIST``."""
MAX_LINE = 1000
MAX_PATH = 300
MAX_CHOSEN = 10
"""The client version's body holds at most this many recommendations; the rest go to its appendix."""

_ID = r"[a-z][a-z0-9_]*"
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PATTERNS = (
    ("summary", re.compile(rf"^/summary/(?P<field>{_ID})$")),
    ("chosen", re.compile(r"^/chosen$")),
    ("recommendation", re.compile(rf"^/recommendations/(?P<rec>{_ID})/(?P<field>{_ID})$")),
    ("plan_metric",
     re.compile(rf"^/plan/(?P<version>{_ID})/(?P<rec>{_ID})/metrics/(?P<metric>{_ID})/target$")),
    ("plan", re.compile(rf"^/plan/(?P<version>{_ID})/(?P<rec>{_ID})/(?P<field>{_ID})$")),
)
PATH_FORMS = ("/summary/<field>", "/chosen", "/recommendations/<id>/<field>",
              "/plan/<version>/<id>/<field>", "/plan/<version>/<id>/metrics/<metric>/target")


class EditProblem(NamedTuple):
    """Why an edit is refused: the field at fault (``path`` or ``value``), in English and Finnish."""

    field: str
    found: str
    expected: str
    found_fi: str
    expected_fi: str


@dataclass(frozen=True)
class Catalogue:
    """What edits may name: the rule set's recommendation and metric ids and its top level."""

    recommendations: frozenset[str]
    metrics: frozenset[str]
    top_level: int = 5


def _path_problem(path: str, expected: str, expected_fi: str) -> EditProblem:
    shown = path if len(path) <= 80 else path[:77] + "..."
    return EditProblem("path", f"path {shown!r}", expected, f"polku {shown!r}", expected_fi)


def _value_problem(value: Any, expected: str, expected_fi: str) -> EditProblem:
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return EditProblem("value", shown, expected, shown, expected_fi)


def _text(value: Any, limit: int) -> EditProblem | None:
    if isinstance(value, str) and value.strip() and len(value) <= limit:
        return None
    return _value_problem(value, f"a text of 1 to {limit} characters, or null",
                          f"1–{limit} merkin teksti tai null")


def _texts(value: Any, most: int = MAX_LIST) -> EditProblem | None:
    if (isinstance(value, list) and 1 <= len(value) <= most
            and all(isinstance(v, str) and v.strip() and len(v) <= MAX_LINE for v in value)):
        return None
    return _value_problem(value, f"a list of 1 to {most} texts of at most {MAX_LINE} characters, or null",
                          f"1–{most} tekstin lista (kukin enintään {MAX_LINE} merkkiä) tai null")


def _choice(value: Any, choices: Sequence[str]) -> EditProblem | None:
    if isinstance(value, str) and value in choices:
        return None
    return _value_problem(value, "one of " + ", ".join(choices) + ", or null",
                          "yksi näistä: " + ", ".join(choices) + " tai null")


def _date(value: Any) -> EditProblem | None:
    if isinstance(value, str) and _DATE.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return None
    return _value_problem(value, "a date YYYY-MM-DD, or null", "päivämäärä VVVV-KK-PP tai null")


def _quarter(value: Any) -> EditProblem | None:
    if isinstance(value, str) and _QUARTER.match(value):
        return None
    return _value_problem(value, "a quarter YYYY-Qn (n 1-4), e.g. 2027-Q1, or null",
                          "vuosineljännes VVVV-Qn (n 1–4), esim. 2027-Q1, tai null")


def _number(value: Any) -> EditProblem | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            if math.isfinite(value):
                return None
        except OverflowError:  # an int beyond the float range
            pass
    return _value_problem(value, "a finite number, or null", "äärellinen luku tai null")


def _level(value: Any, top: int) -> EditProblem | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= top:
        return None
    return _value_problem(value, f"a whole number from 1 to {top}, or null", f"kokonaisluku 1–{top} tai null")


def _chosen(value: Any, known: frozenset[str]) -> EditProblem | None:
    if (not isinstance(value, list) or not all(isinstance(v, str) for v in value)
            or len(set(value)) != len(value) or len(value) > MAX_CHOSEN):
        return _value_problem(value, f"a list of at most {MAX_CHOSEN} distinct recommendation ids, or null",
                              f"enintään {MAX_CHOSEN} eri suosituksen tunnisteen lista tai null")
    unknown = [v for v in value if v not in known]
    if unknown:
        return _value_problem(unknown[0], "a recommendation id of the rule set",
                              "sääntöjoukon suosituksen tunniste")
    return None


def _unknown_id(kind: str, kind_fi: str, found: str, path: str) -> EditProblem:
    return _path_problem(path, f"a {kind} id of the rule set (not {found!r})",
                         f"sääntöjoukon {kind_fi} tunniste (ei {found!r})")


Check = Callable[[Any], "EditProblem | None"]


def _checker(kind: str, name: str, catalogue: Catalogue) -> Check | None:
    """The check of a field's value, or None when the path names no such field."""
    checks: dict[str, Check]
    if kind == "summary":
        checks = {**dict.fromkeys(SUMMARY_TEXTS, lambda v: _text(v, MAX_TEXT)),
                  **dict.fromkeys(SUMMARY_LISTS, _texts),
                  **dict.fromkeys(("findings", "proposals"), lambda v: _texts(v, MAX_MAIN)),
                  "level": lambda v: _level(v, catalogue.top_level)}
    elif kind == "recommendation":
        checks = {**dict.fromkeys(RECOMMENDATION_TEXTS, lambda v: _text(v, MAX_TEXT)),
                  "owner": lambda v: _choice(v, [role.value for role in OwnerRole]),
                  "horizon": lambda v: _choice(v, [h.value for h in Horizon])}
    elif kind == "plan":
        checks = {"goal": lambda v: _text(v, MAX_TEXT), "responsible_person": lambda v: _text(v, 200),
                  "deadline": _date, "quarter": _quarter}
    elif kind == "chosen":
        return lambda v: _chosen(v, catalogue.recommendations)
    else:
        return _number
    return checks.get(name)


_FIELDS = {
    "summary": ", ".join((*SUMMARY_TEXTS, *SUMMARY_LISTS, "level")),
    "recommendation": ", ".join((*RECOMMENDATION_TEXTS, "owner", "horizon")),
    "plan": "goal, responsible_person, deadline, quarter, metrics/<metric>/target",
}
_FIELDS_FI = {"summary": "yhteenvedon", "recommendation": "suosituksen", "plan": "suunnitelman"}


def check_edit(path: str, value: Any, catalogue: Catalogue) -> EditProblem | None:
    """Why the edit of ``path`` to ``value`` is refused, or None when it is fine
    (``value`` None, taking the field back to the generated one, is fine at any known path)."""
    if not isinstance(path, str) or len(path) > MAX_PATH:
        return _path_problem(str(path)[:MAX_PATH], f"a path of at most {MAX_PATH} characters",
                             f"enintään {MAX_PATH} merkin polku")
    for kind, pattern in _PATTERNS:
        match = pattern.match(path)
        if match is None:
            continue
        parts = match.groupdict()
        if "rec" in parts and parts["rec"] not in catalogue.recommendations:
            return _unknown_id("recommendation", "suosituksen", parts["rec"], path)
        if "version" in parts and parts["version"] not in PLAN_VERSIONS:
            versions = ", ".join(PLAN_VERSIONS)
            return _path_problem(path, f"a plan version: {versions}", f"suunnitelman versio: {versions}")
        if "metric" in parts and parts["metric"] not in catalogue.metrics:
            return _unknown_id("metric", "mittarin", parts["metric"], path)
        check = _checker(kind, parts.get("field", ""), catalogue)
        if check is None:
            return _path_problem(path, f"a {kind} field: {_FIELDS[kind]}",
                                 f"{_FIELDS_FI[kind]} kenttä: {_FIELDS[kind]}")
        return None if value is None else check(value)
    forms = ", ".join(PATH_FORMS)
    return _path_problem(path, f"a path of the written analysis: {forms}",
                         f"kirjallisen analyysin polku: {forms}")


# ---------------------------------------------------------------------------- the fold


@dataclass(frozen=True)
class Edit:
    """One field's edit in force: its value, and the event that set it."""

    path: str
    value: Any
    seq: int
    author: str
    time: str


@dataclass(frozen=True)
class PlanEdits:
    """The advisor's fields of one plan entry (None: the generated one stands)."""

    goal: str | None = None
    responsible_person: str | None = None
    deadline: str | None = None
    quarter: str | None = None
    metric_targets: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class WrittenAnalysis:
    """The edits in force, by path; read through the helpers below."""

    edits: Mapping[str, Edit] = field(default_factory=dict)

    def value(self, path: str) -> Any:
        """The edited value at ``path``, or None."""
        edit = self.edits.get(path)
        return None if edit is None else edit.value

    def summary(self, name: str) -> Any:
        """A summary field (``overall``, ``findings``, ``level``, ...), or None."""
        return self.value(f"/summary/{name}")

    @property
    def chosen(self) -> list[str] | None:
        """The recommendations for the client, in order (None: the engine's choice)."""
        value = self.value("/chosen")
        return None if value is None else list(value)

    def recommendation(self, rec: str, name: str) -> Any:
        """An edited field of recommendation ``rec``, or None."""
        return self.value(f"/recommendations/{rec}/{name}")

    @property
    def plan_versions(self) -> list[str]:
        """The plan versions that have edits, in order."""
        used = {path.split("/")[2] for path in self.edits if path.startswith("/plan/")}
        return [v for v in PLAN_VERSIONS if v in used]

    def plan(self, rec: str, version: str | None = None) -> PlanEdits:
        """Recommendation ``rec``'s plan entry at ``version`` (default: the latest edited),
        each field from the latest version up to it that sets it."""
        versions = list(PLAN_VERSIONS)
        last = version or (self.plan_versions or ["v0"])[-1]
        chain = versions[:versions.index(last) + 1]
        fields: dict[str, Any] = {}
        targets: dict[str, float] = {}
        for ver in chain:
            prefix = f"/plan/{ver}/{rec}/"
            for path, edit in self.edits.items():
                if not path.startswith(prefix):
                    continue
                rest = path[len(prefix):]
                if rest.startswith("metrics/"):
                    targets[rest.split("/")[1]] = float(edit.value)
                else:
                    fields[rest] = edit.value
        return PlanEdits(metric_targets=targets, **fields)

    def stale(self, fired: Iterable[str]) -> list[Edit]:
        """The edits naming a recommendation that did not fire (after re-scoring with other
        rules, say), in path order; ``/chosen`` counts when any id in it did not fire."""
        ids = set(fired)
        return [self.edits[path] for path in sorted(self.edits)
                if (named := named_recommendations(path, self.edits[path].value)) and not named <= ids]


def named_recommendations(path: str, value: Any) -> set[str]:
    """The recommendation ids an edit at ``path`` to ``value`` names."""
    parts = path.split("/")
    if path == "/chosen":
        return set(value)
    if parts[1] == "recommendations":
        return {parts[2]}
    if parts[1] == "plan":
        return {parts[3]}
    return set()


def fold_edits(edits: Iterable[Edit]) -> WrittenAnalysis:
    """The written analysis of edits in log order (a null value takes the field back)."""
    current: dict[str, Edit] = {}
    for edit in edits:
        if edit.value is None:
            current.pop(edit.path, None)
        else:
            current[edit.path] = edit
    return WrittenAnalysis(current)
