"""実績の入力: staff record each year's actuals (form or CSV), see the change log, undo the last change."""

import streamlit as st

from kamiplan import labels, ui
from kamiplan.actuals_io import (
    ENCODINGS,
    STATUS_UNCHANGED,
    commit_import,
    export_frame,
    log_frame,
    plan_import,
    template_frame,
)
from kamiplan.editing import COL_NOTE, COL_SOURCE, COL_VALUE, COL_YEAR, changes_from_editor, editor_frame
from kamiplan.errors import InputError
from kamiplan.export import to_csv_bytes
from kamiplan.periods import year_label

st.title("実績の入力")
if not ui.edit_unlocked():
    st.stop()

folder = ui.folder()
store = ui.store()
indicators = ui.indicators(folder)
info = ui.plan_info(folder)
if flash := st.session_state.pop("edit_flash", None):
    st.success(flash)
by = st.text_input("記録者(お名前)", key="edit_by", help="変更履歴に残ります")
tab_form, tab_file, tab_log = st.tabs(["指標ごとに入力", "CSV ファイルで取り込む", "変更履歴・元に戻す"])

with tab_form:
    pillar_names = {0: "計画全体(成果目標・満足度)"} | {
        int(r.pillar): f"大綱{r.pillar} {r.short_name}" for r in ui.pillars(folder).itertuples()
    }
    pillar = st.selectbox("大綱", list(pillar_names), format_func=pillar_names.get, key="edit_pillar")
    policies = ui.policies(folder)
    policy_names = (
        {0: "—"}
        if pillar == 0
        else {int(r.policy): f"({r.policy}) {r.name}" for r in policies[policies.pillar == pillar].itertuples()}
    )
    policy = st.selectbox("基本計画", list(policy_names), format_func=policy_names.get, key=f"edit_policy_{pillar}")
    rows = indicators[(indicators.pillar == pillar) & (indicators.policy == policy)]
    if rows.empty:
        st.info("この基本計画には数値目標・KPI がありません。")
        st.stop()
    choice = st.selectbox(
        "指標",
        list(rows.indicator_id),
        format_func=lambda i: rows.set_index("indicator_id").loc[i, "label"],
        key=f"edit_ind_{pillar}_{policy}",
    )
    ind = rows.set_index("indicator_id").loc[choice].to_dict() | {"indicator_id": choice}
    st.caption(
        f"単位: {ind['unit'] or 'なし'} ・ 基準値: {ind['baseline_label']}({year_label(ind['baseline_year'])}) ・ "
        f"目標値: {ind['target_label']}({year_label(ind['target_year'])}) ・ {labels.KIND_LABELS[ind['kind']]} ・ {labels.DIRECTION_LABELS[ind['direction']]}"
    )
    others = indicators[(indicators.series_id == ind["series_id"]) & (indicators.indicator_id != choice)]
    for other in others.itertuples():
        st.caption(
            f"この指標は「{other.label}」({labels.SECTION_LABELS[other.section]})としても載っています。実績は共通です。"
        )
    if ind["kind"] == "cumulative":
        st.caption("5か年合計の指標は、各年度の件数を入力します(累計はアプリが計算します)。")

    snap_key = f"edit_snapshot_{ind['series_id']}"
    if snap_key not in st.session_state or st.button("最新の状態を読み込む", key=f"reload_{choice}"):
        cells = {year: cell for (series, year), cell in store.cells().items() if series == ind["series_id"]}
        st.session_state[snap_key] = (store.revision(), cells)
    revision, snapshot = st.session_state[snap_key]
    st.caption(f"表示中のデータ: 変更番号 {revision} の時点")
    with st.form(f"edit_form_{choice}"):
        edited = st.data_editor(
            editor_frame(ind, snapshot),
            key=f"editor_{choice}_{revision}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                COL_YEAR: st.column_config.NumberColumn(
                    COL_YEAR, min_value=1950, max_value=2035, step=1, format="%d", help="西暦(例: 2025 = 令和7年度)"
                ),
                COL_VALUE: st.column_config.NumberColumn(f"{COL_VALUE}({ind['unit'] or '単位なし'})", format="%g"),
                COL_NOTE: st.column_config.TextColumn(COL_NOTE, max_chars=2000),
                COL_SOURCE: st.column_config.TextColumn(COL_SOURCE, max_chars=2000),
            },
        )
        submitted = st.form_submit_button("保存", type="primary")
    if submitted:
        changes, problems = changes_from_editor(ind, snapshot, edited)
        try:
            if problems:
                raise InputError(problems)
            if not changes:
                st.info("変更はありません。")
            else:
                result = store.save(changes, by=by, how="form")
                st.session_state.pop(snap_key, None)
                st.session_state["edit_flash"] = f"保存しました({result.changed}件、変更番号 {result.revision})。"
                st.rerun()
        except InputError as exc:
            ui.show_problems(exc)

with tab_file:
    years = range(int(info["start_year"]), int(info["end_year"]) + 1)
    cols = st.columns(3)
    for col, (encoding, name) in zip(cols, ENCODINGS.items(), strict=False):
        col.download_button(
            f"ひな形 {name}",
            to_csv_bytes(template_frame(indicators, years), encoding),
            file_name=f"実績入力ひな形_{encoding}.csv",
            mime="text/csv",
            on_click="ignore",
        )
    cols[2].download_button(
        "記録済みの実績(CSV)",
        to_csv_bytes(export_frame(indicators, store.current())),
        file_name="実績_記録済み.csv",
        mime="text/csv",
        on_click="ignore",
    )
    upload = st.file_uploader("実績の CSV ファイル(UTF-8 または Shift_JIS、2 MB まで)", type=["csv"], key="edit_upload")
    if upload is not None:
        try:
            plan = plan_import(upload.getvalue(), upload.name, indicators, store)
        except InputError as exc:
            st.error(
                f"{upload.name} は受け付けませんでした({len(exc.problems)}件の問題)。何も保存していません。直してからもう一度選んでください。"
            )
            st.dataframe(ui.problems_frame(exc.problems), hide_index=True, width="stretch")
        else:
            counts = plan.counts
            st.write(
                f"{upload.name}: 新規 {counts.get('新規', 0)}件・変更 {counts.get('変更', 0)}件・変更なし {counts.get('変更なし', 0)}件(まだ保存していません)"
            )
            st.dataframe(plan.preview[plan.preview["状態"] != STATUS_UNCHANGED], hide_index=True, width="stretch")
            if plan.changes and st.button("この内容で保存", type="primary", key="import_commit"):
                try:
                    result = commit_import(plan, store, by=by, filename=upload.name)
                    st.session_state["edit_flash"] = (
                        f"{upload.name} を取り込みました({result.changed}件、変更番号 {result.revision})。"
                    )
                    for key in [k for k in st.session_state if str(k).startswith("edit_snapshot_")]:
                        del st.session_state[key]
                    st.rerun()
                except InputError as exc:
                    ui.show_problems(exc)

with tab_log:
    log = store.log()
    if log.empty:
        st.info("まだ実績は記録されていません。")
    else:
        last = int(log["revision"].max())
        confirm = st.checkbox(f"最後の変更(変更番号 {last})を元に戻します", key="undo_confirm")
        if st.button("元に戻す", disabled=not confirm, key="undo"):
            try:
                result = store.undo_last(by)
                st.session_state["edit_flash"] = f"変更番号 {last} を元に戻しました(変更番号 {result.revision})。"
                for key in [k for k in st.session_state if str(k).startswith("edit_snapshot_")]:
                    del st.session_state[key]
                st.rerun()
            except InputError as exc:
                ui.show_problems(exc)
        st.dataframe(log_frame(log, indicators), hide_index=True, width="stretch")
