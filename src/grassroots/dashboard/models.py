"""The dashboard owns no tables: it reads the figures app's rollups (`grassroots.figures`).

The rollup models moved to `grassroots.figures.models` (same tables); these names stay for the
modules that still import them from here (`health.py`, `mapdata.py`).
"""

from grassroots.figures.models import DailyFigure, Escalation, RefreshMark, SubtreeFigure

__all__ = ["DailyFigure", "Escalation", "RefreshMark", "SubtreeFigure"]
