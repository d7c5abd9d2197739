"""Pure product rules: no database, no Slack, no clock."""
