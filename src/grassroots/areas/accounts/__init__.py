"""Account administration: the security administrator's pages, API, services and selectors.

An account's reach is its posts, and an administrator's reach is the scope of theirs, so the
administration of accounts lives beside posts. An account's own password and sign-in sessions
(`core.accounts`) and the sign-in itself stay in the core.
"""
