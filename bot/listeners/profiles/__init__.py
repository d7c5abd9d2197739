"""Profiles and the coach and mentor directory: the form, cards, the directory and coach requests."""

from __future__ import annotations

from slack_bolt import App

from bot import ids
from bot.deps import Deps
from bot.listeners.incoming import ack_now, after_ack
from bot.listeners.profiles import answers, directory, modal


def register(app: App, deps: Deps) -> None:
    app.action(ids.HOME_EDIT_PROFILE)(ack=ack_now, lazy=[after_ack(modal.edit_from_home, deps)])
    # The form's ack checks the fields itself, so mistakes show inline; saving waits until after it.
    app.view(ids.PROFILE_VIEW)(ack=modal.check_submission, lazy=[after_ack(modal.save_submission, deps)])
    app.action(ids.HOME_OPEN_DIRECTORY)(ack=ack_now, lazy=[after_ack(directory.open_from_home, deps)])
    app.action(ids.DIRECTORY_REQUEST)(ack=ack_now, lazy=[after_ack(directory.request_chosen, deps)])
    app.action(ids.REQUEST_ACCEPT)(ack=ack_now, lazy=[after_ack(answers.accepted, deps)])
    app.action(ids.REQUEST_DECLINE)(ack=ack_now, lazy=[after_ack(answers.declined, deps)])
