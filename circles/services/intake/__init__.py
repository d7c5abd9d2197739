"""What comes in: the workspace a request belongs to, and taking each request in once."""
