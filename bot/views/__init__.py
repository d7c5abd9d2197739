"""Block Kit builders: plain values in, Slack messages and views out."""
