"""`python -m skinrec` runs the same CLI as the `skinrec` console script."""

from skinrec.cli.app import main

main()
