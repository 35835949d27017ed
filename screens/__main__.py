"""``python -m screens``: the same as the installed ``prospector`` command."""

from screens.launch import main

raise SystemExit(main())
