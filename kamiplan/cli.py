"""The ``kamiplan`` command: each subcommand parses its arguments and makes one call into the core."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kamiplan.errors import InputError, Problem
from kamiplan.paths import data_dir, source_dir


def _cmd_build_data(args: argparse.Namespace) -> int:
    from kamiplan.build import build_data

    out = data_dir(args.data_dir)
    src = Path(args.source_dir) if args.source_dir else source_dir(out)
    written = build_data(src, out)
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0


def _year(text: str) -> int:
    from kamiplan.actuals_file import parse_year

    year, reason = parse_year(text)
    if year is None:
        raise argparse.ArgumentTypeError(reason)
    return year


def _cmd_report(args: argparse.Namespace) -> int:
    from kamiplan import report
    from kamiplan.actuals_file import parse_actuals
    from kamiplan.actuals_store import ActualsStore
    from kamiplan.db import PlanDB
    from kamiplan.queries import indicators

    folder = data_dir(args.data_dir)
    db = PlanDB(folder)
    con = db.cursor()
    if args.actuals:
        path = Path(args.actuals)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError([Problem(f"ファイルを読めません({exc.strerror})", str(path))]) from None
        actuals = parse_actuals(data, indicators(con), path.name).frame()
    else:
        actuals = ActualsStore(folder).current()
    frame = report.build_report(con, actuals, args.year)
    text = report.to_csv(frame) if args.format == "csv" else report.to_table(frame)
    sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kamiplan",
        description="上砂川町 総合計画・総合戦略の進捗管理 (kamiplan)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build-data", help="計画書から計画のテーブル(parquet)を作り直す")
    p.add_argument("--data-dir", help="出力先のデータフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    p.add_argument("--source-dir", help="計画書と補足情報のフォルダ(既定: <データフォルダ>/source)")
    p.set_defaults(func=_cmd_build_data)

    p = sub.add_parser("report", help="指定した年度の全指標の進捗(計画線・進捗率・達成率・評価・見込み)を出力する")
    p.add_argument("--year", required=True, type=_year, help="評価する年度(例: 2026, R8, 令和8年度)")
    p.add_argument("--actuals", help="実績の CSV ファイル(指定すると保存せずにこのファイルで評価する)")
    p.add_argument("--format", choices=("csv", "table"), default="table", help="出力形式(既定: table)")
    p.add_argument("--data-dir", help="データフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    p.set_defaults(func=_cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; refused input prints every problem in Japanese and exits with 1."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print("エラー: 入力を受け付けませんでした。何も書き込んでいません。", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
