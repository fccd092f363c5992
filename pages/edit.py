"""実績の入力: staff record each year's actuals (form or CSV), see the change log, undo the last change."""

import hashlib

import streamlit as st

from kamiplan import labels, ui
from kamiplan.actuals_file import ReadOptions, UnusualValuesError
from kamiplan.actuals_io import (
    ENCODINGS,
    commit_import,
    describer,
    export_frame,
    log_frame,
    plan_import,
    template_frame,
)
from kamiplan.actuals_store import StaleError
from kamiplan.editing import COL_AS_OF, COL_NOTE, COL_SOURCE, COL_VALUE, COL_YEAR, changes_from_editor, editor_frame
from kamiplan.errors import InputError
from kamiplan.periods import year_label
from kamiplan.tabular import book_sheets

st.title("実績の入力")
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
tab_form, tab_file, tab_log = st.tabs(["指標ごとに入力", "ファイルで取り込む(CSV・Excel)", "変更履歴・元に戻す"])

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
                COL_YEAR: st.column_config.TextColumn(COL_YEAR, help="R7(2025)・2025・令和7年度 のどれでも"),
                COL_VALUE: st.column_config.TextColumn(
                    f"{COL_VALUE}({ind['unit'] or '単位なし'})",
                    help="全角の数字、「2,390」「▲12」「98.5%」も読み取ります。消すときは空欄に",
                ),
                COL_AS_OF: st.column_config.TextColumn(
                    COL_AS_OF, disabled=True, help="ファイルで日付つきで記録した値の時点(いつもと違うときだけ)"
                ),
                COL_NOTE: st.column_config.TextColumn(COL_NOTE, max_chars=2000),
                COL_SOURCE: st.column_config.TextColumn(COL_SOURCE, max_chars=2000),
            },
        )
        accept = st.checkbox(labels.UNUSUAL_FORM_CONFIRM, key=f"edit_accept_{choice}", help=labels.UNUSUAL_FORM_HELP)
        submitted = st.form_submit_button("保存", type="primary")
    if submitted:
        result = changes_from_editor(ind, snapshot, edited, accept_unusual=accept)
        try:
            if result.problems or (result.unusual and not accept):
                if result.unusual and not result.problems:
                    st.warning(
                        labels.UNUSUAL_HEADING + "確認したら「" + labels.UNUSUAL_CONFIRM + "」を選んで保存します。"
                    )
                raise InputError(result.problems + ([] if accept else result.unusual))
            if not result.changes:
                st.info("変更はありません。")
            else:
                saved = store.save(result.changes, by=by, how="form", describe=describe)
                st.session_state.pop(snap_key, None)
                st.session_state["edit_flash"] = f"保存しました({saved.changed}件、変更番号 {saved.revision})。"
                st.rerun()
        except StaleError as exc:
            ui.show_problems(exc)
            if st.button("最新の状態を読み込む(入力した内容は消えます)", key=f"stale_reload_{choice}"):
                st.session_state.pop(snap_key, None)
                st.rerun()
        except InputError as exc:
            ui.show_problems(exc)

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
    upload = st.file_uploader(
        "実績のファイル(CSV・タブ区切り・Excel ブック .xlsx。2 MB まで)",
        type=["csv", "txt", "tsv", "xlsx", "xlsm"],
        key="edit_upload",
        help="見出しの行が1行目でなくても、縦長(指標・年度・実績値)でも横長(年度ごとの列)でも読み取ります。",
    )
    if upload is not None:
        data = upload.getvalue()
        digest = hashlib.sha256(data).hexdigest()[:16]
        sheet, dash = ui.import_options(digest, book_sheets(data))
        accept = bool(st.session_state.get(f"import_accept_{digest}", False))
        try:
            plan = plan_import(data, upload.name, indicators, store, ReadOptions(sheet, dash, accept))
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
                    for key in [k for k in st.session_state if str(k).startswith("edit_snapshot_")]:
                        del st.session_state[key]
                    st.rerun()
                except StaleError as exc:
                    ui.show_problems(exc)
                    st.button("最新の記録と比べ直す", key="import_recheck")
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
                result = store.undo_last(by, describe)
                st.session_state["edit_flash"] = f"変更番号 {last} を元に戻しました(変更番号 {result.revision})。"
                for key in [k for k in st.session_state if str(k).startswith("edit_snapshot_")]:
                    del st.session_state[key]
                st.rerun()
            except InputError as exc:
                ui.show_problems(exc)
        st.dataframe(log_frame(log, indicators), hide_index=True, width="stretch")
