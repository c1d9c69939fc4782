"""`python -m skinrec` runs the same CLI as the `skinrec` console script."""

from skinrec.launch import main

main()
