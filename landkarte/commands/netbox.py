"""landkarte netbox — being built in this session (issue in progress)."""

import typer

app = typer.Typer(no_args_is_help=True)
