"""Prospector's Textual app: the App class, its screens, widgets and styles.

Screens read and write only through ``prospector.store.Store``; nothing here runs SQL.
Importing this package loads nothing: ``screens.launch`` (the ``prospector`` command)
must stay cheap for headless commands. The app itself is ``screens.app.make_app``.
"""
