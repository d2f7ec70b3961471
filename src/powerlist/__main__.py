from powerlist.cli import main

main()
