"""Subcommands of `thamquyen`; each module registers its own with `register(subparsers)`."""
