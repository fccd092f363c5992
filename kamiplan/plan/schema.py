"""Arrow schemas of the plan tables under ``data/``.

Text columns are never null: an absent text is "" (e.g. no unit, no tag). Numbers and years that the
document does not give are null.
"""

from __future__ import annotations

import pyarrow as pa

PLAN = pa.schema(
    [
        ("title", pa.string()),
        ("strategy_title", pa.string()),
        ("vision", pa.string()),
        ("vision_statement", pa.string()),
        ("period_text", pa.string()),
        ("start_year", pa.int64()),
        ("end_year", pa.int64()),
        ("progress_management", pa.string()),
        ("outcomes_intro", pa.string()),
        ("survey_note", pa.string()),
        ("source_file", pa.string()),
        ("source_sha256", pa.string()),
    ]
)

PILLARS = pa.schema(
    [
        ("pillar", pa.int64()),
        ("name", pa.string()),
        ("short_name", pa.string()),
        ("fields", pa.string()),
        ("outline_name", pa.string()),
        ("summary", pa.string()),
        ("source_line", pa.int64()),
    ]
)

POLICIES = pa.schema(
    [
        ("pillar", pa.int64()),
        ("policy", pa.int64()),
        ("name", pa.string()),
        ("issues", pa.string()),
        ("approach", pa.string()),
        ("source_line", pa.int64()),
    ]
)

MEASURES = pa.schema(
    [
        ("pillar", pa.int64()),
        ("policy", pa.int64()),
        ("measure", pa.int64()),
        ("name", pa.string()),
        ("outline_name", pa.string()),
    ]
)

INDICATORS = pa.schema(
    [
        ("indicator_id", pa.string()),
        ("series_id", pa.string()),
        ("seq", pa.int64()),
        ("pillar", pa.int64()),
        ("policy", pa.int64()),
        ("section", pa.string()),
        ("section_label", pa.string()),
        ("name", pa.string()),
        ("subgroup", pa.string()),
        ("label", pa.string()),
        ("unit", pa.string()),
        ("baseline_value", pa.float64()),
        ("baseline_label", pa.string()),
        ("baseline_year", pa.int64()),
        ("baseline_period", pa.string()),
        ("baseline_as_of", pa.string()),
        ("baseline_span_years", pa.int64()),
        ("target_value", pa.float64()),
        ("target_label", pa.string()),
        ("target_year", pa.int64()),
        ("target_period", pa.string()),
        ("target_as_of", pa.string()),
        ("target_span_years", pa.int64()),
        ("kind", pa.string()),
        ("direction", pa.string()),
        ("year_basis", pa.string()),
        ("survey", pa.bool_()),
        ("value_min", pa.float64()),
        ("value_max", pa.float64()),
        ("related_pillar", pa.int64()),
        ("related_policy", pa.int64()),
        ("footnote", pa.string()),
        ("memo", pa.string()),
        ("source_line", pa.int64()),
    ]
)

ACTIONS = pa.schema(
    [
        ("action_id", pa.string()),
        ("seq", pa.int64()),
        ("pillar", pa.int64()),
        ("policy", pa.int64()),
        ("measure", pa.int64()),
        ("name", pa.string()),
        ("summary", pa.string()),
        ("tag", pa.string()),
        ("is_new", pa.bool_()),
        ("is_expanded", pa.bool_()),
        ("is_repeat", pa.bool_()),
        ("repeat_of", pa.string()),
        ("project_id", pa.string()),
        ("is_continuation", pa.bool_()),
        ("source_line", pa.int64()),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "plan": PLAN,
    "pillars": PILLARS,
    "policies": POLICIES,
    "measures": MEASURES,
    "indicators": INDICATORS,
    "actions": ACTIONS,
}
