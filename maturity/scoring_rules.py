"""The scoring rules a framework declares (format v2's ``scoring:`` block), as one frozen
value the engine (``maturity.scoring``) reads. No database, no pandas.

A file without a ``scoring:`` block gets ``ScoringRules()``: today's rule, the weighted mean
of the answered questions with unanswered and N/A left out, level = ⌊mean⌋, two decimals.

The block, every key optional (docs/framework-format.md, docs/scoring.md)::

    scoring:
      unanswered: left_out          # or a number: counted as a choice of that value
      not_applicable: left_out      # or a number
      stream: weighted_mean         # questions → stream: weighted_mean | mean | sum
      dimension: weighted_mean      # questions (or streams) → dimension:
                                    #   weighted_mean | mean | sum | sum_divided | mean_of_streams
      divisor: 2                    # sum_divided only: Σ weight × value ÷ divisor
      area: mean                    # dimensions → area: mean | weighted_mean (dimension weights)
      overall: mean_of_areas        # → overall: mean_of_areas | mean_of_dimensions
      level:
        rule: floor                 # floor | thresholds | gated
        thresholds:                 # thresholds only: the lowest score of each level
          - {level: 1, from: 0.5}
        gate: 1                     # gated only: a level-n question counts as met at ≥ gate
      precision: 2                  # decimals shown
      rounding: half_up             # the only rounding: 2.345 → 2.35 (never banker's)

Values: ``weighted_mean`` and ``mean`` map each choice's value linearly from its question's
value range onto the level scale first; ``sum`` and ``sum_divided`` add the values as they
are (the file's own arithmetic, e.g. six answers of 0–1 summed ÷ 2 gives 0–3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

LEFT_OUT = "left_out"

QUESTION_AGGREGATES = ("weighted_mean", "mean", "sum", "sum_divided")
STREAM_AGGREGATES = ("weighted_mean", "mean", "sum")
DIMENSION_AGGREGATES = ("weighted_mean", "mean", "sum", "sum_divided", "mean_of_streams")
AREA_AGGREGATES = ("mean", "weighted_mean")
OVERALL_AGGREGATES = ("mean_of_areas", "mean_of_dimensions")
LEVEL_RULES = ("floor", "thresholds", "gated")
# Aggregates that add the raw values rather than mapping them onto the scale.
RAW_AGGREGATES = ("sum", "sum_divided")


@dataclass(frozen=True)
class Threshold:
    level: int
    start: float  # the file's ``from``: the lowest score that reaches ``level``


@dataclass(frozen=True)
class ScoringRules:
    unanswered: float | None = None  # None: left out
    not_applicable: float | None = None  # None: left out
    stream: str = "weighted_mean"
    dimension: str = "weighted_mean"
    divisor: float | None = None
    area: str = "mean"
    overall: str = "mean_of_areas"
    level_rule: str = "floor"
    thresholds: tuple[Threshold, ...] = field(default_factory=tuple)
    gate: float | None = None
    precision: int = 2
    # Whether the framework declares a ``scoring:`` block at all (not compared: a block
    # that states the defaults is the default rule). Without one, the overall figure stays
    # today's (the plain mean of a department's dimension means).
    declared: bool = field(default=False, compare=False)

    @classmethod
    def from_data(cls, data: dict | None) -> ScoringRules:
        """The rules of a validated ``scoring:`` block (or of none: the default)."""
        data = data or {}
        level = data.get("level") or {}
        thresholds = level.get("thresholds", [])

        def counted(value) -> float | None:
            return None if value in (None, LEFT_OUT) else float(value)

        return cls(
            unanswered=counted(data.get("unanswered")),
            not_applicable=counted(data.get("not_applicable")),
            stream=data.get("stream", "weighted_mean"),
            dimension=data.get("dimension", "weighted_mean"),
            divisor=float(data["divisor"]) if "divisor" in data else None,
            area=data.get("area", "mean"),
            overall=data.get("overall", "mean_of_areas"),
            level_rule=level.get("rule", "floor"),
            thresholds=tuple(
                sorted(
                    (Threshold(int(t["level"]), float(t["from"])) for t in thresholds),
                    key=lambda t: t.level,
                )
            ),
            gate=float(level["gate"]) if "gate" in level else None,
            precision=int(data.get("precision", 2)),
            declared=bool(data),
        )

    @property
    def is_default(self) -> bool:
        return self == ScoringRules()

    @property
    def effective_overall(self) -> str:
        """The overall rule the engine applies: without a ``scoring:`` block, today's
        (``mean_of_dimensions``: the plain mean of a department's dimension means), so the
        default framework's overall figure does not change; else the declared one."""
        return self.overall if self.declared else "mean_of_dimensions"

    @property
    def counts_unanswered(self) -> bool:
        return self.unanswered is not None

    @property
    def raw_values(self) -> bool:
        """Whether the dimension adds choice values as they are (sum rules)."""
        return self.dimension in RAW_AGGREGATES

    def round(self, value: float | None, places: int | None = None) -> float | None:
        """Half-up rounding to the declared precision (2.345 → 2.35; 2.5 → 3 at 0 places),
        decided on the decimal the number prints as, so 2.675 stays 2.68."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        places = self.precision if places is None else places
        quantum = Decimal(1).scaleb(-places)
        return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))
