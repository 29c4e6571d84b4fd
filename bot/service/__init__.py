"""The debate application: every use case of a debate (start, join, argue, vote, steer,
remove, status, transcript) and its single write path. Imports nothing from `discord`;
Discord is reached through the small protocols in `ports`."""
