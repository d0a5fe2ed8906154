"""grassroots — 基层治理平台, a grassroots-governance platform for Chinese counties."""

__version__ = "0.1.0"
