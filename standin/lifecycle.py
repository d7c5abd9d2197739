"""What every stand-in server shares: started by `with`, stopped (its port released) when the block ends."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Lifecycle:
    """`start()` and `stop()`, and `with stand_in:` for both."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
