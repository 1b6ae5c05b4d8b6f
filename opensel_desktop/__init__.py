"""OpenSel Desktop: offline counting, declaration and audit of party selection ballots.

The one place the application id and version are stated: the CLI, the
window title, every PDF and every .osel read them from here.
"""

__version__ = "0.1.0"
APP_ID = "org.opensel.Desktop"
APP_NAME = "OpenSel Desktop"
