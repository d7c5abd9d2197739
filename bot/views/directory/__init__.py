"""The coach and mentor directory (`listing`: the best fits in a message, everyone page by page in a
modal, and the buttons that turn its pages) and the private messages around a request (`requests`)."""
