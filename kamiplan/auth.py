"""Who may change data: a password for staff, and a read-only switch for public deployments."""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping

READONLY_ENV = "KAMIPLAN_READONLY"


def readonly_deployment() -> bool:
    """``KAMIPLAN_READONLY=1`` hides the edit page entirely (public view for residents)."""
    return os.environ.get(READONLY_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def configured_password(secrets: Mapping) -> str | None:
    """The edit password from ``.streamlit/secrets.toml`` (``[kamiplan] edit_password``), if set."""
    try:
        section = secrets["kamiplan"]
        password = section["edit_password"]
    except (KeyError, TypeError, FileNotFoundError):
        return None
    except Exception:  # streamlit raises its own error when secrets.toml is absent or malformed
        return None
    if not isinstance(password, str) or not password.strip():
        return None
    return password


def password_ok(given: str, configured: str | None) -> bool:
    """Constant-time comparison; no configured password means nobody may edit."""
    if not configured or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), configured.encode("utf-8"))
