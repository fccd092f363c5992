"""The ``kamiplan`` command: each subcommand parses its arguments and makes one call into the core."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kamiplan.errors import InputError, Problem
from kamiplan.paths import data_dir, source_dir


def _cmd_build_data(args: argparse.Namespace) -> int:
    from kamiplan.plan.build import build_data

    out = data_dir(args.data_dir)
    src = Path(args.source_dir) if args.source_dir else source_dir(out)
    written = build_data(src, out)
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0


def _year(text: str) -> int:
    from kamiplan.records.actuals_file import parse_year

    year, reason = parse_year(text)
    if year is None:
        raise argparse.ArgumentTypeError(reason)
    return year


def _read_options(args: argparse.Namespace):
    from kamiplan.records.actuals_file import ReadOptions

    return ReadOptions(
        sheet=getattr(args, "sheet", None),
        dash_as_zero=getattr(args, "dash_as_zero", False),
        accept_unusual=getattr(args, "accept_unusual", False),
    )


def _read_file(name: str) -> bytes:
    path = Path(name)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem("ファイルがありません。名前と場所を確かめてください", str(path))]) from None
    except IsADirectoryError:
        raise InputError([Problem("フォルダです。ファイルを指定してください", str(path))]) from None
    except PermissionError:
        raise InputError([Problem("ファイルを読む権限がありません", str(path))]) from None
    except OSError:
        raise InputError([Problem("ファイルを読めません", str(path))]) from None


def _default_year(con, actuals) -> int:
    """The pages' default (:func:`kamiplan.model.dashboard.default_year`); when later years already have a few
    actuals, says on stderr why it is not the latest (as the sidebar does)."""
    from kamiplan import labels
    from kamiplan.model import dashboard
    from kamiplan.plan import queries

    info = queries.plan_info(con)
    default = dashboard.default_year(actuals, queries.indicators(con), int(info["start_year"]), int(info["end_year"]))
    if note := labels.year_note(default.year, default, choose=labels.YEAR_CHOOSE_CLI):
        print(note, file=sys.stderr)
    return default.year


def _cmd_report(args: argparse.Namespace) -> int:
    from kamiplan.outputs import report
    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.queries import indicators
    from kamiplan.records.actuals_file import parse_actuals
    from kamiplan.records.actuals_store import ActualsStore

    folder = data_dir(args.data_dir)
    db = PlanDB(folder)
    con = db.cursor()
    if args.actuals:
        data = _read_file(args.actuals)
        actuals = parse_actuals(data, indicators(con), Path(args.actuals).name, _read_options(args)).frame()
    else:
        actuals = ActualsStore(folder).current()
    frame = report.build_report(con, actuals, args.year or _default_year(con, actuals))
    text = report.to_csv(frame) if args.format == "csv" else report.to_table(frame)
    sys.stdout.write(text)
    return 0


def _print_import(name: str, plan) -> None:
    from kamiplan.records.actuals_io import STATUS_UNCHANGED

    parsed = plan.parsed
    header = "・".join(f"{n}行目" for n in parsed.header_lines)
    print(f"{name}: {parsed.source_label}、{'横長' if parsed.layout == 'wide' else '縦長'}の表(見出し {header})")
    for row in plan.preview.itertuples():
        if row.状態 == STATUS_UNCHANGED:
            continue
        extra = ""
        if row.新しい備考 != row.現在の備考:
            extra += f"  備考: 「{row.現在の備考}」→「{row.新しい備考}」"
        if row.新しい出典 != row.現在の出典:
            extra += f"  出典: 「{row.現在の出典}」→「{row.新しい出典}」"
        if row.時点:
            extra += f"  時点: {row.時点}"
        if row.確認:
            extra += f"  ({row.確認})"
        old = row.現在の値 or "—"
        print(f"{row.行:>5}行目  {row.状態}  {row.指標名}({row.指標ID}) {row.年度}: {old} → {row.新しい値}{extra}")
    for s in parsed.skipped:
        where = f" 列「{s.column}」" if s.column else ""
        text = f" {s.text}" if s.text else ""
        print(f"{s.line:>5}行目  読み飛ばし{where}: {s.reason}{text}")
    if parsed.ignored_columns:
        print(f"読まなかった列: {'、'.join(f'「{c}」' for c in parsed.ignored_columns)}(実績値としては使いません)")
    for w in parsed.warnings:
        where = " ".join(
            t for t in (f"{w.line:>5}行目" if w.line else "", f"列「{w.column}」" if w.column else "") if t
        )
        about = f"{w.subject}: " if w.subject else ""
        print(f"{where}  注意: {about}{w.message}")
    for u in parsed.unusual:
        print(f"{u.line:>5}行目  確認済み 列「{u.column}」: {u.subject}: {u.message}")
    counts = plan.counts
    summary = "、".join(f"{k} {counts.get(k, 0)}件" for k in ("新規", "変更", "変更なし"))
    print(f"{name}: {summary}(読み飛ばし {len(parsed.skipped)}行)")
    if parsed.dashes:
        print(
            f"「－」の {parsed.dashes} か所は値なしとして読み飛ばしました。0 として記録するには --dash-as-zero を付けます。"
        )


def _cmd_import(args: argparse.Namespace) -> int:
    import getpass

    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.queries import indicators
    from kamiplan.records.actuals_file import UnusualValuesError
    from kamiplan.records.actuals_io import commit_import, plan_import
    from kamiplan.records.actuals_store import ActualsStore

    folder = data_dir(args.data_dir)
    name = Path(args.file).name
    data = _read_file(args.file)
    store = ActualsStore(folder)
    try:
        plan = plan_import(data, name, indicators(PlanDB(folder).cursor()), store, _read_options(args))
    except UnusualValuesError as exc:
        exc.problems.append(
            Problem(
                "値を確かめて直すか、このまま記録してよければ --accept-unusual を付けてもう一度実行してください"
                "(単位の違う値は計画の単位に換算して記録します)"
            )
        )
        raise
    _print_import(name, plan)
    if args.dry_run:
        print("確認のみ(--dry-run): 何も書き込んでいません。")
        return 0
    if not plan.changes:
        print("変更はありません。何も書き込んでいません。")
        return 0
    result = commit_import(plan, store, by=args.by or getpass.getuser(), filename=name)
    print(f"保存しました: {result.changed}件(変更番号 {result.revision})")
    return 0


def _project_year(text: str) -> int:
    from kamiplan.records.project_file import read_fiscal_year

    year, reason = read_fiscal_year(text)
    if year is None:
        raise argparse.ArgumentTypeError(reason)
    return year


def _line_ranges(lines: list[int]) -> str:
    """[4, 5, 6, 9] → 「4〜6・9行目」."""
    spans: list[list[int]] = []
    for n in sorted(lines):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return "・".join(f"{a}〜{b}" if a != b else f"{a}" for a, b in spans) + "行目"


def _print_project_import(plan) -> None:
    from kamiplan.labels import PROJECT_IGNORED
    from kamiplan.records.actuals_io import STATUS_UNCHANGED
    from kamiplan.records.project_file import SKIP_NOT_ENTERED

    for read in plan.parsed.files:
        header = "・".join(f"{n}行目" for n in read.header_lines)
        print(f"{read.name}: {read.source_label}(見出し {header})")
        for row in plan.rows:
            if row.file != read.name or row.state == STATUS_UNCHANGED:
                continue
            remarks = f"  ({'。'.join(row.remarks)})" if row.remarks else ""
            print(
                f"{row.line:>5}行目  {row.state}  {row.name}({row.action_id}) {row.year_label}: {row.summary()}{remarks}"
            )
        mine = [s for s in plan.skipped if s.file == read.name]
        for s in mine:
            if s.kind == SKIP_NOT_ENTERED:
                continue
            where = f" 列「{s.column}」" if s.column else ""
            text = f" {s.text}" if s.text else ""
            print(f"{s.line:>5}行目  読み飛ばし{where}: {s.reason}{text}")
        blank = [s.line for s in mine if s.kind == SKIP_NOT_ENTERED]
        if blank:
            print(f"読み飛ばし(未入力、記録する列がすべて空欄): {_line_ranges(blank)}({len(blank)}行)")
        if read.ignored_columns:
            print(PROJECT_IGNORED.format(columns="".join(f"「{c}」" for c in read.ignored_columns)))
        for n in plan.notices:
            if n.file == read.name and not n.subject:
                where = " ".join(
                    t for t in (f"{n.line:>5}行目" if n.line else "", f"列「{n.column}」" if n.column else "") if t
                )
                print(f"{where}  注意: {n.message}")
    for u in plan.unusual:
        print(f"{u.file} {u.line}行目  確認済み 列「{u.column}」: {u.subject}: {u.message}")
    counts = plan.counts
    summary = "、".join(f"{k} {v}件" for k, v in counts.items())
    print(f"{'・'.join(plan.filenames)}: {summary}(読み飛ばし {len(plan.skipped)}行)")


def _file_names(paths: list[str]) -> list[str]:
    """Each file by its name, or by the path given when two files share a name (messages must tell them apart)."""
    names = [Path(p).name for p in paths]
    return [name if names.count(name) == 1 else path for name, path in zip(names, paths, strict=True)]


def _cmd_import_projects(args: argparse.Namespace) -> int:
    import getpass

    from kamiplan.labels import PROJECT_UNUSUAL_CLI
    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.queries import actions
    from kamiplan.records.projects import ProjectStore
    from kamiplan.records.projects_io import UnusualAmountsError, commit_project_import, plan_project_import

    folder = data_dir(args.data_dir)
    files, problems = [], []
    for name, path in zip(_file_names(args.files), args.files, strict=True):
        try:
            files.append((name, _read_file(path)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    store = ProjectStore(folder)
    try:
        plan = plan_project_import(
            files,
            actions(PlanDB(folder).cursor()),
            store,
            year=args.year,
            sheet=args.sheet,
            accept_unusual=args.accept_unusual,
        )
    except UnusualAmountsError as exc:
        exc.problems.append(Problem(PROJECT_UNUSUAL_CLI))
        raise
    _print_project_import(plan)
    if args.dry_run:
        print("確認のみ(--dry-run): 何も書き込んでいません。")
        return 0
    if not plan.changes:
        print("変更はありません。何も書き込んでいません。")
        return 0
    result = commit_project_import(plan, store, by=args.by or getpass.getuser())
    print(f"保存しました: {result.changed}件(変更番号 {result.revision})")
    return 0


def _cmd_export_projects(args: argparse.Namespace) -> int:
    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.queries import actions
    from kamiplan.records.projects import ProjectStore
    from kamiplan.records.projects_io import project_export_frame

    folder = data_dir(args.data_dir)
    frame = project_export_frame(actions(PlanDB(folder).cursor()), ProjectStore(folder).records())
    _write_csv(frame, args.encoding, args.out)
    print(f"事業の評価 {len(frame)}件(事業・年度)", file=sys.stderr)
    return 0


def _cmd_project_template(args: argparse.Namespace) -> int:
    from kamiplan.labels import PROJECT_TEMPLATE_EXTENSION
    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.periods import year_label
    from kamiplan.plan.queries import actions
    from kamiplan.records.projects import ProjectStore
    from kamiplan.records.projects_io import project_template, template_rows
    from kamiplan.storage import atomic_write

    if Path(args.out).suffix.lower() != ".xlsx":
        raise InputError([Problem(PROJECT_TEMPLATE_EXTENSION, args.out)])
    folder = data_dir(args.data_dir)
    args.department = (args.department or "").strip() or None  # 「保健福祉課　」 typed with a full-width space
    plan_actions, records = actions(PlanDB(folder).cursor()), ProjectStore(folder).records()
    rows = template_rows(plan_actions, records, args.year, args.department)
    atomic_write(Path(args.out), project_template(plan_actions, records, args.year, args.department))
    who = f"担当課「{args.department}」と担当課が未定の事業" if args.department else "すべての事業(再掲を除く)"
    print(f"書き出しました: {args.out}({year_label(args.year)}年度、{who} {len(rows)}行)", file=sys.stderr)
    return 0


def _write_output(data: bytes, out: str | None) -> None:
    if out:
        from kamiplan.storage import atomic_write

        atomic_write(Path(out), data)
        print(f"書き出しました: {out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)


def _write_csv(frame, encoding: str, out: str | None) -> None:
    """Write a CSV export; for Shift_JIS, say on stderr which characters were replaced by look-alikes."""
    from kamiplan.labels import CP932_ADVICE_CLI
    from kamiplan.outputs.export import substitution_note, to_csv_export

    export = to_csv_export(frame, encoding)
    _write_output(export.data, out)
    note = substitution_note(export, CP932_ADVICE_CLI)
    if note:
        print(note, file=sys.stderr)


def _cmd_export_actuals(args: argparse.Namespace) -> int:
    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.queries import indicators
    from kamiplan.records.actuals_io import export_frame
    from kamiplan.records.actuals_store import ActualsStore

    folder = data_dir(args.data_dir)
    frame = export_frame(indicators(PlanDB(folder).cursor()), ActualsStore(folder).current())
    _write_csv(frame, args.encoding, args.out)
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from kamiplan.plan import queries
    from kamiplan.plan.db import PlanDB
    from kamiplan.records.actuals_io import template_frame

    con = PlanDB(data_dir(args.data_dir)).cursor()
    info = queries.plan_info(con)
    frame = template_frame(queries.indicators(con), range(int(info["start_year"]), int(info["end_year"]) + 1))
    _write_csv(frame, args.encoding, args.out)
    return 0


def _workers() -> int:
    """Worker processes drawing chart images besides this one: one a core (vl-convert draws one chart at a
    time per process)."""
    import os

    return max((os.cpu_count() or 1) - 1, 0)


def _cmd_export_report(args: argparse.Namespace) -> int:
    # vl-convert alone (no pandas, no Altair): when every chart will be drawn (a cold cache), the drawing
    # worker starts its engine now, while this process imports the rest and builds the first specs.
    from kamiplan.outputs import render_cache

    with render_cache.Drawers(_workers(), render_cache.font_dir(), warm_up=not render_cache.drawn_before()) as drawers:
        from kamiplan.outputs import charts
        from kamiplan.outputs.print_report import build_html
        from kamiplan.plan.db import PlanDB
        from kamiplan.records.actuals_store import ActualsStore
        from kamiplan.records.projects import ProjectStore

        folder = data_dir(args.data_dir)
        con, actuals = PlanDB(folder).cursor(), ActualsStore(folder).current()
        with charts.unchecked_building():
            year, projects = args.year or _default_year(con, actuals), ProjectStore(folder).current()
            html = build_html(con, actuals, year, projects, drawers=drawers)
    from kamiplan.storage import atomic_write

    atomic_write(Path(args.out), html.encode("utf-8"))
    print(f"書き出しました: {args.out}(印刷用レポート、A4 縦。ブラウザで開いて印刷してください)", file=sys.stderr)
    return 0


def _cmd_review_sheet(args: argparse.Namespace) -> int:
    from kamiplan.outputs.review_sheet import review_workbook
    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.periods import year_label
    from kamiplan.records.actuals_store import ActualsStore
    from kamiplan.records.projects import ProjectStore
    from kamiplan.storage import atomic_write

    folder = data_dir(args.data_dir)
    data = review_workbook(
        PlanDB(folder).cursor(), ActualsStore(folder).current(), ProjectStore(folder).current(), args.year
    )
    atomic_write(Path(args.out), data)
    print(
        f"書き出しました: {args.out}(効果検証シート、{year_label(args.year)}年度。総括・指標・事業の3シート、A4 横)",
        file=sys.stderr,
    )
    return 0


def _cmd_snapshot(args: argparse.Namespace) -> int:
    from kamiplan.outputs import charts
    from kamiplan.outputs.snapshot import snapshot
    from kamiplan.plan.db import PlanDB
    from kamiplan.plan.periods import year_label
    from kamiplan.records.actuals_store import ActualsStore
    from kamiplan.records.projects import ProjectStore

    folder = data_dir(args.data_dir)
    con, actuals = PlanDB(folder).cursor(), ActualsStore(folder).current()
    with charts.unchecked_building():
        result = snapshot(
            con,
            actuals,
            Path(args.out),
            args.year or _default_year(con, actuals),
            args.force,
            progress=True,
            projects=ProjectStore(folder).current(),
            workers=_workers(),
        )
    print(
        f"書き出しました: {result.out}({result.files}ファイル、{result.size / 1_000_000:.1f} MB、"
        f"評価年度 {year_label(result.year)}年度)。index.html をブラウザで開いてください",
        file=sys.stderr,
    )
    return 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from kamiplan.synth import LABEL, synthesize

    counts = synthesize(Path(args.out), args.indicators, args.years, args.pillars, args.seed)
    print(
        f"{LABEL}を作りました: {args.out}(指標 {counts['indicators']}行・基本計画 {counts['policies']}・"
        f"施策 {counts['measures']}・事業 {counts['actions']}行・実績 {counts['actuals']}件)"
    )
    print(f"ダッシュボードで見る: python -m kamiplan serve --data-dir {args.out}")
    return 0


def _read_new_password(stdin) -> str:
    """Twice without echo at a terminal; else the first line of standard input (scripts and tests)."""
    import getpass

    from kamiplan import labels

    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    first = getpass.getpass(labels.SET_PASSWORD_PROMPT)
    if first and getpass.getpass(labels.SET_PASSWORD_CONFIRM) != first:
        raise InputError([Problem(labels.SET_PASSWORD_MISMATCH)])
    return first


def _cmd_set_password(args: argparse.Namespace) -> int:
    from kamiplan import labels
    from kamiplan.app import auth

    path = Path(args.secrets) if args.secrets else auth.SECRETS_FILE
    password = _read_new_password(sys.stdin)
    if not password:
        raise InputError([Problem(labels.SET_PASSWORD_EMPTY)])
    if problem := auth.password_problem(password, auth.example_password()):
        raise InputError([Problem(problem + labels.SET_PASSWORD_TRY_AGAIN)])
    update = auth.write_password_hash(path, auth.hash_password(password))
    print(labels.SET_PASSWORD_DONE.format(path=path))
    if update.created:
        print(labels.SET_PASSWORD_CREATED)
    if update.removed_plain:
        print(labels.SET_PASSWORD_REMOVED_PLAIN)
    print(labels.SET_PASSWORD_RESTART)
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from kamiplan.app import server

    return server.serve(args.port, args.address, args.data_dir, args.streamlit_options)


def _add_read_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sheet", help="Excel ブックのシート名(既定: 最初のシート)")
    p.add_argument(
        "--dash-as-zero",
        action="store_true",
        help="統計表の「－」(該当なし)を 0 として記録する(既定: 値なしとして読み飛ばす)",
    )
    p.add_argument(
        "--accept-unusual",
        action="store_true",
        help="単位や桁がいつもと違う値(98000人 を 万人の指標に、など)を確認済みとして記録する(単位は換算する)",
    )


class _JapaneseHelp(argparse.HelpFormatter):
    """argparse's own words in Japanese (「usage:」「options:」 read as English leftovers to staff)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse builds a subcommand's name from the parent's usage with prefix "": keep that one empty
        # (「使い方: 使い方: python -m kamiplan import」 otherwise).
        return super().add_usage(usage, actions, groups, prefix="使い方: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _JapaneseHelp)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "引数"
        self._optionals.title = "オプション"
        self.add_argument("-h", "--help", action="help", help="この説明を表示して終わる")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"エラー: {_japanese_argparse(message)}\n")


def _japanese_argparse(message: str) -> str:
    """The common argparse errors in Japanese; anything else as it is."""
    import re

    rules = (
        (r"the following arguments are required: (.+)", r"次の指定が必要です: \1"),
        (r"argument (\S+): invalid choice: (.+) \(choose from (.+)\)", r"\1 には \3 のどれかを指定します(指定: \2)"),
        (r"argument (\S+): expected one argument", r"\1 のあとに値を書いてください"),
        (r"unrecognized arguments: (.+)", r"分からない指定があります: \1"),
        (r"argument (\S+): (.+)", r"\1: \2"),
    )
    for pattern, replacement in rules:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message).replace("'", "")
    return message.replace("'", "")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m kamiplan",
        description="上砂川町 総合計画・総合戦略の進捗管理 (kamiplan)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="コマンド", parser_class=_Parser)
    sub.title = "コマンド"

    p = sub.add_parser(
        "serve",
        help="ダッシュボードを起動する(Windows でも。ブラウザで開くアドレスを表示し、Ctrl+C で止める)",
        description=(
            "ダッシュボードを起動します(scripts/dashboard.sh と同じ。Windows でも Linux・macOS でも同じコマンドです)。"
            "起動したら、ブラウザで開くアドレスを表示します。止めるには Ctrl+C を押します。"
            "Streamlit の設定は、そのまま後ろに付けられます(例: --server.maxUploadSize 5)。"
        ),
    )
    p.add_argument("--port", type=int, default=8501, help="ポート番号(既定: 8501)")
    p.add_argument(
        "--address",
        default="127.0.0.1",
        help="待ち受けるアドレス(既定: 127.0.0.1 = このパソコンだけ。町のネットワークに公開するときは 0.0.0.0)",
    )
    p.add_argument("--data-dir", help="データフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    p.set_defaults(func=_cmd_serve, streamlit_options=[])

    p = sub.add_parser("build-data", help="計画書から計画のテーブル(parquet)を作り直す")
    p.add_argument("--data-dir", help="出力先のデータフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    p.add_argument("--source-dir", help="計画書と補足情報のフォルダ(既定: <データフォルダ>/source)")
    p.set_defaults(func=_cmd_build_data)

    p = sub.add_parser("report", help="指定した年度の全指標の進捗(計画線・進捗率・達成率・評価・見込み)を出力する")
    p.add_argument(
        "--year",
        type=_year,
        help="評価する年度(例: 2026, R8, 令和8年度。既定: 多くの指標の実績がそろった最新の年度)",
    )
    p.add_argument("--actuals", help="実績のファイル(CSV か Excel。指定すると保存せずにこのファイルで評価する)")
    p.add_argument("--format", choices=("csv", "table"), default="table", help="出力形式(既定: table)")
    p.add_argument("--data-dir", help="データフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    _add_read_options(p)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("import", help="実績のファイル(CSV・Excel)を取り込む(全行が正しいときだけ保存する)")
    p.add_argument("file", metavar="ファイル", help="実績のファイル(CSV・タブ区切り・Excel ブック .xlsx)")
    p.add_argument("--dry-run", action="store_true", help="変更内容を表示するだけで保存しない")
    _add_read_options(p)
    p.add_argument("--by", help="記録者の名前(既定: ログインユーザー名)")
    p.add_argument("--data-dir", help="データフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("export-report", help="印刷用の進捗レポート(HTML、A4 縦、大綱ごとに改ページ)を書き出す")
    p.add_argument(
        "--year",
        type=_year,
        help="評価する年度(例: 2026, R8, 令和8年度。既定: 多くの指標の実績がそろった最新の年度)",
    )
    p.add_argument("--out", required=True, help="出力ファイル(例: 進捗レポート.html)")
    p.add_argument("--data-dir", help="データフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    p.set_defaults(func=_cmd_export_report)

    p = sub.add_parser(
        "review-sheet",
        help="外部有識者会議用の効果検証シート(Excel: 総括・指標・事業、委員意見・対応方針の欄つき)を書き出す",
    )
    p.add_argument("--year", type=_year, required=True, help="評価する年度(例: 2025, R7, 令和7年度)")
    p.add_argument("--out", required=True, help="出力ファイル(例: 効果検証シート.xlsx)")
    p.add_argument("--data-dir", help="データフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    p.set_defaults(func=_cmd_review_sheet)

    p = sub.add_parser(
        "snapshot", help="ネットワークなしで見られる静的なサイト(概要・大綱・発表用スライド・CSV)をフォルダに書き出す"
    )
    p.add_argument("--out", required=True, help="出力先のフォルダ(新しいフォルダか空のフォルダ)")
    p.add_argument(
        "--year", type=_year, help="評価する年度(例: 2026, R8, 令和8年度。既定: 多くの指標の実績がそろった最新の年度)"
    )
    p.add_argument("--force", action="store_true", help="以前に書き出したスナップショットのフォルダを置き換える")
    p.add_argument("--data-dir", help="データフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    p.set_defaults(func=_cmd_snapshot)

    p = sub.add_parser(
        "synth", help="ベンチマーク用の合成データ(計画の表と実績)を空のフォルダに作る(data/ には書かない)"
    )
    p.add_argument("--indicators", type=int, default=1000, help="指標の行数(既定: 1000)")
    p.add_argument("--years", type=int, default=20, help="計画期間の年数(2029年度まで、既定: 20)")
    p.add_argument("--pillars", type=int, default=4, help="大綱の数(既定: 4)")
    p.add_argument("--seed", type=int, default=0, help="乱数の種(同じ値なら同じデータ、既定: 0)")
    p.add_argument("--out", required=True, help="出力先(空のフォルダ。data/ は不可)")
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser(
        "set-password",
        help="実績の入力に使う編集用パスワードを設定する(secrets.toml に scrypt のハッシュだけを書く)",
        description=(
            "編集用パスワードを2回(画面に表示せずに)たずね、scrypt のハッシュを secrets.toml の [kamiplan] "
            "edit_password_hash の行に書きます。ほかの行とコメントはそのまま残し、パスワードをそのまま書いた "
            "edit_password の行があれば削除します。ファイルがなければ、所有者だけが読み書きできるファイル(0600)を作ります。"
            "12文字未満のパスワードと、設定例(secrets.toml.example)のパスワードは受け付けません。"
            "標準入力が端末でないとき(パイプ・スクリプト)は、たずねずに標準入力の1行目をパスワードとして読みます。"
        ),
    )
    p.add_argument(
        "--secrets",
        help="書き込む設定ファイル(既定: プロジェクトの .streamlit/secrets.toml)",
    )
    p.set_defaults(func=_cmd_set_password)

    p = sub.add_parser(
        "import-projects",
        help="事業の評価のファイル(CSV・Excel。複数可)を取り込む(全ファイルの全行が正しいときだけ保存する)",
    )
    p.add_argument(
        "files", nargs="+", metavar="ファイル", help="事業の評価のファイル(CSV・タブ区切り・Excel ブック .xlsx)"
    )
    p.add_argument("--dry-run", action="store_true", help="変更内容を表示するだけで保存しない")
    p.add_argument("--year", type=_project_year, help="年度の列がないファイルの年度(例: R7, 令和7年度, 2025)")
    p.add_argument("--sheet", help="Excel ブックのシート名(既定: 表示されている最初のシート)")
    p.add_argument(
        "--accept-unusual",
        action="store_true",
        help="予算額の1.5倍を超える決算額を、確かめたものとして記録する",
    )
    p.add_argument("--by", help="記録者の名前(既定: ログインユーザー名)")
    p.add_argument("--data-dir", help="データフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    p.set_defaults(func=_cmd_import_projects)

    p = sub.add_parser("export-projects", help="記録済みの事業の評価を取り込みと同じ形式の CSV で書き出す")
    p.add_argument("--out", required=True, help="出力ファイル(例: 事業の評価.csv)")
    p.add_argument(
        "--encoding", choices=("utf-8-sig", "cp932"), default="utf-8-sig", help="文字コード(既定: BOM付き UTF-8)"
    )
    p.add_argument("--data-dir", help="データフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    p.set_defaults(func=_cmd_export_projects)

    p = sub.add_parser(
        "project-template",
        help="事業の評価の入力用ひな形(Excel ブック。前年度の担当課・今後の方向性を記入済み)を書き出す",
    )
    p.add_argument("--year", type=_project_year, required=True, help="評価する年度(例: 2025, R7, 令和7年度)")
    p.add_argument("--department", help="担当課(指定するとその課の事業と、担当課が未定の事業だけ。既定: すべての事業)")
    p.add_argument("--out", required=True, help="出力ファイル(.xlsx。例: 事業の評価_R7.xlsx)")
    p.add_argument("--data-dir", help="データフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
    p.set_defaults(func=_cmd_project_template)

    for name, func, help_text in (
        ("export-actuals", _cmd_export_actuals, "記録済みの実績を取り込みと同じ形式の CSV で書き出す"),
        ("template", _cmd_template, "実績入力用のひな形 CSV(全指標・計画期間の各年度)を書き出す"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--out", help="出力ファイル(既定: 標準出力)")
        p.add_argument(
            "--encoding", choices=("utf-8-sig", "cp932"), default="utf-8-sig", help="文字コード(既定: BOM付き UTF-8)"
        )
        p.add_argument("--data-dir", help="データフォルダ(既定: $KAMIPLAN_DATA_DIR または data/)")
        p.set_defaults(func=func)
    return parser


def _utf8_when_redirected() -> None:
    """Output written to a file or a pipe is UTF-8 on every system. On Windows Python would write the
    console's code page (cp932) and stop at the first character it lacks (「—」 in the plan's texts:
    ``report > 進捗.txt`` failed); the console itself is left as it is."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and not stream.isatty() and (stream.encoding or "").lower() != "utf-8":
            stream.reconfigure(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; refused input prints every problem in Japanese and exits with 1."""
    _utf8_when_redirected()
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        if args.command != "serve":  # only serve passes options on (to Streamlit)
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.streamlit_options = extra
    try:
        return args.func(args)
    except InputError as exc:
        print("エラー: 入力を受け付けませんでした。何も書き込んでいません。", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
