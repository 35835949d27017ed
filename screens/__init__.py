"""Prospector's Textual app: the App class, its screens, widgets and styles.

Screens read and write only through ``prospector.store.Store``; nothing here runs SQL.
"""

from screens.app import ProspectorApp, make_app

__all__ = ["ProspectorApp", "make_app"]
