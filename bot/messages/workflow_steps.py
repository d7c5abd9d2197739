"""A workflow's words, to one facilitator of a cohort."""

from __future__ import annotations

from bot.messages import renders
from bot.views.workflow_steps import workflow_note_message
from circles.messages import WorkflowNote

renders(WorkflowNote)(workflow_note_message)
