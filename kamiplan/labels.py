"""Everything a user reads, in Japanese, in one place."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kamiplan.model.dashboard import DefaultYear

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
# What a kind label adds when the plan's target already names the kind (「6 件 (5 か年合計)」): see kind_beside.
KIND_NOTES = {"cumulative": "累計で表示"}


def _squeezed(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def kind_beside(kind: str, target_label: str) -> str:
    """The kind's words for beside the target as the plan writes it, without saying twice what the target says.

    「目標 6 件 (5 か年合計) ・ 累計で表示」, not 「… ・ 5か年合計(累計で表示)」: when the target's words name the kind
    (spaces and full-width forms aside), only what the kind label adds (:data:`KIND_NOTES`, possibly nothing);
    otherwise the whole label (:data:`KIND_LABELS`).
    """
    label = KIND_LABELS[kind]
    name = label.split("(")[0]
    return KIND_NOTES.get(kind, "") if _squeezed(name) in _squeezed(target_label) else label


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
# Why images cannot be drawn: the font the charts name is missing (kamiplan.outputs.images). What to install
# depends on the computer: the town office runs Windows, the server Debian.
FONT_MISSING = "グラフの画像に使う日本語フォント「{font}」が見つかりません。"
FONT_INSTALL = {
    "win32": (
        "Windows では、Noto Sans CJK JP のフォントファイル(NotoSansCJKjp-Regular.otf など。"
        "https://github.com/notofonts/noto-cjk で配布)を右クリックして「すべてのユーザーに対してインストール」を選ぶか、"
        "フォントファイルを置いたフォルダを環境変数 {env} で指定してください"
        "(Google Fonts の「Noto Sans JP」は名前の違う別のフォントなので使えません)"
    ),
    "other": (
        "Debian/Ubuntu では `sudo apt-get install fonts-noto-cjk`(scripts/setup.sh --browser)で入れるか、"
        "フォントファイル(NotoSansCJK-Regular.ttc など)を置いたフォルダを環境変数 {env} で指定してください"
    ),
}


def font_missing(font: str, env: str, platform: str) -> str:
    """Why images cannot be drawn, with what to install on ``platform`` (``sys.platform``)."""
    advice = FONT_INSTALL["win32" if platform == "win32" else "other"]
    return FONT_MISSING.format(font=font) + advice.format(env=env)


# -- Streamlit's own page parts, in Japanese (kamiplan.app.ui.chrome_css puts the ones below in place) ----
# A mistyped address (/pillar9): the 概要 page opens with this line instead of Streamlit's English 「Page not found」.
PAGE_NOT_FOUND = "「/{path}」というページはありません。概要のページを表示しています。"
SKIP_TO_CONTENT = "本文へ移動"  # the link the Tab key reaches first (Streamlit: 「Skip to main content」)
UPLOAD_BUTTON = "ファイルを選ぶ"  # the file uploaders' button (Streamlit: 「Upload」)
UPLOAD_INSTRUCTIONS = "ここにファイルをドラッグしても選べます"  # beside it (Streamlit: 「2MB per file • CSV, …」)
UPLOAD_DROP_HERE = "ここでファイルを離してください"  # while a file is dragged over (「Drag and drop a file here」)
# Streamlit's own dialog when the page has lost its server (stopped, restarted, the network or the computer asleep):
# 「Connection error — Streamlit server is not responding. Are you connected to the internet?」. It closes by itself
# once the server answers again.
SERVER_LOST_TITLE = "サーバーとつながっていません"
SERVER_LOST_TEXT = (
    "ダッシュボードのサーバーが止まっているか、ネットワークが切れています。つながり直すと、この表示は自動で消えます。"
    "しばらく待っても消えないときは、サーバーを起動してから、このページを読み込み直してください(F5 キー)。"
)

DOWNLOAD_REPORT = "印刷用レポート(HTML・A4縦)をダウンロード"
# In place of a table the filters leave without rows (Streamlit would show its English 「empty」).
TABLE_NO_ROWS = "この絞り込みに当てはまる行はありません。"
# In place of the CSV button when the filters leave the table empty (no file of headings alone). Two lines, broken
# between phrases (Markdown's hard break, two spaces before the newline): the button's column holds about 22
# characters a line at 1280×800, and the browser broke the sentence as 「…ありま」「せん。」.
CSV_NOTHING_TO_DOWNLOAD = "この絞り込みでは、  \nダウンロードする行がありません。"
NO_ACTUALS = "まだ実績が記録されていません。グラフには計画書の基準値・計画線・目標値だけを表示しています。"
# The part of a trajectory chart below the plan years that shows values recorded before the baseline year.
HISTORY_TITLE = "これまでの推移(参考)"
PLAN_PERIOD = "計画期間"
# The fields a point of a trajectory chart tells on hover (and to a screen reader), in order; the value's title
# takes the unit: 「値(人)」. No title may read as a unit: the series field was 「種類」, and 2-1-K4 counts 種類
# (「種類: 実績 / 値(種類): 1.3」). 系列 is the series, as in Excel's グラフ; 区分 names the 成果目標/KPI section.
POINT_FIELDS = {
    "year": "年度",
    "series": "系列",
    "value": "値",
    "expected": "計画線上の値",
    "progress_pct": "進捗率(%)",
    "as_of": "時点",
    "note": "備考",
    "source": "出典",
}
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
# 事業の評価: 効果検証シート (issue 13 item 5): the Excel book for the 外部有識者会議.
REVIEW_TITLE = "{era}年度(R{n}) 効果検証シート"  # 令和7年度(R7) 効果検証シート
REVIEW_SUBTITLE = "評価年度 {year}年度 ・ 作成日 {created}"
REVIEW_SHEETS = {"summary": "総括", "indicators": "指標", "projects": "事業"}
DOWNLOAD_REVIEW_SHEET = "効果検証シート(Excel)をダウンロード"
DOWNLOAD_REVIEW_SHEET_HELP = (
    "外部有識者会議用の Excel ブック(総括・指標・事業の3シート、A4 横で印刷)。指標と事業の表の右端に"
    "「委員意見」「対応方針」の空欄があります。"
)
REVIEW_FILENAME = "効果検証シート_{year}年度.xlsx"
REVIEW_PLAN_WIDE = "計画全体"
REVIEW_TOTAL = "合計"
REVIEW_GROUP = "区分"
REVIEW_COMMITTEE_COLUMNS = ("委員意見", "対応方針")  # left empty for the committee
# 総括: the headings of its four tables and the notes under the title.
REVIEW_INDICATOR_HEADINGS = {"pillar": "指標の評価(大綱ごと)", "policy": "指標の評価(基本計画ごと)"}
REVIEW_PROJECT_HEADINGS = {
    "pillar": "事業の評価・実施状況(大綱ごと)",
    "policy": "事業の評価・実施状況(基本計画ごと)",
}
REVIEW_NOTES = (
    "指標の" + GRADE_LEGEND + "。計画書の{rows}行の指標を掲載の場所ごとに数えます(2か所に載る指標は両方で数えます)。"
    "5か年合計の指標は、「評価に用いた実績」と「計画線上の値」が R7 からの累計です。",
    "事業の評価: "
    + "・".join(f"{letter} {words}" for letter, words in PROJECT_GRADES.items())
    + "。実施計画の行ごとに数え、再掲の行は元の事業の場所で1回だけ数えます。"
    + "予算額・決算額は入力された額の合計(千円)です。",
)
REVIEW_PROJECT_COUNTS = {
    "projects": "事業(行)",
    "entered": "入力済み",
    "grade_none": "未評価",
    "status_none": "未入力",
    "budget": PROJECT_COLUMNS["budget"],
    "spent": PROJECT_COLUMNS["spent"],
    "new": "新規",
    "new_started": "うち新規の着手",
}
# 指標: one row per indicator row of the plan.
REVIEW_INDICATOR_COLUMNS = {
    "indicator_id": "指標ID",
    "pillar": "大綱",
    "policy": "基本計画",
    "section": "区分",
    "name": "指標名",
    "unit": "単位",
    "baseline_value": "基準値",
    "baseline_period": "基準年",
    "target_value": "目標値",
    "target_period": "目標年",
    # then one column per plan year (R7(2025) …), then:
    "actual": "評価に用いた実績",  # the evaluation year's; a 5か年合計 indicator's running total
    "expected": "計画線上の値",
    "progress": "進捗率",
    "achievement": "達成率",
    "grade": "評価",
    "note": "要因分析",
    "source": "出典",
}
REVIEW_CUMULATIVE_TARGET = "(5か年合計)"
# 事業: one row per 実施計画 row (再掲 rows show their original's record).
REVIEW_PROJECT_COLUMNS = {
    "pillar": "大綱",
    "policy": "基本計画",
    "measure": "施策",
    "action_id": PROJECT_COLUMNS["action_id"],
    "name": PROJECT_COLUMNS["name"],
    "summary": PROJECT_COLUMNS["summary"],
    "tag": PROJECT_COLUMNS["tag"],  # 新規・拡充・再掲, as the plan writes it
    "repeat_of": "再掲元",
    "department": PROJECT_COLUMNS["department"],
    "status": PROJECT_COLUMNS["status"],
    "grade": PROJECT_COLUMNS["grade"],
    "budget": PROJECT_COLUMNS["budget"],
    "spent": PROJECT_COLUMNS["spent"],
    "work": PROJECT_COLUMNS["work"],
    "outcome": PROJECT_COLUMNS["outcome"],
    "direction": PROJECT_COLUMNS["direction"],
}
REVIEW_REPEAT_OF = "{action_id} {name}({place})の記録を表示"
REVIEW_YEAR_OUTSIDE = "評価年度は計画期間({start}〜{end}年度)の中で指定してください"


# 事業の評価: files (import, export, template)
def project_ref(action) -> str:
    """How messages name a project row: its name as the plan prints it, ID in brackets (``事業名(1-1-1-01)``)."""
    return f"{action['name']}({action['action_id']})"


# Why a line of a project file was not used (the actuals' reasons, with the words of projects).
PROJECT_SKIP_REASONS = {
    **SKIP_REASONS,
    "heading": "事業のない見出しの行",
    "total": "合計の行(事業ではありません)",
    "not_entered": "未入力(記録する列がすべて空欄)",
    "carried_over": "未入力(前年度から引き継いだ担当課・今後の方向性のまま)",
}
PROJECT_GRADE_CHOICES = "、".join(f"{k}({v})" for k, v in PROJECT_GRADES.items())
PROJECT_FIELD_LABELS = {
    "status": "実施状況",
    "grade": "評価",
    "direction": "今後の方向性",
    "budget": "予算額",
    "spent": "決算額",
    "work": "取組内容・実績",
    "outcome": "成果・課題",
    "department": "担当課",
}
PROJECT_PERIOD = "R7(2025)〜R11(2029)年度"
PROJECT_WORDS_REFUSED = "「{value}」は{what}として選べる言葉ではありません。次のどれかを書いてください: {allowed}"
PROJECT_NO_HEADER = (
    "表の見出し行が見つかりません(最初の{searched}行を探しました)。{seen}"
    "見出しには、事業の列(「事業ID」か「事業名」)と、記録する列(「実施状況」「評価」「今後の方向性」「予算額」"
    "「決算額」「取組内容・実績」「成果・課題」「担当課」のどれか)が必要です"
)
PROJECT_SAME_COLUMN = "同じ意味の列が2つあります(「{a}」と「{b}」)。どちらかの列を消してください"
PROJECT_NO_YEAR = (
    "年度の列がありません。「年度」の列を加えるか、取り込むときに年度を指定してください"
    "(コマンドでは --year R7、画面では年度を選びます)"
)
PROJECT_YEAR_EMPTY = "年度が空です。R7、令和7年度、2025 のように書きます"
PROJECT_YEAR_UNREADABLE = "年度として読めません。R7、令和7年度、2025 のように書きます"
PROJECT_YEAR_OUTSIDE = "{year}は計画期間({period})の外です。事業の評価は計画期間の年度だけ記録します"
PROJECT_YEAR_DIFFERS = "ファイルの年度 {written} と、指定した年度 {given} が違います。どちらが正しいか確かめてください"
PROJECT_EMPTY = "事業が空です。事業ID か事業名を書いてください"
PROJECT_UNKNOWN_ID = "計画にない事業IDです。{maybe}実施計画の事業ID(例: 1-1-1-01)を書きます"
PROJECT_UNKNOWN_NAME = "計画にない事業名です。{maybe}事業IDか、計画書どおりの事業名を書いてください"
PROJECT_MAYBE = "もしかして: {names}。"
PROJECT_AMBIGUOUS = "この事業名の行が実施計画に{n}行あります(概要の違う事業)。「事業ID」の列を加えて、どの行か書いてください: {candidates}"
PROJECT_ID_NAME_DISAGREE = (
    "事業ID「{written_id}」は「{id_name}」の行で、事業名「{written_name}」と合いません。"
    "どちらが正しいか確かめてください"
)
PROJECT_REPEAT_MAPPED = "{repeat} は再掲の行です。元の事業 {original} に記録します"
PROJECT_DUPLICATE = "同じ事業・同じ年度の行が{first}にもあります{why}。どちらか一方にしてください"
PROJECT_DUPLICATE_REPEAT = "({repeat} は {original} の再掲で、同じ事業です)"
PROJECT_TOO_MANY_CELLS = (
    "列の数({cells})が見出し行({width})より多いです。"
    '「1,200」のようにカンマを含む数値は「"」で囲むか、カンマなしで書きます'
)
PROJECT_CELLS_BEYOND = "見出しのない列の内容は読みません:「{text}」"
PROJECT_HIDDEN_ROW = "Excel で非表示にされている行です。値は読み込みました(読み込まないときは行を消します)"
PROJECT_HIDDEN_COLUMN = "Excel で非表示にされている列です。値は読み込みました(読み込まないときは列を消します)"
PROJECT_MERGED_AMOUNT = (
    "結合されたセルの金額です。1つの金額が複数の事業・年度に数えられてしまうため、受け付けません。"
    "セルの結合を解除し、金額はそれぞれのセルに入れてください"
)
PROJECT_MERGED_TEXT = "結合されたセルの値「{value}」を、結合の範囲のほかの行({lines})にも記録します"
PROJECT_TEXT_TOO_LONG = "{limit}文字を超えています({length}文字)。短くしてください"
PROJECT_NO_ROWS = "記録する行がありません{listed}"
PROJECT_NO_DATA = "見出し行だけで、データの行がありません"
PROJECT_UNKNOWN_COLUMN = "見出し「{label}」の列は読みません(記録する列の見出しではありません)"
PROJECT_UNUSUAL = (
    "決算額 {spent}千円 が予算額 {budget}千円 の1.5倍を超えています{ratio}。"
    "円と千円の書き違い、桁の誤りがないか確かめてください。このままでよければ確認してから記録します"
)
PROJECT_UNUSUAL_CLI = "金額を確かめて直すか、このまま記録してよければ --accept-unusual を付けてもう一度実行してください"
PROJECT_UNUSUAL_CONFIRMED = "確認済み: 決算額が予算額の1.5倍を超えています"
PROJECT_DEPARTMENT_UNKNOWN = (
    "担当課「{department}」の記録がありません。記録のある担当課: {known}。"
    "担当課を省くと、すべての事業のひな形を作ります"
)
# Amounts (kamiplan.reading.yen): 千円 by default, as on every 事業評価シート.
YEN_NEGATIVE = "マイナスの金額は記録できません。予算・決算がないときは 0、まだ分からないときは空欄にします"
YEN_UNREADABLE = (
    "金額として読めません。千円単位の数字(1,200)か、単位をつけた金額(1,200,000円・120万円)を書きます"
    "(まだ分からないときは空欄、説明は取組内容・実績の列へ)"
)
YEN_UNIT_UNKNOWN = "数値のあとの「{unit}」を金額の単位として読めません。円・千円・万円・百万円・億円のどれかにします"
YEN_DATE = "金額のセルが日付({value})になっています。Excel でセルの書式を「数値」にして入力し直してください"
YEN_EXCEL_ERROR = "Excel のエラー値です。元の表の数式を確かめ、金額を入れてから保存し直してください"
# The preview (import page and `import-projects`).
PROJECT_PREVIEW_COLUMNS = ("ファイル", "行", "状態", "事業名", "年度", "変更内容", "確認", "事業ID")
PROJECT_CHANGE_COLUMNS = ("ファイル", "行", "事業名", "年度", "項目", "現在", "新しい値", "事業ID")
PROJECT_SKIPPED_COLUMNS = ("ファイル", "行", "理由", "列", "内容")
PROJECT_NOTICE_COLUMNS = ("ファイル", "行", "列", "事業", "内容")
PROJECT_CONVERSION_COLUMNS = ("ファイル", "行", "列", "事業", "換算")
PROJECT_IGNORED = "読まなかった列: {columns}(記録しません)"
PROJECT_CONVERTED = "換算"
# The template (xlsx) sent to each 担当課.
PROJECT_TEMPLATE_SHEET = "事業の評価 {year}"
PROJECT_TEMPLATE_INSTRUCTION = (
    "{year}年度 事業の評価(入力用)。白い列に入力し、このファイルのまま取りまとめ担当へ返してください。"
    "実施状況・評価・今後の方向性はセルの▼から選びます(評価: {grades})。"
    "予算額・決算額は千円単位の数字です。灰色の列(事業ID・事業名・概要・備考・年度)は変えられません。"
    "担当課・今後の方向性は前年度の記録を入れてあります。担当課が決まっていない事業も載せています。"
    "自課の事業でなければ、その行は空欄のままにしてください。"
)
PROJECT_TEMPLATE_LIST_ERROR = "一覧にない言葉です。セルの▼から選んでください"
PROJECT_TEMPLATE_AMOUNT_ERROR = "金額は千円単位の数字(0以上)で入力します"
PROJECT_TEMPLATE_GRADE_PROMPT = "　".join(f"{k} {v}" for k, v in PROJECT_GRADES.items())
PROJECT_TEMPLATE_EXTENSION = "ひな形は Excel ブックです。出力ファイルの名前は .xlsx で終えてください"
# 事業の評価: pages — what the 実施計画, 大綱 and 概要 pages say about the projects' year.
PROJECT_STATUS_HEADING = "事業の実施状況"  # per 基本計画 on a 大綱 page: 「事業の実施状況(R7(2025)年度)」
PROJECT_ROLLUP_HEADING = "事業の実施状況(大綱別)"  # 概要
PROJECT_NOTHING_ENTERED = "{year}年度の事業の評価はまだ入力されていません。"
PROJECT_NOTHING_ENTERED_HERE = "この基本計画の事業は、{year}年度の評価がまだ入力されていません。"
PROJECT_NO_ACTIONS = "この基本計画には実施計画の事業がありません。"
PROJECT_DETAIL_LINK = "詳細"  # the link of a row to its project view
PROJECT_ORIGINAL_LINK = "元の事業を表示"  # the same link on a 再掲 row (it opens the original)
PROJECT_BACK = "事業一覧に戻る"
PROJECT_UNKNOWN = "事業「{asked}」は計画書の実施計画にありません。事業一覧から選んでください。"
PROJECT_SUMMARY_HEADING = "概要(計画書)"
PROJECT_ROWS_HEADING = "この事業の行(計画書で続いている行)"
PROJECT_YEARS_HEADING = "年度ごとの実施状況・評価"
PROJECT_REPEATS_HEADING = "再掲されている場所"
PROJECT_NOT_REPEATED = "この事業はほかの施策に再掲されていません。"

# 事業の評価: files on the edit page
PROJECT_FILES_HEADING = "ファイルで取り込む(担当課へのひな形と、返ってきたファイル)"
PROJECT_TEMPLATE_DEPARTMENT = "ひな形の担当課"
PROJECT_TEMPLATE_ALL = "すべての事業(担当課を選ばない)"
PROJECT_TEMPLATE_BUTTON = "{year}年度のひな形(Excel)"
PROJECT_EXPORT_BUTTON = "記録済みの事業の評価(CSV)"
PROJECT_UPLOAD_LABEL = "返ってきたファイル(CSV・Excel ブック .xlsx。いくつでも、まとめて)"
PROJECT_UPLOAD_HELP = (
    "ひな形のほか、各課の表も読みます(見出しの行は1行目でなくてよい)。年度の列がないファイルは {year}年度として読みます。"
    "1つでも誤りがあれば、どのファイルも保存しません。"
)
PROJECT_UNUSUAL_HEADING = "決算額が予算額の1.5倍を超える行があります。確かめるまで何も保存していません。"
PROJECT_UNUSUAL_CONFIRM = "上の金額を確かめました(このまま記録する)"
PROJECT_FILES_REFUSED = (
    "{names} は受け付けませんでした({n}件の問題)。何も保存していません。直してからもう一度選んでください。"
)
PROJECT_IMPORT_COMMIT = "この内容で保存"
PROJECT_IMPORT_STALE = "保存しませんでした。確認の後に、ほかの人が事業の評価を変えました。"
PROJECT_IMPORT_RECHECK = "今の記録と比べ直す"
PROJECT_IMPORT_DONE = "{names} を取り込みました({n}件、変更番号 {revision})。"
PROJECT_PREVIEW_SUMMARY = (
    "{files}つのファイルを読みました。新規 {new}件・変更 {changed}件・変更なし {same}件・読み飛ばし {skipped}行"
    "(まだ保存していません)"
)
PROJECT_PREVIEW_NO_CHANGE = "変更はありません。ファイルの内容は、すべて記録済みの内容と同じです。"
PROJECT_PREVIEW_CONVERSIONS = "千円に換算した金額:"
PROJECT_PREVIEW_NOTICES = "お知らせ(再掲の行・結合したセル・読まなかった列):"
PROJECT_PREVIEW_UNUSUAL = "確認済みの金額:"
PROJECT_PREVIEW_SKIPPED = "読み飛ばした行({n}行): 記録しません"
# 事業の評価: the edit page (tab, table, messages of kamiplan.records.project_editing, change log).
PROJECT_TAB = "事業の評価"
PROJECT_PREVIOUS_DIRECTION = "前年度の方向性"
PROJECT_SUMMARY_HELP = "計画書の概要の初めの部分(全文は「実施計画(事業一覧)」のページにあります)"
PROJECT_STATUS_HELP = "・".join(PROJECT_STATUSES)
PROJECT_GRADE_HELP = "、".join(f"{letter} {words}" for letter, words in PROJECT_GRADES.items())
PROJECT_DIRECTION_HELP = "・".join(PROJECT_DIRECTIONS)
PROJECT_PREVIOUS_HELP = "前年度まででいちばん新しい記録の今後の方向性(かっこ内はその年度)"
PROJECT_AMOUNT_HELP = "千円単位。全角の数字、「2,300」「2,300千円」も読み取ります。消すときは空欄に"
PROJECT_DEPARTMENT_HELP = "この年度の記録がない事業には、前年度までに記録した担当課を入れてあります(変えられます)"
PROJECT_REPEAT_CAPTION = "再掲の事業はここでは入力しません。元の事業の行で記録します:"
PROJECT_ALL_REPEATS = "この施策の事業はすべて再掲です。元の事業の施策を選んで記録してください。"
PROJECT_MEASURE_NO_ACTIONS = "この施策には実施計画の事業がありません。ほかの施策を選んでください。"
PROJECT_SAVED = "事業の評価を{n}件保存しました(変更番号 {revision})。"
PROJECT_NOT_RECORDED = "まだ事業の評価は記録されていません。"
PROJECT_HISTORY_HEADING = "変更履歴・元に戻す(事業の評価)"
PROJECT_STALE_HEADING = "保存しませんでした。画面を開いた後に、ほかの人が事業の評価を変えました。"
# Why a cell of the table is refused (the words, amounts and lengths say what the file import says:
# PROJECT_WORDS_REFUSED, YEN_*, PROJECT_TEXT_TOO_LONG); each names the project, its ID, the year and the column.
PROJECT_AMOUNT_OTHER_UNIT = "金額は千円単位で書きます。{written}なら「{thousands}」と書きます"
PROJECT_UNKNOWN_ROW = "表示していない事業の行です(再掲の事業は元の事業の行で記録します)"
PROJECT_SAME_ROW_TWICE = "同じ事業の行が2つあります"
# The change log of project records, for people.
# What changed first (at 1280×800 the table shows about six columns), then who, when and how.
PROJECT_LOG_COLUMNS = ("変更番号", "事業", "年度", "項目", "変更前", "変更後", "日時", "記録者", "方法")

# ---------------------------------------------------------------------------------------------------
# 事業の評価: report, snapshot, slides (the roll-up of the year's project records, kamiplan.outputs)
PROJECT_PART_TITLE = "事業の実施状況"
PROJECT_NONE_YET = PROJECT_NOTHING_ENTERED  # the pages say the same
PROJECT_NONE_IN_PILLAR = "この大綱の事業の評価({year}年度)は、まだ入力されていません(事業 {n}件)。"
PROJECT_NOT_GRADED = "未評価"
PROJECT_ENTERED = "事業 {n}件のうち、評価を入力した事業 {entered}件"
PROJECT_COUNT_RULE = (
    "件数は実施計画の事業(表の行)ごとです。再掲の事業は元の事業の大綱・基本計画で1回だけ数えます。"
    "評価を点数にまとめることはしていません。"
)
PROJECT_GRADE_LEGEND = "評価: A 計画どおり以上・B 概ね計画どおり・C 遅れ・D 大幅な遅れ・未着手"
PROJECT_AMOUNT_SUM = "{what}の合計 {total}千円({count}件の合計)"
PROJECT_AMOUNT_NONE = "{what}: 入力なし"
PROJECT_BUDGET = "予算額"
PROJECT_SPENT = "決算額"
PROJECT_NEW_HEADING = "新規事業 {n}件(うち実施・一部実施・完了 {started}件)"
PROJECT_NEW_NONE = "この大綱に新規事業はありません。"
PROJECT_MORE = "ほか {n}件"
PROJECT_SLIDES_OMITTED = "{year}年度の事業の評価はまだ入力されていないため、事業の実施状況のスライドはありません。"
# Columns of the compact roll-up tables (per 大綱 / per 基本計画).
PROJECT_ROLLUP_COLUMNS = {
    "group": "区分",
    "projects": "事業",
    "entered": "入力済み",
    "grade_none": PROJECT_NOT_GRADED,
    "budget": "予算額(千円)",
    "spent": "決算額(千円)",
    "new": "新規",
    "new_started": "うち着手",
}
PROJECT_CSV_LINK = "事業の評価 CSV"

# -- `python -m kamiplan serve` (kamiplan.app.server; serve.py prints the address when the server is up) ----
SERVE_OPEN = "ダッシュボードを起動しました。ブラウザで {url} を開いてください(止めるには Ctrl+C)。"
SERVE_OPEN_LAN = "ほかのパソコンからは {url} で開けます(このパソコンの名前。開けないときは IP アドレスで)。"
SERVE_STOPPED = "ダッシュボードを止めました。"
SERVE_PORT_BUSY = (
    "ポート {port} はほかのプログラム(先に起動したダッシュボードなど)が使っています。"
    "そちらを止めるか、--port {next_port} のように別の番号を指定してください"
)
SERVE_BAD_ADDRESS = "アドレス「{address}」では起動できません({reason})。既定の 127.0.0.1 か、0.0.0.0(町のネットワークに公開)を指定してください"
SERVE_BAD_OPTION = "分からない指定があります: {option}。Streamlit の設定は --server.maxUploadSize 5 のように「--区分.名前 値」で書きます"


# -- 評価年度: the sidebar's choice, and why the year a page opens on is not the latest with data -----------
EVAL_YEAR = "評価年度"
EVAL_YEAR_HELP = (
    "グラフと評価(達成・順調・やや遅れ・遅れ)の基準にする年度。はじめは、多くの指標の実績がそろった最新の年度"
    "(実績の最も多い年度の半数以上の指標に実績がある年度)です"
)
YEAR_DEFAULT_NOTE = (
    "{later}の実績は、まだ{total}指標のうち{first}指標だけです{more}。"
    "そのため評価年度は、{n}指標の実績がある {year}年度にしています({choose})。"
)
YEAR_CHOOSE_SIDEBAR = "上で選べます"
YEAR_CHOOSE_CLI = "ほかの年度は --year で選べます"
YEAR_THIN_NOTE = "{year}年度の実績は、{total}指標のうち{n}指標だけです。実績のない指標は「− 評価不能」になります。"
YEAR_EMPTY_NOTE = "{year}年度の実績は、まだありません。実績のない指標は「− 評価不能」になります。"
YEAR_BEST_NOTE = "多くの指標の実績があるのは {best}年度です。"
# 発表モード: a ?year= in the URL that is not a plan year (a typo in a link) does not stop the show.
PRESENT_YEAR_UNKNOWN = (
    "URL の評価年度「{asked}」は計画期間({first}〜{last}年度)の年度ではないため、{year}年度を表示しています。"
)


def year_note(chosen: int, default: DefaultYear, choose: str = YEAR_CHOOSE_SIDEBAR) -> str:
    """What is said under the 評価年度 shown (``chosen``), or "" when there is nothing to say.

    The default year (``default.year``) while later years already have a few actuals: how few, and that the
    default is the latest year with most of them (「R8(2026)年度の実績は、まだ46指標のうち3指標だけです。…」).
    A year someone chose that has actuals for fewer than half as many indicators as the best-covered year:
    how many it has, and which year has more. ``choose`` says where another year is chosen (the sidebar, or
    the commands' ``--year``).
    """
    from kamiplan.plan.periods import year_label

    if not default.most or (chosen != default.year and default.covered(chosen)):
        return ""  # nothing recorded (the overview page says so), or a year with most of its actuals
    if chosen != default.year:
        n = default.counts.get(chosen, 0)
        text = (YEAR_THIN_NOTE if n else YEAR_EMPTY_NOTE).format(year=year_label(chosen), total=default.total, n=n)
        return text + YEAR_BEST_NOTE.format(best=year_label(default.year))
    if not default.later:
        return ""
    (first_year, first), *rest = default.later.items()
    more = "、".join(f"{year_label(y)}年度は{n}指標" for y, n in rest)
    return YEAR_DEFAULT_NOTE.format(
        later=f"{year_label(first_year)}年度",
        total=default.total,
        first=first,
        more=f"({more})" if more else "",
        n=default.counts[default.year],
        year=year_label(default.year),
        choose=choose,
    )
