"""pyqtgraph charts for the per-patient overview. Pure views: they take plain data and do no I/O."""

from cockpit.views.charts.contacts import TimelineItem
from cockpit.views.charts.series import TrendSeries
from cockpit.views.charts.timeline import ContactsTimeline
from cockpit.views.charts.trend import TrendChart

__all__ = ["ContactsTimeline", "TimelineItem", "TrendChart", "TrendSeries"]
