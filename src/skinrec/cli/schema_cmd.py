"""`skinrec schema result`: the JSON Schema of the recommendation document, for scripts to validate against."""

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
    """Print the JSON Schema of `skinrec recommend -f json` (and of each `skinrec batch` line).

    Example: skinrec schema result > skinrec-result.schema.json
    """
    import json

    from skinrec.export import SCHEMA_VERSION
    from skinrec.result_schema import ResultDocument

    schema = ResultDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"skinrec recommendation document, schema_version {SCHEMA_VERSION}"
    print(json.dumps(schema, indent=2))
