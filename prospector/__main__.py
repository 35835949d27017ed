from prospector.cli import main

raise SystemExit(main())
