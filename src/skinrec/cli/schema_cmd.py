"""`skinrec schema result|batch`: the JSON Schemas of the recommendation document and of a batch output line,
for scripts to validate against."""

# No `from __future__ import annotations` in command modules: Typer evaluates string annotations on every
# run (see app.py).

import typer

schema_app = typer.Typer(
    help="Print JSON Schemas of skinrec's output documents.\n\nExample: skinrec schema result",
    no_args_is_help=True,
    add_completion=False,  # offered once, by the top-level command
)


@schema_app.command("result")
def result_schema() -> None:
    """Print the JSON Schema of `skinrec recommend -f json` (and of each scored `skinrec batch` line).

    Example: skinrec schema result > skinrec-result.schema.json
    """
    from skinrec.result_schema import ResultDocument

    _print_schema(ResultDocument.model_json_schema(), "recommendation document")


@schema_app.command("batch")
def batch_schema() -> None:
    """Print the JSON Schema of one `skinrec batch` output line: a recommendation document, or the error record
    of a line that could not be scored.

    Example: skinrec schema batch > skinrec-batch-line.schema.json
    """
    from pydantic import TypeAdapter

    from skinrec.result_schema import BatchLine

    _print_schema(TypeAdapter(BatchLine).json_schema(), "batch output line")


def _print_schema(schema: dict[str, object], title: str) -> None:
    """Print `schema` as published: open to fields it does not list. Within 1.x fields are only ever added, so
    a reader validating against this version's schema must accept a later 1.x document; the models themselves
    forbid unknown fields, and the test suite holds every document skinrec writes to them."""
    import json

    from skinrec.export import SCHEMA_VERSION

    _open(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"skinrec {title}, schema_version {SCHEMA_VERSION}"
    print(json.dumps(schema, indent=2))


def _open(node: object) -> None:
    """Drop every `additionalProperties: false` below `node`."""
    if isinstance(node, dict):
        if node.get("additionalProperties") is False:
            del node["additionalProperties"]
        for value in node.values():
            _open(value)
    elif isinstance(node, list):
        for value in node:
            _open(value)
