"""记住密码: server passwords in the operating system's credential store (keyring), never anywhere else."""

from __future__ import annotations

import logging

import keyring
from keyring.backends import fail
from keyring.errors import KeyringError

log = logging.getLogger(__name__)
SERVICE = "kejiju-desktop"  # one entry per account@host:port/database under this name


def available() -> bool:
    """True when a real credential store answers (Windows Credential Manager, a desktop's keyring);
    keyring's fail backend, or one of no priority, stores nothing."""
    try:
        backend = keyring.get_keyring()
    except (KeyringError, RuntimeError):
        log.info("no usable credential store", exc_info=True)
        return False
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 0) > 0


def remembered(name: str) -> str | None:
    """The password remembered for `name` (account@host:port/database), or None."""
    if not available():
        return None
    try:
        return keyring.get_password(SERVICE, name)
    except KeyringError:
        log.warning("reading the remembered password of %s failed", name, exc_info=True)
        return None


def remember(name: str, password: str) -> bool:
    """Keep `password` for `name` in the credential store; False (logged, without it) when refused."""
    try:
        keyring.set_password(SERVICE, name, password)
    except KeyringError:
        log.warning("remembering the password of %s failed", name, exc_info=True)
        return False
    return True


def forget(name: str) -> None:
    """Remove the password remembered for `name`, if any."""
    try:
        keyring.delete_password(SERVICE, name)
    except KeyringError:
        pass  # nothing was remembered: PasswordDeleteError is a KeyringError
