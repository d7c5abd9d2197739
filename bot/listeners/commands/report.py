"""`/circles report <cohort> [individual]`: the summary and a chart, in the facilitator's own DM only."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import note_decrypt
from bot.errors import FILE_UNANSWERED, unanswered_share
from bot.listeners.commands.request import CommandRequest
from bot.slack_refusals import OWN_DM_CLOSED, open_dm, send_dm
from bot.views.report import (
    chart_comment,
    delivered_text,
    individual_comment,
    preparing_text,
    report_summary,
)
from bot.views.research_export import research_export_block
from circles.services.reports import Report, check_report_allowed, csv_bytes, report_for, states_chart, tables

USAGE = (
    "Use `/circles report &lt;cohort&gt;`, e.g. `/circles report pgy1-spring`; add `individual` for a "
    "file with a row per partnership."
)
INDIVIDUAL = "individual"


def send_report(request: CommandRequest) -> None:
    args = request.parsed.args
    if not 1 <= len(args) <= 2 or (len(args) == 2 and args[1].lower() != INDIVIDUAL):
        request.say(USAGE)
        return
    individual = len(args) == 2
    # Individual rows are for the cohort's own facilitators: being an admin does not open them.
    is_admin = not individual and request.is_admin()
    db = request.deps.db
    # Refused before "preparing…": only someone who may see the report hears that one is coming.
    check_report_allowed(
        db.reading(), request.team_id, request.user_id, args[0], is_admin=is_admin, individual=individual
    )
    request.say(preparing_text(args[0]))
    report = report_for(
        db.reading(),  # a report only reads: check-ins and joins never wait for it
        request.team_id,
        request.user_id,
        args[0],
        request.deps.clock(),
        is_admin=is_admin,
        individual=individual,
        decrypt=note_decrypt(request.deps) if individual else None,
    )
    request.say(deliver(request.client, request.user_id, report))


def deliver(client: WebClient, user_id: str, report: Report) -> str:
    """Post the summary, then upload the chart (and individual rows) into the app's DM with this person;
    what the person is told."""
    channel = open_dm(client, user_id)
    summary = report_summary(report)
    blocks = [*summary.block_dicts(), research_export_block(report.slug).to_dict()]
    if channel is None or not send_dm(client, channel, summary.text, blocks):
        return OWN_DM_CLOSED
    # Each file: its content, its name, its title and the comment posted with it.
    files = [
        (
            states_chart(report),
            f"{report.slug}-health-by-week.png",
            f"Partnership health by week: {report.cohort_name}",
            chart_comment(report),
        )
    ]
    if report.individual is not None:
        [rows] = [table for table in tables(report) if table.name == "individual"]
        files.append(
            (
                csv_bytes(rows),
                f"{report.slug}-partnerships.csv",
                f"Partnerships one by one: {report.cohort_name}",
                individual_comment(report),
            )
        )
    for content, filename, title, comment in files:
        try:
            client.files_upload_v2(
                channel=channel, file=content, filename=filename, title=title, initial_comment=comment
            )
        except (SlackApiError, OSError) as error:  # OSError: Slack did not answer in time, or not at all
            if not unanswered_share(error, "a report's file"):
                raise
            return FILE_UNANSWERED
    return delivered_text(report)
