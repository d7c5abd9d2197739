"""The threads Bolt runs the work after each ack on: a stopping process finishes it before it exits."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Executor, ThreadPoolExecutor

from bot.home_publisher import HomePublisher

WORKERS = 5  # as many as Bolt's own default listener executor


class AckedWork(ThreadPoolExecutor):
    """Bolt's listener executor: the work of requests Slack was already told were received.

    Slack never sends an acknowledged request again, and the process has taken it in once
    (bot.edge.once), so work cut short here is lost: nobody gets an answer and nothing is done.
    Home tabs opened are published beside it, on `homes`' own threads: a crowd opening Home keeps
    nobody's answer or form waiting here.
    """

    def __init__(self) -> None:
        super().__init__(max_workers=WORKERS, thread_name_prefix="circles-acked")
        self.homes = HomePublisher()

    def finish(self, within: float) -> bool:
        """Take no more work and wait up to `within` seconds for what was started; False if some runs on.
        Home tabs not yet being published are dropped: each is published again at its next opening."""
        deadline = time.monotonic() + within
        self.homes.stop()
        answered = finished(self, within)  # first: people asked for these
        return self.homes.finish(deadline - time.monotonic()) and answered


def finished(executor: Executor, within: float) -> bool:
    """Let an executor take no more work and wait up to `within` seconds for what it started; False if some
    runs on."""
    # shutdown() takes no timeout: it waits on a thread of its own, for as long as it is given.
    finishing = threading.Thread(target=executor.shutdown, kwargs={"wait": True}, daemon=True)
    finishing.start()
    finishing.join(max(0.0, within))
    return not finishing.is_alive()
