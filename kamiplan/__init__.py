"""kamiplan: progress management of 上砂川町's 第8期総合計画 前期基本計画 / 第3期総合戦略 (FY2025–2029)."""

__version__ = "0.1.0"
