from parkbridge.cli import main

main()
