from equitime.cli import main

main()
