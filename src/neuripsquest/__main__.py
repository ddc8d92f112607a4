from neuripsquest.cli import main

raise SystemExit(main())
