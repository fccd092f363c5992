"""Everything a user reads, in Japanese, in one place."""

from __future__ import annotations

APP_TITLE = "上砂川町 総合計画 進捗管理"

GRADES = ("A", "B", "C", "D", "N")
GRADE_LABELS = {"A": "達成", "B": "順調", "C": "やや遅れ", "D": "遅れ", "N": "評価不能"}
# Shape and word as well as colour (colour-blind safe): ◎ 達成, ○ 順調, △ やや遅れ, × 遅れ, − 評価不能.
GRADE_SYMBOLS = {"A": "◎", "B": "○", "C": "△", "D": "×", "N": "−"}


def grade_text(grade: str) -> str:
    """The grade as symbol and word, e.g. ``◎ 達成`` (tables, legends, badges, filters)."""
    return f"{GRADE_SYMBOLS[grade]} {GRADE_LABELS[grade]}"


DIRECTION_LABELS = {"higher": "高いほど良い", "lower": "低いほど良い"}
KIND_LABELS = {
    "level": "水準",
    "cumulative": "5か年合計(累計で表示)",
    "maintain": "維持",
    "relative": "全道平均との差",
}
YEAR_BASIS_LABELS = {"fiscal_year": "年度", "calendar_year": "年(暦年)", "point_in_time": "時点"}
SECTION_LABELS = {
    "vision": "成果目標(将来像の実現)",
    "population": "人口減少対策への効果",
    "satisfaction": "施策の推進(満足度)",
    "target": "数値目標",
    "kpi": "重要業績評価指標(KPI)",
}

PROGRESS_FORMULAS = {
    "linear": "進捗率 =(実績−基準値)÷(目標値−基準値)×100",
    "cumulative": "進捗率 = 累計÷目標値(5か年合計)×100",
}
ACHIEVEMENT_FORMULAS = {
    "higher": "達成率 = 実績÷目標値×100",
    "lower": "達成率 = 目標値÷実績×100",
}

# Column headers of the report and of CSV exports.
REPORT_COLUMNS = {
    "indicator_id": "指標ID",
    "pillar": "大綱",
    "policy": "基本計画",
    "section": "区分",
    "name": "指標名",
    "unit": "単位",
    "kind": "種類",
    "direction": "方向",
    "baseline_value": "基準値",
    "baseline_year": "基準年",
    "target_value": "目標値",
    "target_year": "目標年",
    "year": "評価年",
    "actual": "実績(累計)",
    "expected": "計画線上の値",
    "progress_pct": "進捗率(%)",
    "progress_formula": "進捗率の式",
    "achievement_pct": "達成率(%)",
    "achievement_formula": "達成率の式",
    "grade": "評価",
    "grade_label": "評価(言葉)",
    "projected": "このペースでの目標年の見込み",
    "projected_meets": "見込みで目標達成",
}

# Downloads of chart images and of the printable report.
DOWNLOAD_PNG = "画像(PNG)で保存"
DOWNLOAD_SVG = "画像(SVG)で保存"
IMAGES_UNAVAILABLE = "グラフを画像で保存できません"
DOWNLOAD_REPORT = "印刷用レポート(HTML・A4縦)をダウンロード"
NO_ACTUALS = "まだ実績が記録されていません。グラフには計画書の基準値・計画線・目標値だけを表示しています。"
# The part of a trajectory chart below the plan years that shows values recorded before the baseline year.
HISTORY_TITLE = "これまでの推移(参考)"
PLAN_PERIOD = "計画期間"
# How to read a trajectory chart (the dashboard README, the printable report and the snapshot say the same).
CHART_LEGEND = (
    "●基準値、破線=基準値から目標値への計画線、◆目標値、青の線と点=実績(5か年合計の指標は累計)、"
    "点線=このペースでの見込み、縦の点線=評価年度、右上=評価。基準年より前の実績があれば、下の「これまでの推移(参考)」に"
    "灰色で、年の間隔どおりに、別の目盛りで示します(水色の帯=計画期間)。"
    "アンケートの指標の水色の帯=調査の誤差の目安(この幅の中の変化は「横ばい」)。"
)
GRADE_LEGEND = "評価: ◎ 達成・○ 順調(計画線どおりか上回る)・△ やや遅れ・× 遅れ・− 評価不能(実績なし)"

# Shift_JIS (cp932) exports: characters it lacks are written as look-alikes (kamiplan.cp932); the user is told.
CP932_SUBSTITUTED = "Shift_JIS にない文字を含むセルが {cells} つあり、似た文字に置き換えました({pairs})。"
CP932_NO_LOOKALIKE = "似た文字のないものは 〓 にしました。"
CP932_ADVICE = "正確な文字が必要なときは UTF-8 を選んでください。"
CP932_ADVICE_CLI = "正確な文字が必要なときは --encoding utf-8-sig で書き出してください。"
CP932_MORE_KINDS = "ほか {n} 種類"
CP932_CHAR_NAMES = {" ": "半角スペース", "\u3000": "全角スペース"}


def indicator_ref(indicator) -> str:
    """How messages name an indicator: its label as the plan prints it, ID in brackets (``人口(0-V1)``)."""
    return f"{indicator['label']}({indicator['indicator_id']})"


# -- importing files: what the preview says about lines it did not use and values it questions --------
# Why a line of a file was not used (kamiplan.layout kinds).
SKIP_REASONS = {
    "above": "見出し行より上の行(表題など)",
    "blank": "空行",
    "note": "注記の行(注・※・出典など)",
    "heading": "値のない見出しの行",
    "no_value": "値なし",
    "total": "合計の行(指標ではありません)",
    "header_again": "見出しの繰り返し",
    "same_series": "同じ指標の2つ目の行",
}
# What a "no value" mark of a statistics table means (kamiplan.values kinds).
NA_MEANINGS = {
    "blank": "空欄",
    "dash": "該当なし(0 の意味のこともあります)",
    "unknown": "不詳・未集計",
    "secret": "秘匿(x)",
    "hidden": "表示なし(***)",
}
IMPORT_OPTION_DASH = "「－」(該当なし)を 0 として記録する"
IMPORT_OPTION_DASH_HELP = (
    "統計表では「－」が「0(該当なし)」を意味することがあります。表の注記で確かめてから選んでください。"
    "選ばなければ「－」の行は値なしとして読み飛ばします。"
)
UNUSUAL_HEADING = "単位や桁がいつもと違う値があります。確かめてください。"
UNUSUAL_CONFIRM = "上の値を確認しました。このまま記録します"
UNUSUAL_FORM_CONFIRM = "単位や桁がいつもと違う値も、確かめたうえで保存する"


def timestamp_text(iso: str) -> str:
    """``2026-11-30T04:16:25+09:00`` → ``2026年11月30日 04:16`` (times are recorded in Japan time)."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment.hour:02d}:{moment.minute:02d}"


UNUSUAL_FORM_HELP = (
    "単位の違う値(例: 万人の指標に 98000人)や、基準値・目標値から10倍以上離れた値は、確認するまで保存しません。"
    "単位の違う値は、この指標の単位に換算して保存します。"
)
