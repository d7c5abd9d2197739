"""The baseline: a bare Bolt app that verifies signatures and acks `/circles`, served like Circles is."""

from __future__ import annotations

import os

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress import serve

from bot.server import THREADS


def main() -> None:
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(signing_secret=os.environ["SLACK_SIGNING_SECRET"], client=client)

    @app.command("/circles")
    def only_ack(ack: Ack) -> None:
        ack()

    serve(SlackRequestHandler(app), host="127.0.0.1", port=int(os.environ["PORT"]), threads=THREADS)


if __name__ == "__main__":
    main()
