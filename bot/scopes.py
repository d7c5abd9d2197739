"""The bot scopes the app asks for when installed through OAuth; manifest.yml lists the same."""

BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "im:history",
    "app_mentions:read",
    "mpim:write",
    "groups:write",
    "groups:read",
    "users:read",
    "users:read.email",
    "files:write",
    "dnd:read",
)
