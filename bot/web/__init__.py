"""Public pages: a server's debate archive and leaderboards on the web (see `server`)."""
