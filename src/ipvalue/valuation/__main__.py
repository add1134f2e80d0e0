from ipvalue.valuation.cli import main

raise SystemExit(main())
