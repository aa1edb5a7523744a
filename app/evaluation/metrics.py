"""A named evaluation figure with the bounds CI holds it to: a floor for what must not fall (a
share of pairs joined), a ceiling for what must not rise (a count of wrong joins); None: reported,
not gated."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    value: float
    floor: float | None = None
    ceiling: float | None = None

    @property
    def passed(self) -> bool:
        return (self.floor is None or self.value >= self.floor) and (
            self.ceiling is None or self.value <= self.ceiling
        )

    @property
    def verdict(self) -> str:
        """ "" when within its bounds, else the bound it broke."""
        if self.floor is not None and self.value < self.floor:
            return "BELOW FLOOR"
        if self.ceiling is not None and self.value > self.ceiling:
            return "ABOVE CEILING"
        return ""
