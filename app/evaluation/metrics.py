"""A named evaluation figure with the floor CI holds it to (None: reported, not gated)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    value: float
    floor: float | None = None

    @property
    def passed(self) -> bool:
        return self.floor is None or self.value >= self.floor
