"""実績の入力: staff record each year's actuals (form or CSV), see the change log, undo the last change;
and 事業の評価, each project's yearly record, by 施策."""

import functools
import hashlib

import streamlit as st

from kamiplan import labels
from kamiplan.app import ui
from kamiplan.errors import InputError
from kamiplan.reading.tabular import book_sheets
from kamiplan.records.actuals_file import ReadOptions, UnusualValuesError
from kamiplan.records.actuals_io import (
    ENCODINGS,
    commit_import,
    describer,
    export_frame,
    log_frame,
    plan_import,
    template_frame,
)
from kamiplan.records.actuals_store import StaleError
from kamiplan.records.editing import changes_from_editor, editor_frame
from kamiplan.records.project_editing import (
    changes_from_project_editor,
    project_change_summary,
    project_editor_frame,
    project_log_frame,
    repeat_notes,
)
from kamiplan.records.projects_io import project_describer
from kamiplan.text import escape_markdown

st.title("実績の入力", anchor=False)
if not ui.edit_unlocked():
    st.stop()

folder = ui.folder()
store = ui.store()
indicators = ui.indicators(folder)
info = ui.plan_info(folder)
describe = describer(indicators)
if flash := st.session_state.pop("edit_flash", None):
    st.success(flash)
by = st.text_input("記録者(お名前)", key="edit_by", help="変更履歴に残ります")
# Keyed: after a save (st.rerun) the page stays on the tab the person was on.
tab_form, tab_file, tab_log, tab_projects = st.tabs(
    ["指標ごとに入力", "ファイルで取り込む(CSV・Excel)", "変更履歴・元に戻す", labels.PROJECT_TAB],
    key="edit_tab",
    on_change="rerun",
)

with tab_form:
    pillar_names = {0: "計画全体(成果目標・満足度)"} | ui.pillar_names(folder)
    pillar = ui.selectbox(st, "大綱", list(pillar_names), format_func=pillar_names.get, key="edit_pillar")
    policy_names = {0: "—"} if pillar == 0 else ui.policy_names(folder, pillar)
    policy = ui.selectbox(st, "基本計画", list(policy_names), format_func=policy_names.get, key=f"edit_policy_{pillar}")
    rows = indicators[(indicators.pillar == pillar) & (indicators.policy == policy)]
    if rows.empty:
        st.info("この基本計画には数値目標・KPI がありません。ほかの基本計画を選んでください。")
    else:
        choice = ui.selectbox(
            st,
            "指標",
            list(rows.indicator_id),
            format_func=lambda i: rows.set_index("indicator_id").loc[i, "label"],
            key=f"edit_ind_{pillar}_{policy}",
        )
        ind = rows.set_index("indicator_id").loc[choice].to_dict() | {"indicator_id": choice}
        st.caption(escape_markdown(ui.indicator_caption(ind)))
        others = indicators[(indicators.series_id == ind["series_id"]) & (indicators.indicator_id != choice)]
        for other in others.itertuples():
            st.caption(
                f"この指標は「{other.label}」({labels.SECTION_LABELS[other.section]})としても載っています。実績は共通です。"
            )
        if ind["kind"] == "cumulative":
            st.caption("5か年合計の指標は、各年度の件数を入力します(累計はアプリが計算します)。")

        snap_key = f"edit_snapshot_{ind['series_id']}"
        stale_key, questions_key = f"edit_stale_{choice}", f"edit_questions_{choice}"
        forget = (snap_key, stale_key, questions_key)  # a click runs this before the page: nothing stale is shown
        st.button("最新の状態を読み込む", key=f"reload_{choice}", on_click=ui.forget, args=forget)
        if stale := st.session_state.get(stale_key):
            ui.show_problems(InputError(stale), "保存しませんでした。画面を開いた後に、ほかの人が記録を変えました。")
            st.button(
                "今の記録を読み込む(入力した内容は消えます)",
                key=f"stale_reload_{choice}",
                on_click=ui.forget,
                args=forget,
            )
        if snap_key not in st.session_state:
            cells = {year: cell for (series, year), cell in store.cells().items() if series == ind["series_id"]}
            st.session_state[snap_key] = (store.revision(), cells)
        revision, snapshot = st.session_state[snap_key]
        st.caption(f"表示中のデータ: 変更番号 {revision} の時点")
        questions = st.session_state.get(questions_key)
        if questions:
            ui.show_problems(InputError(questions["problems"]), labels.UNUSUAL_FORM_HEADING, warning=True)
        with st.form(f"edit_form_{choice}"):
            edited = st.data_editor(
                editor_frame(ind, snapshot),
                key=f"editor_{choice}_{revision}",
                num_rows="dynamic",
                hide_index=True,
                placeholder="",
                width="stretch",
                column_config=ui.editor_columns(ind),
            )
            accept = False
            if questions:  # the key names the questioned values: new questions start unchecked
                accept = st.checkbox(
                    labels.UNUSUAL_FORM_CONFIRM, key=f"edit_accept_{questions['digest']}", help=labels.UNUSUAL_FORM_HELP
                )
            submitted = st.form_submit_button("保存", type="primary")
        if submitted:
            confirmed = [tuple(k) for k in questions["keys"]] if questions and accept else []
            result = changes_from_editor(ind, snapshot, edited, accept_unusual=confirmed)
            if result.problems:
                ui.show_problems(InputError(result.problems))
            elif result.unusual:
                st.session_state[questions_key] = {
                    "problems": result.unusual,
                    "keys": result.unusual_keys,
                    "digest": ui.digest(result.unusual_keys),
                }
                st.rerun()
            elif not result.changes:
                st.info("変更はありません。")
            else:
                try:
                    saved = store.save(result.changes, by=by, how="form", describe=describe)
                except StaleError as exc:
                    st.session_state[stale_key] = exc.problems
                    st.rerun()
                except InputError as exc:
                    ui.show_problems(exc)
                else:
                    for key in (snap_key, questions_key, stale_key):
                        st.session_state.pop(key, None)
                    st.session_state["edit_flash"] = f"保存しました({saved.changed}件、変更番号 {saved.revision})。"
                    st.rerun()

with tab_file:
    years = range(int(info["start_year"]), int(info["end_year"]) + 1)
    cols = st.columns(3)
    for col, (encoding, name) in zip(cols, ENCODINGS.items(), strict=False):
        ui.download_csv(
            f"ひな形 {name}",
            template_frame(indicators, years),
            encoding,
            f"実績入力ひな形_{encoding}.csv",
            key=f"template_{encoding}",
            container=col,
        )
    ui.download_csv(
        "記録済みの実績(CSV)",
        export_frame(indicators, store.current()),
        "utf-8-sig",
        "実績_記録済み.csv",
        key="export_actuals",
        container=cols[2],
    )
    upload = ui.file_uploader(
        "実績のファイル(CSV・タブ区切り・Excel ブック .xlsx。2 MB まで)",
        key="edit_upload",
        help="見出しの行が1行目でなくても、縦長(指標・年度・実績値)でも横長(年度ごとの列)でも読み取ります。",
    )
    if upload is not None:
        data = upload.getvalue()
        digest = hashlib.sha256(data).hexdigest()[:16]
        sheet, dash = ui.import_options(digest, book_sheets(data))
        accept = bool(st.session_state.get(f"import_accept_{digest}", False))
        # The preview is kept: saving sends the values it showed as "what I saw", so a colleague's save in
        # between is refused (with both values) instead of overwritten.
        plan_key = f"import_plan_{digest}_{sheet}_{dash}_{accept}"
        try:
            if plan_key not in st.session_state:
                for key in [k for k in st.session_state if str(k).startswith("import_plan_")]:
                    del st.session_state[key]
                st.session_state[plan_key] = plan_import(
                    data, upload.name, indicators, store, ReadOptions(sheet, dash, accept)
                )
            plan = st.session_state[plan_key]
        except UnusualValuesError as exc:
            ui.show_problems(exc, labels.UNUSUAL_HEADING + "何も保存していません。", warning=True)
            ui.unusual_confirmation(digest, [n.line for n in exc.unusual])
        except InputError as exc:
            ui.show_problems(
                exc,
                f"{upload.name} は受け付けませんでした({len(exc.problems)}件の問題)。"
                "何も保存していません。直してからもう一度選んでください。",
            )
        else:
            if plan.parsed.unusual:
                ui.unusual_confirmation(digest, [n.line for n in plan.parsed.unusual])
            ui.import_preview(plan)
            if plan.changes and st.button("この内容で保存", type="primary", key="import_commit"):
                try:
                    result = commit_import(plan, store, by=by, filename=upload.name)
                    st.session_state["edit_flash"] = (
                        f"{upload.name} を取り込みました({result.changed}件、変更番号 {result.revision})。"
                    )
                    for key in [k for k in st.session_state if str(k).startswith(("edit_snapshot_", "import_plan_"))]:
                        del st.session_state[key]
                    st.rerun()
                except StaleError as exc:
                    ui.show_problems(exc, "保存しませんでした。確認の後に、ほかの人が記録を変えました。")
                    st.button(
                        "今の記録と比べ直す", key="import_recheck", on_click=st.session_state.pop, args=(plan_key, None)
                    )
                except InputError as exc:
                    ui.show_problems(exc)

with tab_log:
    log = store.log()
    if log.empty:
        st.info("まだ実績は記録されていません。")
    else:
        ui.undo_redo(store, log, indicators, by, describe)
        ui.table(log_frame(log, indicators))


def project_evaluation(folder: str, by: str) -> None:
    """The 事業の評価 tab: one 施策's projects of one year in a table, saved with the optimistic check; the log."""
    projects = ui.project_store()
    actions = ui.actions(folder)
    describe_project = project_describer(actions)
    cols = st.columns([1, 3]) + st.columns(2)  # two rows: whole names at 1280×800
    year = ui.project_year_select("project_year", where=cols[0])  # starts at the evaluation year
    pillar_names = ui.pillar_names(folder)
    pillar = ui.selectbox(cols[1], "大綱", list(pillar_names), format_func=pillar_names.get, key="project_pillar")
    policy_names = ui.policy_names(folder, pillar)
    policy = ui.selectbox(
        cols[2], "基本計画", list(policy_names), format_func=policy_names.get, key=f"project_policy_{pillar}"
    )
    measure_names = ui.measure_names(folder, pillar, policy)
    measure = ui.selectbox(
        cols[3], "施策", list(measure_names), format_func=measure_names.get, key=f"project_measure_{pillar}_{policy}"
    )
    rows = actions[(actions.pillar == pillar) & (actions.policy == policy) & (actions.measure == measure)]
    if notes := repeat_notes(rows, actions):
        st.caption(escape_markdown(" ".join([labels.PROJECT_REPEAT_CAPTION, *[f"{n}。" for n in notes]])))
    where = f"{pillar}_{policy}_{measure}_{year}"
    snap_key, stale_key = f"project_snapshot_{where}", f"project_stale_{where}"
    if rows.empty or rows.is_repeat.all():
        st.info(labels.PROJECT_MEASURE_NO_ACTIONS if rows.empty else labels.PROJECT_ALL_REPEATS)
    else:
        st.button("最新の状態を読み込む", key=f"project_reload_{where}", on_click=ui.forget, args=(snap_key, stale_key))
        if stale := st.session_state.get(stale_key):
            ui.show_problems(InputError(stale), labels.PROJECT_STALE_HEADING)
            st.button(
                "今の記録を読み込む(入力した内容は消えます)",
                key=f"project_stale_reload_{where}",
                on_click=ui.forget,
                args=(snap_key, stale_key),
            )
        if snap_key not in st.session_state:  # what the person sees: sent as "expected" on 保存
            ids = set(rows.action_id)
            st.session_state[snap_key] = (
                projects.revision(),
                {k: r for k, r in projects.records().items() if k[0] in ids},
            )
        revision, records = st.session_state[snap_key]
        st.caption(f"表示中のデータ: 事業の評価の変更番号 {revision} の時点")
        before = project_editor_frame(rows, records, year)
        with st.form(f"project_form_{where}"):
            edited = st.data_editor(
                before,
                key=f"project_editor_{where}_{revision}",
                hide_index=True,
                placeholder="",
                width="stretch",
                column_config=ui.project_editor_columns(),
            )
            submitted = st.form_submit_button("保存", type="primary", key="project_save")
        if submitted:
            try:
                changes = changes_from_project_editor(before, edited, records, year)
                saved = projects.save(changes, by=by, how="form", describe=describe_project) if changes else None
            except StaleError as exc:
                st.session_state[stale_key] = exc.problems
                st.rerun()
            except InputError as exc:
                ui.show_problems(exc)
            else:
                if saved is None or not saved.changed:
                    st.info("変更はありません。")
                else:
                    # every year's table of the 施策 offers what was just saved (担当課, 前年度の方向性)
                    ui.forget(stale_key, *[k for k in st.session_state if str(k).startswith("project_snapshot_")])
                    st.session_state["edit_flash"] = labels.PROJECT_SAVED.format(
                        n=saved.changed, revision=saved.revision
                    )
                    st.rerun()
    with st.container(key="project_files"):  # the round trip with the departments (照会)
        ui.project_files_section(by, year)
    st.subheader(labels.PROJECT_HISTORY_HEADING, anchor=False)
    project_log = projects.log()
    if project_log.empty:
        st.info(labels.PROJECT_NOT_RECORDED)
    else:
        summary = functools.partial(project_change_summary, actions=actions)
        ui.undo_redo(
            projects, project_log, None, by, describe_project, summary=summary, key="project_", name="事業の評価の"
        )
        ui.table(project_log_frame(project_log, actions))


with tab_projects:
    project_evaluation(folder, by)
