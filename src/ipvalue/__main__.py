from ipvalue.cli import main

main()
