"""The edit password: refused configurations, the scrypt hash, server-wide throttling, ``set-password``."""

from __future__ import annotations

import io
import stat
import threading
import tomllib

import pytest

from kamiplan import labels
from kamiplan.app import auth
from kamiplan.cli import main
from kamiplan.errors import InputError

GOOD = "ながい合言葉-2026-かみすながわ"
FAST = {"n": 2**4, "r": 1, "p": 1}  # tests only: the real cost (auth.SCRYPT_N…) takes ~0.4 s a check
REAL_HASH = auth.hash_password


def config(section: dict) -> auth.EditConfig:
    return auth.edit_config({"kamiplan": section}, auth.example_password())


# -- the configuration --------------------------------------------------------------------------------
def test_the_example_file_has_a_password_and_it_is_refused():
    example = auth.example_password()  # the real .streamlit/secrets.toml.example, as the README says to copy it
    assert example and len(example) >= auth.MIN_LENGTH  # refused because it is the example, not for its length
    refused = config({"edit_password": example})
    assert refused.kind == "refused" and refused.problem == labels.PASSWORD_IS_EXAMPLE
    assert not auth.password_ok(example, refused)


@pytest.mark.parametrize(
    ("section", "kind", "problem"),
    [
        ({}, "none", ""),
        ({"edit_password": ""}, "none", ""),
        ({"edit_password": "   "}, "none", ""),
        ({"edit_password": 12345678901234}, "none", ""),
        ({"edit_password": "short"}, "refused", labels.PASSWORD_TOO_SHORT.format(n=12)),
        ({"edit_password": "テスト用-pw-123"}, "refused", labels.PASSWORD_TOO_SHORT.format(n=12)),  # 11 characters
        ({"edit_password": "12345678901"}, "refused", labels.PASSWORD_TOO_SHORT.format(n=12)),
        ({"edit_password": "123456789012"}, "plain", ""),  # 12 is enough
        ({"edit_password": "上砂川町の実績を入力する合言葉"}, "plain", ""),  # kanji and kana count one each
        ({"edit_password": GOOD}, "plain", ""),
        ({"edit_password_hash": "scrypt$16$1$1$c2FsdHNhbHQ=$"}, "refused", labels.PASSWORD_HASH_MALFORMED),
        ({"edit_password_hash": "pbkdf2$1$2$3$AAAA$AAAA"}, "refused", labels.PASSWORD_HASH_MALFORMED),
        ({"edit_password_hash": 42}, "refused", labels.PASSWORD_HASH_MALFORMED),
        # a hash asking for 2^30·8·128 bytes is a typo, not a reason to allocate a terabyte
        (
            {"edit_password_hash": "scrypt$1073741824$8$1$c2FsdHNhbHRzYWx0$" + "A" * 44},
            "refused",
            labels.PASSWORD_HASH_MALFORMED,
        ),
    ],
)
def test_configuration_table(section, kind, problem):
    got = config(section)
    assert (got.kind, got.problem) == (kind, problem)
    assert got.usable == (kind in ("plain", "hash"))


def test_full_width_example_is_still_the_example():
    example = auth.example_password()
    assert example is not None
    full_width = example.replace("パ", "ﾊﾟ")  # half-width katakana: NFKC makes it the same text
    assert full_width != example and config({"edit_password": full_width}).kind == "refused"


def test_hash_is_preferred_over_the_plain_password():
    hashed = auth.hash_password(GOOD, **FAST)
    both = config({"edit_password": auth.example_password(), "edit_password_hash": hashed})
    assert both.kind == "hash"  # even a refused plain password does not matter once a hash is set
    assert auth.password_ok(GOOD, both) and not auth.password_ok(auth.example_password(), both)


def test_no_configuration_admits_nobody():
    for section in ({}, {"edit_password": "short"}):
        assert not auth.password_ok("short", config(section))
        assert not auth.password_ok("", config(section))


def test_streamlit_secrets_without_a_file_is_no_configuration():
    class Broken:
        def __getitem__(self, key):
            raise RuntimeError("No secrets found")  # what st.secrets does without secrets.toml

    assert auth.edit_config(Broken(), None).kind == "none"


def test_example_password_of_a_missing_or_broken_file(tmp_path):
    assert auth.example_password(tmp_path / "none.toml") is None
    (tmp_path / "bad.toml").write_text("[kamiplan\n", encoding="utf-8")
    assert auth.example_password(tmp_path / "bad.toml") is None


# -- the hash -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "ok"),
    [
        (GOOD, True),
        ("ながい合言葉－２０２６－かみすながわ", True),  # typed with the IME's full-width digits: NFKC
        ("ながい合言葉-2026-かみすながわ ", False),
        ("ながい合言葉-2025-かみすながわ", False),
        ("", False),
    ],
)
def test_hash_verify_table(given, ok):
    hashed = auth.hash_password(GOOD, **FAST)
    assert auth.verify_hash(given, hashed) is ok
    assert auth.password_ok(given, config({"edit_password_hash": hashed})) is ok


def test_hash_format_and_default_cost():
    hashed = auth.hash_password(GOOD, salt=b"0123456789abcdef", **FAST)
    scheme, n, r, p, salt, digest = hashed.split("$")
    assert (scheme, n, r, p, salt) == ("scrypt", "16", "1", "1", "MDEyMzQ1Njc4OWFiY2RlZg==")
    parsed = auth.parse_hash(hashed)
    assert parsed is not None and len(parsed.digest) == 32 and parsed.text() == hashed
    assert auth.hash_password(GOOD, **FAST) != hashed  # a new salt each time
    # OWASP's scrypt recommendation, with an explicit memory limit (Python's default 32 MiB is too small for it)
    assert (auth.SCRYPT_N, auth.SCRYPT_R, auth.SCRYPT_P) == (2**17, 8, 1)


def test_default_cost_hash_verifies():
    hashed = auth.hash_password(GOOD)
    assert hashed.startswith("scrypt$131072$8$1$")
    assert auth.verify_hash(GOOD, hashed) and not auth.verify_hash(GOOD + "x", hashed)


# -- throttling ---------------------------------------------------------------------------------------
class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def wrong() -> bool:
    return False


def right() -> bool:
    return True


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        # (seconds to wait before, the check) → (ok, wait_seconds) of each attempt
        ([(0, wrong)] * 4 + [(0, right)], [(False, 0)] * 4 + [(True, 0)]),
        ([(0, wrong)] * 5, [(False, 0)] * 4 + [(False, 60)]),
        ([(0, wrong)] * 5 + [(1, right)], [(False, 0)] * 4 + [(False, 60), (False, 59)]),  # right, still refused
        ([(0, wrong)] * 5 + [(59.5, right)], [(False, 0)] * 4 + [(False, 60), (False, 1)]),
        ([(0, wrong)] * 5 + [(60, right)], [(False, 0)] * 4 + [(False, 60), (True, 0)]),  # unlocked after
        ([(0, wrong)] * 5 + [(60, wrong)], [(False, 0)] * 4 + [(False, 60), (False, 0)]),  # a fresh count
        ([(14, wrong)] * 5, [(False, 0)] * 4 + [(False, 60)]),  # 5 within 60 s
        ([(16, wrong)] * 6, [(False, 0)] * 6),  # never 5 within a minute
        ([(0, wrong)] * 4 + [(0, right), (0, wrong)], [(False, 0)] * 4 + [(True, 0), (False, 60)]),
    ],
)
def test_limiter_table(steps, expected):
    clock = FakeClock()
    limiter = auth.AttemptLimiter(clock=clock)
    got = []
    for wait, check in steps:
        clock.now += wait
        attempt = limiter.attempt(check)
        got.append((attempt.ok, attempt.wait_seconds))
    assert got == expected


def test_locked_out_attempts_are_not_checked_and_the_wait_is_shown():
    clock = FakeClock()
    limiter = auth.AttemptLimiter(clock=clock)
    for _ in range(5):
        limiter.attempt(wrong)
    calls = []
    clock.now += 20
    assert limiter.attempt(lambda: calls.append(1) or True) == auth.Attempt(ok=False, wait_seconds=40)
    assert calls == [] and limiter.wait_seconds() == 40  # no scrypt while locked out
    clock.now += 40
    assert limiter.wait_seconds() == 0


def test_limiter_is_shared_by_concurrent_sessions():
    limiter = auth.AttemptLimiter(clock=FakeClock())
    results: list[auth.Attempt] = []
    threads = [threading.Thread(target=lambda: results.append(limiter.attempt(wrong))) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(1 for a in results if a.wait_seconds == 0) == 4  # only 4 checks before the lock-out, whatever the race
    assert limiter.attempt(right).wait_seconds == 60


# -- set-password ---------------------------------------------------------------------------------------
def set_password(monkeypatch, path, typed: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))  # not a TTY: the first line is the password
    monkeypatch.setattr(auth, "hash_password", lambda pw: REAL_HASH(pw, **FAST))
    return main(["set-password", "--secrets", str(path)])


EXISTING = """\
# 設定のコメント(残ること)
[server]
port = 8501  # 行末のコメント

[kamiplan]
# 編集用パスワード
edit_password = "古いパスワードをそのまま書いた行"
other = "残す"

[other]
edit_password = "別の表の同じ名前は残す"
"""


def test_set_password_keeps_other_lines_and_removes_the_plain_password(monkeypatch, tmp_path, capsys):
    path = tmp_path / "secrets.toml"
    path.write_text(EXISTING, encoding="utf-8")
    path.chmod(0o640)
    assert set_password(monkeypatch, path, GOOD + "\n") == 0
    out = capsys.readouterr().out
    assert labels.SET_PASSWORD_REMOVED_PLAIN in out and labels.SET_PASSWORD_CREATED not in out
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert [line for line in lines if "edit_password_hash" not in line] == [
        line for line in EXISTING.splitlines() if not line.startswith('edit_password = "古い')
    ]
    assert lines.index("# 編集用パスワード") + 1 == lines.index(next(x for x in lines if "edit_password_hash" in x))
    data = tomllib.loads(text)
    assert set(data["kamiplan"]) == {"edit_password_hash", "other"} and data["other"]["edit_password"]
    accepted = auth.edit_config(data, auth.example_password())  # what the app reads
    assert accepted.kind == "hash" and auth.password_ok(GOOD, accepted)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # an existing file keeps its mode
    assert [p.name for p in tmp_path.iterdir()] == ["secrets.toml"]  # no temp file left

    assert set_password(monkeypatch, path, "二つ目の長いパスワードです\n") == 0  # again: the hash line is replaced
    again = path.read_text(encoding="utf-8")
    assert again.count("edit_password_hash") == 1 and len(again.splitlines()) == len(lines)
    assert auth.password_ok("二つ目の長いパスワードです", auth.edit_config(tomllib.loads(again), None))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", '[kamiplan]\nedit_password_hash = "H"\n'),
        ("[server]\nport = 1", '[server]\nport = 1\n\n[kamiplan]\nedit_password_hash = "H"\n'),
        ("[kamiplan]\r\nx = 1\r\n", '[kamiplan]\r\nedit_password_hash = "H"\r\nx = 1\r\n'),
        ('[ kamiplan ]  # 表\nedit_password = "p"\n', '[ kamiplan ]  # 表\nedit_password_hash = "H"\n'),
        ('[kamiplan]\nedit_password_hash = "old"\n[a]\n', '[kamiplan]\nedit_password_hash = "H"\n[a]\n'),
    ],
)
def test_with_password_hash_table(before, after):
    hashed = "H"
    assert auth.with_password_hash(before, hashed).text == after


@pytest.mark.parametrize(
    "before",
    [
        "[kamiplan\n",  # not TOML: nothing is written
        '[kamiplan]\nedit_password = """\n複数行\n"""\n',  # removing one line would break the file
        'note = """\n[kamiplan]\nedit_password = "x"\n"""\n',  # looks like a table, but is text in a string
    ],
)
def test_with_password_hash_refuses_what_it_cannot_edit_line_by_line(before):
    with pytest.raises(InputError):
        auth.with_password_hash(before, "H")


def test_set_password_creates_a_private_file(monkeypatch, tmp_path, capsys):
    path = tmp_path / ".streamlit" / "secrets.toml"
    assert set_password(monkeypatch, path, GOOD + "\n") == 0
    assert labels.SET_PASSWORD_CREATED in capsys.readouterr().out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert auth.password_ok(GOOD, auth.edit_config(tomllib.loads(path.read_text(encoding="utf-8")), None))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("short\n", labels.PASSWORD_TOO_SHORT.format(n=12)),
        ("\n", labels.SET_PASSWORD_EMPTY),
        ("", labels.SET_PASSWORD_EMPTY),
        (None, labels.PASSWORD_IS_EXAMPLE),  # the example file's value
    ],
)
def test_set_password_refuses(monkeypatch, tmp_path, capsys, typed, message):
    path = tmp_path / "secrets.toml"
    path.write_text(EXISTING, encoding="utf-8")
    typed = f"{auth.example_password()}\n" if typed is None else typed
    assert set_password(monkeypatch, path, typed) == 1
    assert message in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == EXISTING


def test_set_password_asks_twice_at_a_terminal(monkeypatch, tmp_path):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin", Terminal(""))
    path = tmp_path / "secrets.toml"
    assert main(["set-password", "--secrets", str(path)]) == 1  # the two entries differ
    assert not path.exists()


def test_set_password_help_says_how_to_use_it_from_a_script(capsys):
    with pytest.raises(SystemExit):
        main(["set-password", "--help"])
    out = capsys.readouterr().out
    assert "標準入力" in out and "--secrets" in out and "0600" in out
    assert out.startswith("使い方: python -m kamiplan set-password") and "usage" not in out  # said once, in Japanese


def test_set_password_on_a_file_it_cannot_read_or_write(monkeypatch, tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    path = locked / "secrets.toml"
    path.write_bytes("[kamiplan]\n# \xff\n".encode("latin-1"))  # not UTF-8
    assert set_password(monkeypatch, path, GOOD + "\n") == 1
    assert labels.SET_PASSWORD_NOT_TOML in capsys.readouterr().err
    assert set_password(monkeypatch, locked, GOOD + "\n") == 1  # a folder, not a file
    assert labels.SET_PASSWORD_CANNOT_WRITE in capsys.readouterr().err
