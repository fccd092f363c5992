"""kamiplan — 上砂川町 総合計画・総合戦略 進捗管理ダッシュボード (entry point: navigation and page frame)."""

from kamiplan.app import memory, ui

ui.configure()
page = ui.navigation()
ui.sidebar()
try:
    with memory.page_run_turn():
        page.run()
finally:  # also after st.stop() and reruns: the run's freed memory goes back (kamiplan/app/memory.py)
    memory.release_unused()
