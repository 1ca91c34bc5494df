"""The app's own error types: one sentence a person can act on, and an exit code."""

from __future__ import annotations

EXIT_USAGE = 2
EXIT_NO_FACE = 3


class TonusError(Exception):
    """An error with a message meant for the user and the exit code the CLI should return."""

    exit_code: int = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(TonusError):
    """Bad arguments, or a file that cannot be read or is not supported (exit code 2)."""

    exit_code = EXIT_USAGE


class NoFaceError(TonusError):
    """An input holds no usable face (exit code 3)."""

    exit_code = EXIT_NO_FACE


class ModelMissingError(TonusError):
    """The face model is not installed or does not verify."""

    exit_code = EXIT_USAGE
