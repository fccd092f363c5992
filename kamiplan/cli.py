"""The ``kamiplan`` command: each subcommand parses its arguments and makes one call into the core."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kamiplan.errors import InputError
from kamiplan.paths import data_dir, source_dir


def _cmd_build_data(args: argparse.Namespace) -> int:
    from kamiplan.build import build_data

    out = data_dir(args.data_dir)
    src = Path(args.source_dir) if args.source_dir else source_dir(out)
    written = build_data(src, out)
    for name, path in written.items():
        print(f"{name}: {path}")
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
