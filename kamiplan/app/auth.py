"""Who may change data: a password for staff, and a read-only switch for public deployments.

The password lives in ``.streamlit/secrets.toml``, table ``[kamiplan]``:

- ``edit_password_hash`` (preferred): an scrypt hash written by ``python -m kamiplan set-password``, in the form
  ``scrypt$<n>$<r>$<p>$<salt, base64>$<hash, base64>`` (standard base64 with padding; 16-byte salt, 32-byte hash),
  e.g. ``scrypt$131072$8$1$bWFkZS11cC1zYWx0IQ==$…``. The parameters travel with the hash, so they can be raised
  later without breaking hashes already written.
- ``edit_password``: the password itself (kept for existing set-ups; ``set-password`` replaces it with a hash).

A plain password is refused as configuration (editing stays locked, the page tells the administrator why) when it
is the example from ``.streamlit/secrets.toml.example`` or shorter than :data:`MIN_LENGTH` characters.

Wrong passwords are throttled server-wide by :data:`EDIT_LOGIN` (see :class:`AttemptLimiter`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import os
import re
import secrets as secrets_module
import threading
import time
import tomllib
import unicodedata
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kamiplan import labels
from kamiplan.paths import PROJECT_DIR

READONLY_ENV = "KAMIPLAN_READONLY"
SECTION = "kamiplan"
PLAIN_KEY = "edit_password"
HASH_KEY = "edit_password_hash"
SECRETS_FILE = PROJECT_DIR / ".streamlit" / "secrets.toml"
EXAMPLE_SECRETS_FILE = PROJECT_DIR / ".streamlit" / "secrets.toml.example"

# Issue 12 item 8 asks for 12 characters (NIST SP 800-63B-4 §3.1.1.2 asks 15 for a password used alone, and no
# composition rules). As there, each Unicode code point counts as one character: a kanji is one.
MIN_LENGTH = 12

# scrypt cost: OWASP Password Storage Cheat Sheet (scrypt section) recommends at least N=2^17, r=8, p=1
# (128 MiB). Measured on the 2-core AMD EPYC test machine (Python 3.11, OpenSSL 3.0): one check takes
# ~0.45-0.5 s (N=2^16: ~0.23 s; N=2^15: ~0.1 s). Checks run one at a time under the limiter's lock, so the
# server needs 128 MiB for them at most, and at most 5 of them a minute while someone is guessing.
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
HASH_SCHEME = "scrypt"
# What a hash string read from the secrets file may ask for (a typo must not make the server allocate gigabytes).
MAX_SCRYPT_MEMORY = 512 * 2**20

# Throttling (issue 12 item 8): 5 wrong passwords within a minute, server-wide, then a minute's wait.
MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 60.0
LOCKOUT_SECONDS = 60.0


def readonly_deployment() -> bool:
    """``KAMIPLAN_READONLY=1`` hides the edit page entirely (public view for residents)."""
    return os.environ.get(READONLY_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def normalize(password: str) -> str:
    """NFKC, so a password typed with full-width letters (IME on) matches the half-width one it was set with.

    Source: NIST SP 800-63B §5.1.1.2 (rev. 3) and §3.1.1.2 (rev. 4): normalise Unicode passwords with NFKC or NFKD
    before hashing.
    """
    return unicodedata.normalize("NFKC", password)


# -- the configuration ------------------------------------------------------------------------------
@dataclass(frozen=True)
class EditConfig:
    """How editing is configured: ``none`` (read-only), ``refused`` (read-only, ``problem`` says why),
    ``plain`` or ``hash`` (``secret`` is the password or the hash string)."""

    kind: Literal["none", "refused", "plain", "hash"]
    secret: str = ""
    problem: str = ""

    @property
    def usable(self) -> bool:
        return self.kind in ("plain", "hash")

    @property
    def fingerprint(self) -> str:
        """Identifies the configured secret without revealing it (a changed password logs sessions out)."""
        return hashlib.sha256(f"{self.kind}\0{self.secret}".encode()).hexdigest()


def example_password(path: Path = EXAMPLE_SECRETS_FILE) -> str | None:
    """The password written in the example secrets file (read each time, so it cannot drift from the file).

    Parameters
    ----------
    path
        The example file (default ``.streamlit/secrets.toml.example`` of the project).

    Returns
    -------
    str or None
        ``[kamiplan] edit_password`` of that file, or None when the file is missing or has no such value.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    value = data.get(SECTION, {}).get(PLAIN_KEY) if isinstance(data.get(SECTION), dict) else None
    return value if isinstance(value, str) and value.strip() else None


def password_problem(password: str, example: str | None) -> str | None:
    """Why ``password`` may not be the edit password (Japanese, for the administrator), or None if it may.

    Parameters
    ----------
    password
        A password being configured (from the secrets file or typed into ``set-password``).
    example
        The example file's password (:func:`example_password`); anyone who read the README knows it.

    Returns
    -------
    str or None
        ``labels.PASSWORD_IS_EXAMPLE`` or ``labels.PASSWORD_TOO_SHORT`` (issue 12 item 8), else None.
    """
    given = normalize(password)
    if example is not None and hmac.compare_digest(given.encode("utf-8"), normalize(example).encode("utf-8")):
        return labels.PASSWORD_IS_EXAMPLE
    if len(given) < MIN_LENGTH:
        return labels.PASSWORD_TOO_SHORT.format(n=MIN_LENGTH)
    return None


def _section(secrets: Mapping) -> Mapping:
    try:
        section = secrets[SECTION]
    except (KeyError, TypeError, FileNotFoundError):
        return {}
    except Exception:  # streamlit raises its own error when secrets.toml is absent or malformed
        return {}
    return section if isinstance(section, Mapping) else {}


def edit_config(secrets: Mapping, example: str | None) -> EditConfig:
    """Read ``[kamiplan]`` of the secrets: the hash if set (preferred), else the plain password, checked.

    Parameters
    ----------
    secrets
        ``st.secrets`` or any mapping of the same shape.
    example
        The example file's password (:func:`example_password`), refused as a configured password.

    Returns
    -------
    EditConfig
        ``none`` when neither key is set, ``refused`` with a message for the administrator when the value cannot
        be used (example or short password, malformed hash), else ``hash`` or ``plain``.
    """
    section = _section(secrets)
    hashed = section.get(HASH_KEY)
    if isinstance(hashed, str) and hashed.strip():
        if parse_hash(hashed.strip()) is None:
            return EditConfig("refused", problem=labels.PASSWORD_HASH_MALFORMED)
        return EditConfig("hash", secret=hashed.strip())
    if hashed is not None and not isinstance(hashed, str):
        return EditConfig("refused", problem=labels.PASSWORD_HASH_MALFORMED)
    plain = section.get(PLAIN_KEY)
    if not isinstance(plain, str) or not plain.strip():
        return EditConfig("none")
    if problem := password_problem(plain, example):
        return EditConfig("refused", problem=problem)
    return EditConfig("plain", secret=plain)


# -- the hash ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScryptHash:
    """The parts of an ``scrypt$n$r$p$salt$hash`` string."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def text(self) -> str:
        salt = base64.b64encode(self.salt).decode("ascii")
        digest = base64.b64encode(self.digest).decode("ascii")
        return f"{HASH_SCHEME}${self.n}${self.r}${self.p}${salt}${digest}"


def _scrypt(password: str, n: int, r: int, p: int, salt: bytes, length: int) -> bytes:
    # OpenSSL needs 128·r·(n + p + 2) bytes; Python's default limit (32 MiB) is below the recommended cost.
    memory = 128 * r * (n + p + 2)
    return hashlib.scrypt(
        normalize(password).encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=memory + 2**20, dklen=length
    )


def hash_password(
    password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P, salt: bytes | None = None
) -> str:
    """The ``edit_password_hash`` string of ``password`` (new random salt unless one is given).

    Parameters
    ----------
    password
        The password (NFKC-normalised before hashing, see :func:`normalize`).
    n, r, p
        scrypt cost (defaults: OWASP's recommendation, ~0.5 s here; tests pass smaller values).
    salt
        For tests only; by default 16 random bytes from :mod:`secrets`.

    Returns
    -------
    str
        ``scrypt$<n>$<r>$<p>$<salt base64>$<hash base64>``.
    """
    salt = secrets_module.token_bytes(SALT_BYTES) if salt is None else salt
    return ScryptHash(n, r, p, salt, _scrypt(password, n, r, p, salt, HASH_BYTES)).text()


def _b64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None


def parse_hash(text: str) -> ScryptHash | None:
    """The parts of a hash string, or None if it is not one this module wrote (or asks for too much memory)."""
    parts = text.split("$")
    if len(parts) != 6 or parts[0] != HASH_SCHEME or not all(s.isascii() and s.isdigit() for s in parts[1:4]):
        return None
    n, r, p = (int(s) for s in parts[1:4])
    salt, digest = _b64(parts[4]), _b64(parts[5])
    if n < 2 or n & (n - 1) or not (1 <= r <= 64 and 1 <= p <= 64) or salt is None or digest is None:
        return None
    if 128 * r * (n + p + 2) > MAX_SCRYPT_MEMORY or len(salt) < 8 or not (16 <= len(digest) <= 64):
        return None
    return ScryptHash(n, r, p, salt, digest)


def verify_hash(given: str, hashed: str) -> bool:
    """True if ``given`` hashes to ``hashed`` (constant-time comparison of the hashes)."""
    parsed = parse_hash(hashed)
    if parsed is None or not given:
        return False
    computed = _scrypt(given, parsed.n, parsed.r, parsed.p, parsed.salt, len(parsed.digest))
    return hmac.compare_digest(computed, parsed.digest)


def password_ok(given: str, config: EditConfig) -> bool:
    """Check a typed password against the configuration; a configuration that is not usable admits nobody."""
    if not given or not config.usable:
        return False
    if config.kind == "hash":
        return verify_hash(given, config.secret)
    return hmac.compare_digest(normalize(given).encode("utf-8"), normalize(config.secret).encode("utf-8"))


# -- writing the secrets file (``python -m kamiplan set-password``) -----------------------------------------
_TABLE_HEADER = re.compile(r"^\s*\[\s*(?P<name>[^\]\[]+?)\s*\]\s*(#.*)?$")
_ANY_TABLE = re.compile(r"^\s*\[")
_KEY_LINE = re.compile(r"^\s*(?P<key>[A-Za-z0-9_-]+)\s*=")


@dataclass(frozen=True)
class SecretsUpdate:
    """What :func:`write_password_hash` did: the new text, whether it removed a plain password, created the file."""

    text: str
    removed_plain: bool
    created: bool = False


def with_password_hash(text: str, hashed: str) -> SecretsUpdate:
    """``text`` of a secrets file with ``[kamiplan] edit_password_hash`` set to ``hashed``.

    Only that line changes. It takes the place of the old hash line, else of a plain ``edit_password`` line (under
    its comment), else goes right under ``[kamiplan]``, else into a new ``[kamiplan]`` table at the end. A plain
    ``edit_password`` line of that table is removed. Every other line, comment and line ending stays.

    Parameters
    ----------
    text
        The file's text ("" for a new file).
    hashed
        A string from :func:`hash_password`.

    Returns
    -------
    SecretsUpdate
        The new text and whether a plain password line was removed.

    Raises
    ------
    InputError
        When ``text`` is not valid TOML, or the result would not read back as the hash (a multi-line value, a
        dotted key): nothing should be written then.
    """
    from kamiplan.errors import fail

    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise fail(labels.SET_PASSWORD_NOT_TOML, value=str(exc)) from None
    newline = "\r\n" if "\r\n" in text else "\n"
    line = f'{HASH_KEY} = "{hashed}"{newline}'
    lines = re.findall(r"[^\n]*\n|[^\n]+\Z", text)
    keys = _keys_in_section(lines)
    # The hash goes where the old hash was, else where the plain password was (under its comment), else first.
    target = HASH_KEY if HASH_KEY in keys.values() else PLAIN_KEY
    out: list[str] = []
    hash_written = removed = False
    header_at: int | None = None
    for i, raw in enumerate(lines):
        key = keys.get(i)
        if key == "[":
            header_at = len(out) + 1 if header_at is None else header_at
        elif key in (HASH_KEY, PLAIN_KEY):
            removed = removed or key == PLAIN_KEY
            if key == target and not hash_written:
                out.append(line)
                hash_written = True
            continue
        out.append(raw)
    if not hash_written:
        if header_at is not None:
            out.insert(header_at, line)
        else:
            if out and not out[-1].endswith("\n"):
                out[-1] += newline
            if out and out[-1].strip():
                out.append(newline)  # a blank line before the new table
            out += [f"[{SECTION}]{newline}", line]
    result = "".join(out)
    # Read the result back: the hash is there, the plain password is gone, and nothing else changed meaning
    # (a line that only looked like a table or key, inside a multi-line string, must not have been edited).
    try:
        after = tomllib.loads(result)
    except tomllib.TOMLDecodeError as exc:
        raise fail(labels.SET_PASSWORD_NOT_TOML, value=str(exc)) from None
    section = after.get(SECTION, {})
    if section.get(HASH_KEY) != hashed or PLAIN_KEY in section or _rest(after) != _rest(before):
        raise fail(labels.SET_PASSWORD_NOT_TOML)
    return SecretsUpdate(result, removed)


def _keys_in_section(lines: list[str]) -> dict[int, str]:
    """Line number → ``"["`` for a ``[kamiplan]`` header, or the key a line of that table sets."""
    found: dict[int, str] = {}
    table: str | None = None
    for i, raw in enumerate(lines):
        if _ANY_TABLE.match(raw):
            header = _TABLE_HEADER.match(raw)
            table = header.group("name").strip().strip('"') if header else None
            if table == SECTION:
                found[i] = "["
        elif table == SECTION and (key := _KEY_LINE.match(raw)):
            found[i] = key.group("key")
    return found


def _rest(document: dict) -> dict:
    """The document without the two password keys (and without ``[kamiplan]`` if nothing else is in it)."""
    rest = dict(document)
    section = rest.pop(SECTION, None)
    if isinstance(section, dict):
        section = {k: v for k, v in section.items() if k not in (HASH_KEY, PLAIN_KEY)}
        if section:
            rest[SECTION] = section
    elif section is not None:
        rest[SECTION] = section
    return rest


def write_password_hash(path: Path, hashed: str) -> SecretsUpdate:
    """Set ``edit_password_hash`` in the secrets file at ``path`` atomically (see :func:`with_password_hash`).

    Parameters
    ----------
    path
        The secrets file; created with mode 0600 (owner only) if missing, else its mode is kept.
    hashed
        A string from :func:`hash_password`.

    Returns
    -------
    SecretsUpdate
        What changed (``created`` is True for a new file).
    """
    from kamiplan.errors import fail
    from kamiplan.storage import atomic_write

    try:
        text = path.read_bytes().decode("utf-8")
        created = False
    except FileNotFoundError:
        text, created = "", True
    except UnicodeDecodeError:
        raise fail(labels.SET_PASSWORD_NOT_TOML, path) from None
    except OSError as exc:
        raise fail(labels.SET_PASSWORD_CANNOT_WRITE, path, value=exc.strerror or "") from None
    update = with_password_hash(text, hashed)
    try:
        if created:
            # An empty owner-only file first: atomic_write keeps the mode of the file it replaces.
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            atomic_write(path, update.text.encode("utf-8"))
        except BaseException:
            if created:
                path.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise fail(labels.SET_PASSWORD_CANNOT_WRITE, path, value=exc.strerror or "") from None
    return SecretsUpdate(update.text, update.removed_plain, created)


# -- throttling ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attempt:
    """The outcome of one login attempt: ``ok``, or refused; ``wait_seconds`` > 0 while locked out."""

    ok: bool
    wait_seconds: int = 0


class AttemptLimiter:
    """After ``max_failures`` wrong passwords within ``window`` seconds, refuse every attempt for ``lockout`` s.

    Server-wide: one instance (:data:`EDIT_LOGIN`) is shared by every session of the server process, because
    Streamlit runs all sessions as threads of one process and a module is imported once. A per-session count
    would let a guesser open a new tab every 5 tries. While locked out, even the right password is refused and
    nothing is hashed. A success does not clear the count: it may come from another session than the failures.

    The check runs under the lock, so concurrent sessions cannot all be checked before the first failure is
    counted (and scrypt runs one at a time). Restarting the server clears the count.

    Parameters
    ----------
    max_failures, window, lockout
        Issue 12 item 8: 5 wrong passwords within a minute, then a wait (here: a minute from the 5th).
    clock
        Seconds, monotonic (``time.monotonic``); tests pass a fake.
    """

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window: float = FAILURE_WINDOW_SECONDS,
        lockout: float = LOCKOUT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.lockout = lockout
        self.clock = clock
        self._lock = threading.Lock()
        self._failures: deque[float] = deque()
        self._locked_until: float | None = None

    def _wait(self, now: float) -> int:
        if self._locked_until is None:
            return 0
        if now >= self._locked_until:
            self._locked_until = None
            self._failures.clear()
            return 0
        return max(1, math.ceil(self._locked_until - now))

    def wait_seconds(self) -> int:
        """Seconds until attempts are accepted again (0: not locked out)."""
        with self._lock:
            return self._wait(self.clock())

    def attempt(self, check: Callable[[], bool]) -> Attempt:
        """Run ``check`` (the password comparison) unless locked out, and count it if it fails."""
        with self._lock:
            if wait := self._wait(self.clock()):
                return Attempt(ok=False, wait_seconds=wait)
            if check():
                return Attempt(ok=True)
            now = self.clock()
            self._failures.append(now)
            while self._failures and self._failures[0] <= now - self.window:
                self._failures.popleft()
            if len(self._failures) >= self.max_failures:
                self._locked_until = now + self.lockout
                return Attempt(ok=False, wait_seconds=self._wait(now))
            return Attempt(ok=False)

    def reset(self) -> None:
        """Forget every failure (tests; a server restart does the same)."""
        with self._lock:
            self._failures.clear()
            self._locked_until = None


EDIT_LOGIN = AttemptLimiter()
"""The edit page's limiter, shared by every session of this server process."""
