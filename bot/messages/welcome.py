"""The welcome of someone another person added to a cohort, rendered into their DM at send time."""

from __future__ import annotations

from bot.messages import renders
from bot.views.cohort_welcome import cohort_welcome_message
from circles.messages import CohortWelcome

renders(CohortWelcome)(cohort_welcome_message)
