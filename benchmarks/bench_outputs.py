"""Benchmark of the shareable outputs (issue 6). Not a test: it prints medians.

テスト用の架空データ (tests/synthetic.py) in a temp folder, never data/. Measures:

- per chart: the Vega-Lite spec (Altair ``to_dict``), PNG (scale 2) and SVG with vl-convert;
- what a rerun of the overview page would cost if its 11 trajectory charts' PNG and SVG were made
  eagerly (what ``st.download_button`` with bytes would need), against registering callables;
- the printable report (time, size) and the offline snapshot (time, size, files).

Usage: ``.venv/bin/python benchmarks/bench_outputs.py [--repeat 3] [--charts 46] [--skip-site]``
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kamiplan.outputs import images, print_report, snapshot  # noqa: E402
from kamiplan.outputs.plan_view import load  # noqa: E402
from kamiplan.paths import DEFAULT_DATA_DIR  # noqa: E402
from kamiplan.plan.db import PlanDB  # noqa: E402
from kamiplan.plan.queries import indicators  # noqa: E402
from kamiplan.records.actuals_store import ActualsStore  # noqa: E402
from tests.synthetic import plan_folder, populate  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--charts", type=int, default=46, help="how many indicator charts to time")
    parser.add_argument("--skip-site", action="store_true", help="only the per-chart timings")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = plan_folder(Path(tmp) / "data", DEFAULT_DATA_DIR)
        populate(folder, indicators(PlanDB(folder).cursor()))
        con = PlanDB(folder).cursor()
        actuals = ActualsStore(folder).current()
        view = load(con, actuals, 2026)
        trajs = list(view.trajectories)[: args.charts]

        first_check = timed(images.require_font)
        warm = timed(lambda: images.chart_png(trajs[0]))
        spec_t, png_t, svg_t = [], [], []
        for _ in range(args.repeat):
            for traj in trajs:
                spec_t.append(timed(lambda t=traj: images.chart_spec(t)))
                spec = images.chart_spec(traj)
                png_t.append(timed(lambda s=spec: images.spec_to_png(s)))
                svg_t.append(timed(lambda s=spec: images.spec_to_svg(s)))
        overview = view.plan_wide() + view.satisfaction()
        eager = [timed(lambda: [(images.chart_png(t), images.chart_svg(t)) for t in overview])]
        deferred = [
            timed(
                lambda: [
                    (functools.partial(images.chart_png, t), functools.partial(images.chart_svg, t)) for t in overview
                ]
            )
        ]
        size = len(images.chart_png(trajs[0])), len(images.chart_svg(trajs[0]).encode())
        print(f"charts: {len(trajs)} × {args.repeat}; font check (first call) {first_check * 1000:.1f} ms; "
              f"first PNG in the process (vl-convert start) {warm * 1000:.0f} ms")  # fmt: skip
        print(f"{'per chart':40} {'median ms':>9}")
        print(f"{'  Vega-Lite spec (Altair to_dict)':40} {ms(spec_t)}")
        print(f"{'  PNG (scale 2) from the spec':40} {ms(png_t)}")
        print(f"{'  SVG from the spec':40} {ms(svg_t)}")
        print(f"  sizes of 人口: PNG {size[0] / 1000:.0f} kB, SVG {size[1] / 1000:.0f} kB")
        print(f"{'overview rerun, 11 charts, eager PNG+SVG':40} {ms(eager)}")
        print(f"{'overview rerun, 11 charts, callables':40} {ms(deferred)}")
        if args.skip_site:
            return

        html = ""

        def report() -> None:
            nonlocal html
            html = print_report.render(view)

        report_t = [timed(report) for _ in range(max(1, args.repeat // 3))]
        print(f"{'printable report (46 charts)':40} {ms(report_t)}  size {len(html.encode()) / 1_000_000:.2f} MB")
        site_t, result = [], None
        for i in range(max(1, args.repeat // 3)):
            out = Path(tmp) / f"site{i}"

            def build(out=out) -> None:
                nonlocal result
                result = snapshot.snapshot(con, actuals, out, 2026)

            site_t.append(timed(build))
        print(
            f"{'offline snapshot':40} {ms(site_t)}  size {result.size / 1_000_000:.2f} MB in {result.files} files "
            f"(Vega bundle {len(snapshot.vega_bundle()) / 1_000_000:.2f} MB)"
        )


if __name__ == "__main__":
    main()
