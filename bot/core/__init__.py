"""Domain logic. Nothing in this package imports discord or a database driver."""
