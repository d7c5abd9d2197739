"""What every request to /slack/events passes before Bolt sees it: signature, shape, then replay."""
