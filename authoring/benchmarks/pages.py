"""Running the page parts (history, size, writes) in one throw-away app, and their lines of the report."""
from __future__ import annotations

from typing import Any

from . import history, size, writes
from .site import PageError, throwaway_site

PAGE_LABELS = {"negotiation": "Negotiation", "activity": "Activity", "revisions": "Revisions", "clause": "a clause's page"}


def run_page_parts(history_proposals: int, size_clauses: int, earlier_proposals: int, runs: int) -> dict[str, Any]:
    """The figures of each part asked for (0 skips one); a part that fails says why in `<part>_error`."""
    figures: dict[str, Any] = {}
    parts = (("history", history_proposals, lambda site: history.measure(site, history_proposals, runs)),
             ("size", size_clauses, lambda site: size.measure(site, size_clauses, runs)),
             ("writes", earlier_proposals, lambda site: writes.measure(site, earlier_proposals, runs)))
    with throwaway_site() as site:
        for name, scale, measure in parts:
            if not scale:
                continue
            try:
                figures.update(measure(site))
                figures[f"{name}_error"] = None
            except PageError as error:
                figures[f"{name}_error"] = str(error)
    return figures


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def report_lines(figures: dict[str, Any]) -> list[str]:
    """The page parts' figures as lines of the benchmark's table."""
    lines: list[str] = []
    if "history_error" in figures:
        lines.append("")
        if figures["history_error"]:
            lines.append(f"Pages that grow with history: not measured - {figures['history_error']}.")
        else:
            counts = figures["history_counts"]
            small, large = counts["small"], counts["large"]
            lines += [
                f"Pages that grow with history: {large['proposals']:,} proposals, {large['comments']:,} comments, "
                f"{large['events']:,} events, {large['revisions']:,} revisions against {small['proposals']:,} / "
                f"{small['comments']:,} / {small['events']:,} / {small['revisions']:,}; median of "
                f"{figures['history_runs']} runs",
                "",
                f"{'page':<22} {'small ms':>9} {'large ms':>9} {'time x':>7} {'small KB':>9} {'large KB':>9} "
                f"{'size x':>7} {'target':>7}",
            ]
            for page, figure in figures["history_pages"].items():
                lines.append(f"{PAGE_LABELS[page]:<22} {figure['ms']['small']:>9.1f} {figure['ms']['large']:>9.1f} "
                             f"{figure['time_ratio']:>7.2f} {figure['bytes']['small'] / 1000:>9.1f} "
                             f"{figure['bytes']['large'] / 1000:>9.1f} {figure['bytes_ratio']:>7.2f} "
                             f"{figure['target_ratio']:>6.1f}x")
            met = all(figure["target_met"] for figure in figures["history_pages"].values())
            lines.append(f"Target: time and HTML size <= {history.TARGET} x the small agreement's - {_verdict(met)}.")
    if "size_error" in figures:
        lines.append("")
        if figures["size_error"]:
            lines.append(f"Size: not measured - {figures['size_error']}.")
        else:
            clauses, ms, sizes = figures["size_clauses"], figures["size_ms"], figures["size_bytes"]
            lines += [
                f"Size: the draft page at {clauses['large']:,} clauses against {clauses['small']:,} (median of "
                f"{figures['size_runs']} runs)",
                f"  {clauses['small']:,} clauses: {ms['small']:.1f} ms, {sizes['small'] / 1000:,.1f} KB; "
                f"{clauses['large']:,} clauses: {ms['large']:.1f} ms, {sizes['large'] / 1000:,.1f} KB; "
                f"time {figures['size_time_ratio']:.2f} x (median of the per-run ratios "
                f"{figures['size_time_ratio_per_run_median']:.2f} x); its contents link all {clauses['large']:,} "
                f"clauses over {figures['size_pages_of_large_draft']} parts",
                f"Target: under {size.MAX_BYTES / 1000:,.0f} KB and time <= {size.TARGET} x - "
                f"{_verdict(figures['size_target_met'])}.",
            ]
    if "writes_error" in figures:
        lines.append("")
        if figures["writes_error"]:
            lines.append(f"Writes: not measured - {figures['writes_error']}.")
        else:
            ms, statements = figures["writes_accept_ms"], figures["writes_statements"]
            earlier = figures["writes_earlier_proposals"]["history"]
            lines += [
                f"Writes: accepting a proposal after {earlier:,} earlier ones {ms['history']:.1f} ms "
                f"({statements['history']} SQL statements), the first one {ms['first']:.1f} ms "
                f"({statements['first']}): {figures['writes_ratio']:.2f} x (median of the per-run ratios "
                f"{figures['writes_ratio_per_run_median']:.2f} x)",
                f"Target: <= {writes.TARGET} x - {_verdict(figures['writes_target_met'])}.",
            ]
    return lines
