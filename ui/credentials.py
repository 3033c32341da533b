"""记住密码: server passwords in the operating system's credential store (keyring), never anywhere else."""

from __future__ import annotations

import contextlib
import logging

log = logging.getLogger(__name__)
SERVICE = "kejiju-desktop"  # one entry per account@host:port/database under this name


def available() -> bool:
    """True when a real credential store answers (Windows Credential Manager, a desktop's keyring);
    keyring's fail backend, one of no priority, or no keyring installed stores nothing."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except (ImportError, RuntimeError):
        log.info("no usable credential store", exc_info=True)
        return False
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 0) > 0


def remembered(name: str) -> str | None:
    """The password remembered for `name` (account@host:port/database), or None."""
    if not available():
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, name)
    except KeyringError:
        log.warning("reading the remembered password of %s failed", name, exc_info=True)
        return None


def remember(name: str, password: str) -> bool:
    """Keep `password` for `name` in the credential store; False (logged, without it) when refused."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, name, password)
    except KeyringError:
        log.warning("remembering the password of %s failed", name, exc_info=True)
        return False
    return True


def forget(name: str) -> None:
    """Remove the password remembered for `name`, if any (nothing remembered is not an error)."""
    if not available():
        return
    import keyring
    from keyring.errors import KeyringError

    with contextlib.suppress(KeyringError):
        keyring.delete_password(SERVICE, name)
