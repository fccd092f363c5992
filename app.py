"""kamiplan — 上砂川町 総合計画・総合戦略 進捗管理ダッシュボード (entry point: navigation and page frame)."""

from kamiplan.app import ui

ui.configure()
page = ui.navigation()
ui.sidebar()
page.run()
