"""Everything a user reads, in Japanese, in one place."""

from __future__ import annotations

APP_TITLE = "上砂川町 総合計画 進捗管理"

GRADES = ("A", "B", "C", "D", "N")
GRADE_LABELS = {"A": "達成", "B": "順調", "C": "やや遅れ", "D": "遅れ", "N": "評価不能"}
# Shape and word as well as colour (colour-blind safe): ◎ 達成, ○ 順調, △ やや遅れ, × 遅れ, − 評価不能.
GRADE_SYMBOLS = {"A": "◎", "B": "○", "C": "△", "D": "×", "N": "−"}


WITHIN_BAND_NOTE = "(誤差の範囲)"


def grade_word(grade: str, within_band: bool = False) -> str:
    """The grade's word: ``順調``, or ``順調(誤差の範囲)`` for a survey result within the sampling band."""
    return GRADE_LABELS[grade] + (WITHIN_BAND_NOTE if within_band else "")


def grade_text(grade: str, within_band: bool = False) -> str:
    """The grade as symbol and word, e.g. ``◎ 達成``, ``○ 順調(誤差の範囲)`` (tables, legends, badges, filters)."""
    return f"{GRADE_SYMBOLS[grade]} {grade_word(grade, within_band)}"


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
    "period": "時期",
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
    "アンケートの指標の水色の帯=調査の誤差の目安(計画線からこの幅の中なら「○ 順調(誤差の範囲)」)。"
)
GRADE_LEGEND = "評価: ◎ 達成・○ 順調(計画線どおりか上回る)・△ やや遅れ・× 遅れ・− 評価不能(実績なし)"

# Shift_JIS (cp932) exports: characters it lacks are written as look-alikes (kamiplan.outputs.cp932); the user is told.
CP932_SUBSTITUTED = "Shift_JIS にない文字を {cells} 個のセルで似た文字に置き換えました({pairs})。"
CP932_NO_LOOKALIKE = "似た文字のないものは 〓 にしました。"
CP932_ADVICE = "正確な文字が必要なときは UTF-8 を選んでください。"
CP932_ADVICE_CLI = "正確な文字が必要なときは --encoding utf-8-sig で書き出してください。"
CP932_MORE_KINDS = "ほか {n} 種類"
CP932_CHAR_NAMES = {" ": "半角スペース", "\u3000": "全角スペース"}


def indicator_ref(indicator) -> str:
    """How messages name an indicator: its label as the plan prints it, ID in brackets (``人口(0-V1)``)."""
    return f"{indicator['label']}({indicator['indicator_id']})"


# -- importing files: what the preview says about lines it did not use and values it questions --------
# Why a line of a file was not used (kamiplan.reading.layout kinds).
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
# What a "no value" mark of a statistics table means (kamiplan.plan.values kinds).
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
UNUSUAL_FORM_CONFIRM = "上の値を確かめました。このまま保存します"
UNUSUAL_FORM_HEADING = (
    "単位や桁がいつもと違う値があります。まだ保存していません。確かめたら、表の下のチェックを入れて"
    "もう一度「保存」を押してください(違っていたら表を直して「保存」)。"
)


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


# -- the edit password (kamiplan.app.auth): the page and `python -m kamiplan set-password` say the same ----------
SET_PASSWORD_COMMAND = "python -m kamiplan set-password"
EDIT_READ_ONLY = (
    "このダッシュボードは閲覧専用です。実績を入力するには、管理者が "
    f"`{SET_PASSWORD_COMMAND}` で編集用パスワードを設定してください(README 参照)。"
)
# Why a configured password cannot be used (the edit page adds the heading and the advice; the command adds
# SET_PASSWORD_TRY_AGAIN). Editing stays locked; viewing still works.
PASSWORD_IS_EXAMPLE = (
    "設定例(`.streamlit/secrets.toml.example`)のパスワードのままです。README を読んだ人なら誰でも知っている"
    "パスワードなので使えません。"
)
PASSWORD_TOO_SHORT = (
    "パスワードが短すぎます。推測されにくいように、{n}文字以上にしてください"
    "(漢字・かなも1字と数えます。覚えやすい言葉をいくつか並べた長い文がおすすめです)。"
)
PASSWORD_HASH_MALFORMED = "`edit_password_hash` の形式が正しくありません(途中で切れている、書き換わっているなど)。"
EDIT_REFUSED_HEADING = (
    "編集用パスワードの設定に問題があるため、実績の入力を止めています(閲覧はこれまでどおりできます)。"
)
EDIT_REFUSED_ADVICE = (
    f"管理者の方は、サーバーで `{SET_PASSWORD_COMMAND}` を実行して新しいパスワードを設定し、"
    "ダッシュボードを再起動してください(README「編集用パスワードと公開用の閲覧専用モード」)。"
)
EDIT_PASSWORD_LABEL = "編集用パスワード"
EDIT_LOGIN_BUTTON = "編集を始める"
EDIT_PASSWORD_EMPTY = "パスワードを入力してください。"
EDIT_PASSWORD_WRONG = "パスワードが違います。"
# The count is server-wide (every browser together), so the message does not say "you".
EDIT_LOCKED_OUT = (
    "パスワードが{n}回まちがえて入力されました。1分ほど待ってから、もう一度入力してください(あと{seconds}秒)。"
    "この間は正しいパスワードも受け付けません。"
)

# `python -m kamiplan set-password`
SET_PASSWORD_PROMPT = "新しい編集用パスワード: "
SET_PASSWORD_CONFIRM = "もう一度入力してください: "
SET_PASSWORD_MISMATCH = "2回の入力が違います。もう一度実行してください"
SET_PASSWORD_EMPTY = "パスワードが空です"
SET_PASSWORD_TRY_AGAIN = "別のパスワードで、もう一度実行してください"
SET_PASSWORD_DONE = "編集用パスワードを設定しました: {path}(edit_password_hash の行)"
SET_PASSWORD_CREATED = "ファイルを新しく作りました(所有者だけが読み書きできる設定 0600)。"
SET_PASSWORD_REMOVED_PLAIN = "パスワードをそのまま書いた edit_password の行を削除しました(ハッシュだけを残します)。"
SET_PASSWORD_RESTART = "ダッシュボードを起動中なら、再起動してください(新しいパスワードが確実に使われます)。"
SET_PASSWORD_NOT_TOML = (
    "設定ファイルを TOML として読めないか、edit_password_hash の行だけを書き換えることができないので、何も書き換えません。"
    "ファイルを直してから、もう一度実行してください"
)
SET_PASSWORD_CANNOT_WRITE = "設定ファイルを読み書きできません(権限・場所を確かめてください)"

# ---------------------------------------------------------------------------------------------------
# 事業の評価 (issue 13): the words of the municipal 事務事業評価シート / 総合戦略 効果検証シート.
PROJECT_STATUSES = ("実施", "一部実施", "未実施", "検討中", "完了", "休止", "廃止")
PROJECT_GRADES = {"A": "計画どおり以上", "B": "概ね計画どおり", "C": "遅れ", "D": "大幅な遅れ・未着手"}
PROJECT_DIRECTIONS = ("拡充", "継続", "改善", "縮小", "統合", "休止", "廃止", "完了")
# Column headings of every project table, import file, template and export (one spelling everywhere).
PROJECT_COLUMNS = {
    "action_id": "事業ID",
    "name": "事業名",
    "year": "年度",
    "status": "実施状況",
    "grade": "評価",
    "direction": "今後の方向性",
    "budget": "予算額(千円)",
    "spent": "決算額(千円)",
    "work": "取組内容・実績",
    "outcome": "成果・課題",
    "department": "担当課",
    "summary": "概要",
    "tag": "備考",
}
PROJECT_NOT_ENTERED = "未入力"

# ---------------------------------------------------------------------------------------------------
# 事業の評価: the edit page (tab, table, messages of kamiplan.records.project_editing, change log).
PROJECT_TAB = "事業の評価"
PROJECT_PREVIOUS_DIRECTION = "前年度の方向性"
PROJECT_EMPTY = "(空欄)"
PROJECT_SUMMARY_HELP = "計画書の概要の初めの部分(全文は「実施計画(事業一覧)」のページにあります)"
PROJECT_STATUS_HELP = "・".join(PROJECT_STATUSES)
PROJECT_GRADE_HELP = "、".join(f"{letter} {words}" for letter, words in PROJECT_GRADES.items())
PROJECT_DIRECTION_HELP = "・".join(PROJECT_DIRECTIONS)
PROJECT_PREVIOUS_HELP = "前年度まででいちばん新しい記録の今後の方向性(かっこ内はその年度)"
PROJECT_AMOUNT_HELP = "千円単位。全角の数字、「2,300」「2,300千円」も読み取ります。消すときは空欄に"
PROJECT_DEPARTMENT_HELP = "この年度の記録がない事業には、前年度までに記録した担当課を入れてあります(変えられます)"
PROJECT_REPEAT_CAPTION = "再掲の事業はここでは入力しません。元の事業の行で記録します:"
PROJECT_ALL_REPEATS = "この施策の事業はすべて再掲です。元の事業の施策を選んで記録してください。"
PROJECT_NO_ACTIONS = "この施策には実施計画の事業がありません。ほかの施策を選んでください。"
PROJECT_SAVED = "事業の評価を{n}件保存しました(変更番号 {revision})。"
PROJECT_NOT_RECORDED = "まだ事業の評価は記録されていません。"
PROJECT_HISTORY_HEADING = "変更履歴・元に戻す(事業の評価)"
PROJECT_STALE_HEADING = "保存しませんでした。画面を開いた後に、ほかの人が事業の評価を変えました。"
# Why a cell of the table is refused (each message names the project, its ID, the year and the column).
PROJECT_NOT_A_STATUS = "実施状況は {words} のどれかです"
PROJECT_NOT_A_GRADE = "評価は {words} のどれかです(A〜D の文字だけでも書けます)"
PROJECT_NOT_A_DIRECTION = "今後の方向性は {words} のどれかです"
PROJECT_AMOUNT_NEGATIVE = "金額はマイナスになりません(千円単位の 0 以上の数を書きます)"
PROJECT_AMOUNT_UNREADABLE = (
    "金額として読めません。千円単位の数字だけを書きます(例: 2,300)。説明は「取組内容・実績」の列へ書きます"
)
PROJECT_AMOUNT_OTHER_UNIT = "金額は千円単位で書きます。{written}なら「{thousands}」と書きます"
PROJECT_AMOUNT_NOT_MONEY = "「{unit}」は金額の単位ではありません。千円単位の数字だけを書きます(例: 2,300)"
PROJECT_AMOUNT_NO_VALUE = "金額がないときは空欄にします(0 円なら「0」と書きます)"
PROJECT_AMOUNT_EXCEL_ERROR = "Excel のエラー値です。元の表の数式を確かめ、金額を書いてください"
PROJECT_TEXT_TOO_LONG = "{n}文字を超えています"
PROJECT_UNKNOWN_ROW = "表示していない事業の行です(再掲の事業は元の事業の行で記録します)"
PROJECT_SAME_ROW_TWICE = "同じ事業の行が2つあります"
# The change log of project records, for people.
# What changed first (at 1280×800 the table shows about six columns), then who, when and how.
PROJECT_LOG_COLUMNS = ("変更番号", "事業", "年度", "項目", "変更前", "変更後", "日時", "記録者", "方法")
