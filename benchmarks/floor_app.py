"""The framework floor: the smallest honest Typer + Rich program, to measure skinrec's start-up against.

It parses one option and prints a three-row Rich table, the way any Typer + Rich command-line tool would;
`--help` renders Typer's Rich help. Whatever this costs is the price of the framework and the interpreter,
which no skinrec change can lower, so the benchmark reports skinrec's latency as a multiple of it.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def main(rows: int = typer.Option(3, "--rows", "-n", help="How many rows to print.")) -> None:
    """Print a small table."""
    table = Table(title="Floor")
    table.add_column("#", justify="right")
    table.add_column("Square")
    for number in range(1, rows + 1):
        table.add_row(str(number), str(number * number))
    Console().print(table)


if __name__ == "__main__":
    app()
