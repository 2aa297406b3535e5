# SPDX-License-Identifier: BSD-3-Clause
"""The errors geoinv raises: one class per category of the CLI's errors (docs/python.md, "Errors").

``str(error)`` is the line the CLI prints after ``geoinv: error:`` (``file:line:col: key.path: message``);
the parts are attributes, ``None`` where the error has none. ``exit_code`` is the code the CLI would
return for it.
"""


class Error(Exception):
    """A geoinv error: bad input or environment, located when it comes from a file."""

    def __init__(self, text, message=None, file=None, line=None, column=None, key=None, exit_code=1):
        super().__init__(text)
        self.message = text if message is None else message
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.exit_code = exit_code


class UsageError(Error, ValueError):
    """A bad argument to a geoinv function (the CLI's bad command line)."""


class ConfigError(Error, ValueError):
    """The experiment or campaign: syntax, unknown key, wrong type, missing key, bad value."""


class DataError(Error, ValueError):
    """The data: missing file, bad CSV cell, too few data."""


class PluginError(Error):
    """A plugin could not be found, loaded or checked, or it (a Python model too) raised."""


class NumericalError(Error, ArithmeticError):
    """A computation failed (non-finite values, singular system)."""


class IoError(Error):
    """An output could not be written, or a folder could not be read."""
