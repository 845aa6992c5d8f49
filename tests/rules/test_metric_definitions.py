"""The plan's metrics carry a definition, formula, data source and follow-up frequency.

Every shipped metric has them in Finnish and English; a suggested target is given only where
a guide value exists (the "good" band of the financial ratio of the same name); otherwise the
company sets the target from its own baseline, as the report's plan says. The new fields
are optional, so a rule file without them still loads; an unknown frequency is refused at
the value, naming the field.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_bad_rules import _position

from asiakasarvo_engine._resources import default_rules_path
from asiakasarvo_engine.bank.load import LoadedBank, load_bank
from asiakasarvo_engine.codes import Severity
from asiakasarvo_engine.rules.load import LoadedRules, check_rules, load_rules
from asiakasarvo_engine.rules.models import Frequency, Metric, RecommendationRules

SHIPPED = default_rules_path()
LANGUAGES = ("fi", "en")


@pytest.fixture(scope="module")
def bank() -> LoadedBank:
    return load_bank()


@pytest.fixture(scope="module")
def shipped(bank: LoadedBank) -> LoadedRules:
    return load_rules(None, bank)


def _recommendations(loaded: LoadedRules) -> RecommendationRules:
    assert loaded.rules.recommendations is not None
    return loaded.rules.recommendations


def _metrics(loaded: LoadedRules) -> dict[str, Metric]:
    return _recommendations(loaded).metrics


def test_every_shipped_metric_has_definition_formula_source_and_frequency(shipped: LoadedRules) -> None:
    missing = []
    for metric_id, metric in _metrics(shipped).items():
        for field in ("definition", "formula", "source"):
            text = getattr(metric, field)
            for lang in LANGUAGES:
                if text is None or not text.get(lang, "").strip():
                    missing.append(f"{metric_id}.{field}.{lang}")
        if metric.frequency is None:
            missing.append(f"{metric_id}.frequency")
    assert missing == []


def test_every_metric_named_by_a_recommendation_is_described(shipped: LoadedRules) -> None:
    recs = _recommendations(shipped)
    named = {metric_id for item in recs.items for metric_id in item.metrics}
    assert named <= set(recs.metrics)
    assert all(recs.metrics[m].definition is not None for m in named)


def test_a_suggested_target_is_the_good_band_limit_of_the_same_ratio(shipped: LoadedRules) -> None:
    indicators = shipped.rules.indicators
    assert indicators is not None
    targets = {metric_id: metric.suggested_target for metric_id, metric in _metrics(shipped).items()
               if metric.suggested_target is not None}
    assert targets, "no metric has a suggested target"
    for metric_id, target in targets.items():
        ratio = indicators.ratios.get(metric_id)
        assert ratio is not None, f"{metric_id}: a suggested target needs a sourced guide value"
        [good] = [band for band in ratio.bands if band.id == "good"]
        limit = good.min if _metrics(shipped)[metric_id].higher_is_better else good.max
        assert target == limit, metric_id


def test_the_frequencies_are_the_four_agreed_values() -> None:
    assert [f.value for f in Frequency] == ["monthly", "quarterly", "half_yearly", "yearly"]


def _copy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unknown_frequency_is_refused_at_the_value(bank: LoadedBank, tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    marker = "      frequency: half_yearly\n"
    start = text.index("\n  metrics:\n")
    at = text.index(marker, start)
    path = _copy(tmp_path, text[:at] + "      frequency: weekly\n" + text[at + len(marker):])
    loaded, diagnostics = check_rules(path, bank)
    assert loaded is None
    [found] = [d for d in diagnostics if d.code == "SCH-005"]
    assert found.severity is Severity.ERROR
    assert found.pointer == "/recommendations/metrics/nps/frequency"
    assert found.span is not None
    assert (found.span.line, found.span.column) == _position(path, "weekly\n")
    assert "weekly" in str(found.found)
    assert "half_yearly" in str(found.expected)


_NEW_FIELD = re.compile(
    r"^      (?:definition|formula|source): \{fi: .*\n(?:^ +en: .*\}\n)?"
    r"|^      (?:frequency|suggested_target): .*\n",
    re.MULTILINE)


def test_metrics_without_the_new_fields_still_load(bank: LoadedBank, tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    start = text.index("\n  metrics:\n") + 1
    end = re.compile(r"^  \S", re.MULTILINE).search(text, start + len("  metrics:\n"))
    assert end is not None
    block = _NEW_FIELD.sub("", text[start:end.start()])
    assert not re.search(r"definition|formula|source|frequency|suggested_target", block)
    path = _copy(tmp_path, text[:start] + block + text[end.start():])
    loaded, diagnostics = check_rules(path, bank)
    assert loaded is not None, [str(d) for d in diagnostics]
    assert diagnostics == ()
    metrics = _metrics(loaded)
    assert set(metrics) == set(_metrics(load_rules(None, bank)))
    for metric in metrics.values():
        assert (metric.definition, metric.formula, metric.source, metric.frequency,
                metric.suggested_target) == (None, None, None, None, None)
    assert metrics["nps"].baseline == "superior_customer_value.nps_value"


def test_a_bare_metric_model_has_no_description() -> None:
    metric = Metric(title={"fi": "Mittari", "en": "Metric"})
    assert metric.definition is None and metric.frequency is None and metric.suggested_target is None
    parsed = Metric.model_validate({"title": {"fi": "x"}, "frequency": "quarterly"})
    assert parsed.frequency is Frequency.QUARTERLY
