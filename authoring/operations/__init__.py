"""After execution the terms become rules that measure: support hours as a calendar, SLA clocks over
incidents, availability from outages, service credits, monthly reports and OpenSLO files."""
