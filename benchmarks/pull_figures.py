"""The pull benchmark's figures and its readable report (benchmarks/pull.py measures).

Local rates are pcosync's own processing: wall time minus the time the run waits on PCO.
Run alone, it gives the paced floor and ratio of a run measured elsewhere (a run's rows):

    .venv/bin/python -m benchmarks.pull_figures --requests 1846 --past-deep-offset 167
                                                --seconds 386.2 [--json]
"""
import statistics

from benchmarks.harness import argument_parser, print_figures

STEPS = ("People", "Notes", "Families", "Groups")  # the Full Sync's, Media aside
PCO_LIMIT, PCO_PERIOD = 100, 20
PCO_DEEP_LIMIT = 75  # per PCO_PERIOD, for a request at an offset past 30,000


def local_rate(step):
    """Records per second of pcosync's own processing (wall time minus time on HTTP)."""
    return round(step["records"] / max(step["seconds"] - step["http_seconds"], 1e-9))


def unpaced_figures(result):
    """One size's figures, unsuffixed (the caller adds `_<size>`)."""
    people, notes, families, groups, again = result["steps"][:len(STEPS) + 1]
    full_sync = result["steps"][:len(STEPS)]
    return {**media_figures(result["steps"]),
            "people_per_s_first": local_rate(people),
            "people_per_s_unchanged": local_rate(again),
            "notes_per_s": local_rate(notes),
            "families_per_s": local_rate(families),
            "groups_records_per_s": local_rate(groups),
            "people_seconds_first": round(people["seconds"], 3),
            "full_sync_seconds": round(sum(step["seconds"] for step in full_sync), 3),
            "requests": sum(step["requests"] for step in full_sync),
            # Requests at an offset past 30,000 (PCO's stricter share): People and Households
            # page by created_at, so only Groups' listings could.
            "requests_past_deep_offset": sum(step["past_deep_offset"] for step in full_sync),
            "requests_minimum": sum(result["minimum"].values()),
            "peak_rss_mib": round(result["rss_peak_kib"] / 1024, 1),
            # Statements sent per page of 100 (the median page; round_trips.PageCounter), and
            # the first pull's commits against its pages: a page is committed as it goes (on
            # PostgreSQL by its own INSERT, beside the run: pull/page_writer.py).
            "round_trips_per_page": people["statements_per_page"],
            "round_trips_unchanged_page": again["statements_per_page"],
            "round_trips_notes_page": notes["statements_per_page"],
            "round_trips_families_page": families["statements_per_page"],
            "round_trips_groups_page": groups["statements_per_page"],
            "pages_people_first": people["pages"], "commits_people_first": people["commits"],
            "db_latency_ms": result.get("db_latency_ms", 0),
            "rss_growth_mib": round((result["rss_peak_kib"] - result["rss_before_kib"]) / 1024,
                                    1)}


def media_figures(steps):
    """The Media step's, when it ran (--no-media skips it)."""
    if len(steps) <= len(STEPS) + 1:
        return {}
    media = steps[-1]
    return {"media_per_s": round(media["created"] / max(media["seconds"], 1e-9)),
            "media_files": media["created"]}


def naive_figures(result):
    """The naive script vs pcosync's Sync People (the first pull), same sandbox."""
    ours, theirs = result["steps"][0], result["naive"]
    return {"naive_people": theirs["people"], "naive_requests": theirs["requests"],
            "naive_seconds": round(theirs["seconds"], 3),
            "pcosync_people_requests": ours["requests"],
            "pcosync_people_seconds": round(ours["seconds"], 3),
            "naive_requests_ratio": round(theirs["requests"] / max(ours["requests"], 1), 1),
            "naive_seconds_ratio": round(theirs["seconds"] / max(ours["seconds"], 1e-9), 1)}


def report_naive(result):
    ours, theirs = result["steps"][0], result["naive"]
    print(f"\nNaive baseline, {theirs['people']:,} people, same sandbox, rate limit off "
          f"(pypco's defaults: 25 per page, no include, emails / phone numbers / addresses "
          f"one request per person each, a commit per record into SQLite)")
    print(f"  {'':<26}{'requests':>10}{'wall s':>9}")
    print(f"  {'pcosync Sync People':<26}{ours['requests']:>10,}{ours['seconds']:>9.2f}")
    print(f"  {'naive script':<26}{theirs['requests']:>10,}{theirs['seconds']:>9.2f}"
          f"  ({theirs['records']:,} records written)")
    print(f"  naive / pcosync: {theirs['requests'] / max(ours['requests'], 1):.1f}x the "
          f"requests, {theirs['seconds'] / max(ours['seconds'], 1e-9):.1f}x the wall time")


def paced_figures(result):
    step = result["steps"][0]
    floor = paced_floor(step)
    return {"paced_people": result["people"], "paced_seconds": round(step["seconds"], 1),
            "paced_requests": step["requests"], "paced_floor_seconds": floor,
            "paced_ratio": paced_ratio(step),
            f"paced_ratio_{result['people']}": paced_ratio(step),
            "paced_refused": step["refused"],
            "paced_pco_latency_ms": result.get("pco_latency_ms", 0),
            **{f"paced_{name}": value for name, value in step.get("timeline", {}).items()},
            "paced_requests_past_deep_offset": step["past_deep_offset"]}


def request_timeline(sends, started):
    """From (sent at, seconds to answer) of a run's requests, relative to `started`: when the
    last went, the span of the first window's, the median answer."""
    if not sends:
        return {}
    window = sends[:PCO_LIMIT - 1]  # the limiter's share of a window (ratelimit.Margin)
    return {"last_request_s": round(sends[-1][0] - started, 2),
            "first_window_span_s": round(window[-1][0] - window[0][0], 2),
            "request_ms_median": round(1000 * statistics.median(t for _, t in sends), 1)}


def paced_floor(step):
    """A window of 100 requests per 20 s: request 101 waits for the window opened by
    request 1. A request past the deep offset spends a 75th of the window, not a 100th."""
    deep = step.get("past_deep_offset", 0)
    extra = deep * (PCO_PERIOD / PCO_DEEP_LIMIT - PCO_PERIOD / PCO_LIMIT)
    return round((step["requests"] - 1) // PCO_LIMIT * PCO_PERIOD + extra, 1)


def paced_ratio(step):
    """Wall time / the limit's floor; None when the run fits one window (a floor of 0 s)."""
    floor = paced_floor(step)
    return round(step["seconds"] / floor, 2) if floor else None


def report_unpaced(result, database="SQLite"):
    people = result["people"]
    print(f"\n{people:,} people into {database}, rate limit off "
          f"(peak RSS {result['rss_peak_kib'] / 1024:.0f} MiB, "
          f"{(result['rss_peak_kib'] - result['rss_before_kib']) / 1024:.0f} MiB "
          "more than before the pull)")
    print(f"  {'step':<9}{'records':>9}{'wall s':>8}{'rec/s':>8}{'local s':>9}"
          f"{'local rec/s':>13}{'requests':>10}{'minimum':>9}")
    for number, step in enumerate(result["steps"]):
        local = max(step["seconds"] - step["http_seconds"], 1e-9)
        name = "again" if number == len(STEPS) else step["kind"]
        print(f"  {name:<9}{step['records']:>9,}{step['seconds']:>8.2f}"
              f"{step['records'] / step['seconds']:>8,.0f}{local:>9.2f}"
              f"{step['records'] / local:>13,.0f}{step['requests']:>10}"
              f"{result['minimum'].get(step['kind'], 0):>9}  {step['status']}, "
              f"failed {step['failed']}")
    total = sum(step["requests"] for step in result["steps"][:len(STEPS)])
    floor = sum(result["minimum"].values())
    print(f"  requests {total} vs minimum {floor} ({100 * (total - floor) / floor:+.1f}%)")
    if len(result["steps"]) <= len(STEPS) + 1:
        return
    media = result["steps"][-1]
    print(f"  media: {media['created']:,} photos and files downloaded and stored in "
          f"{media['seconds']:.2f} s ({media['created'] / max(media['seconds'], 1e-9):,.0f}/s, "
          "wall time: the downloads are the work)")


def report_paced(result):
    step = result["steps"][0]
    floor, ratio = paced_floor(step), paced_ratio(step)
    latency = result.get("pco_latency_ms")
    print(f"\n{result['people']:,} people, PCO's limit on ({PCO_LIMIT} per {PCO_PERIOD} s"
          f"{f', each answer at least {latency:g} ms' if latency else ''}): "
          f"Full Sync {step['status']} in {step['seconds']:.1f} s, {step['requests']} requests; "
          f"the limit's floor {floor:.1f} s "
          f"({f'{ratio:.2f}x' if ratio else 'one window: no floor'}); "
          f"refused (429) {step['refused']}, over the limit {step['over_limit']}")
    if step.get("step_seconds"):
        print("  its steps: " + ", ".join(
            f"{kind} {seconds:.1f} s" for kind, seconds in step["step_seconds"].items()))
    timeline = step.get("timeline")
    if timeline:
        # The limiter's window slides: a request's slot frees a window after it went, so the
        # last window's requests go out as spread as the first window's did.
        print(f"  the last request went at {timeline['last_request_s']:.1f} s; the first "
              f"window's went out over {timeline['first_window_span_s']:.1f} s (answers "
              f"{timeline['request_ms_median']:.0f} ms, median), and the last window's "
              "follow that spread")


def main():
    parser = argument_parser("The paced floor PCO's limit imposes on a run, and its ratio.")
    parser.add_argument("--requests", type=int, required=True, help="requests the run sent")
    parser.add_argument("--past-deep-offset", type=int, default=0,
                        help="of them, at an offset past 30,000 (75 per 20 s)")
    parser.add_argument("--seconds", type=float, required=True, help="the run's wall time")
    args = parser.parse_args()
    step = {"requests": args.requests, "past_deep_offset": args.past_deep_offset,
            "seconds": args.seconds}
    floor, ratio = paced_floor(step), paced_ratio(step)
    print(f"{args.requests} requests ({args.past_deep_offset} past the deep offset): "
          f"the limit's floor {floor:.1f} s; {args.seconds:.1f} s is {ratio}x")
    print_figures(args, {"paced_floor_seconds": floor, "paced_ratio": ratio,
                         "paced_requests": args.requests, "paced_seconds": args.seconds})


if __name__ == "__main__":
    main()
