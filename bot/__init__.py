"""The Slack adapter: the only package that talks to Slack."""
