"""Command line: each command checks its inputs and calls one plain function."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from .memory import use_system_allocator

use_system_allocator()          # before anything below imports pyarrow (pipeline/memory.py)

from .config import load_config  # noqa: E402
from .errors import PipelineError  # noqa: E402

DIR = click.Path(file_okay=False, path_type=Path)


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(levelname)s %(message)s", stream=sys.stderr)


@click.group()
@click.version_option(package_name="newsclaims", prog_name="pipeline")
@click.option("-v", "--verbose", is_flag=True, help="Debug logging.")
def cli(verbose: bool) -> None:
    """News claim extraction: articles in, Parquet tables of entities, events and claims out."""
    _setup_logging(verbose)


@cli.command("run")
@click.option("--corpus", type=DIR, default=Path("corpus"), show_default=True, help="Folder of articles.")
@click.option("--out", type=DIR, default=Path("outputs"), show_default=True, help="Output folder.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Settings file (default: configs/pipeline.yaml).")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Worker processes that parse and extract [default: one per core].")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: forked worker processes; dask: a Dask cluster (needs the [dask] extra).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="--engine dask: the address of a running scheduler (tcp://HOST:PORT) [default: a LocalCluster "
                   "of --workers processes on 127.0.0.1].")
@click.option("--full", is_flag=True, help="Reprocess every article, not only new or changed ones.")
@click.option("--retry-rejects", is_flag=True,
              help="Try again the articles whose extraction failed, though neither they nor the settings changed.")
def run_cmd(corpus: Path, out: Path, config_path: Path | None, workers: int | None, engine: str,
            scheduler: str | None, full: bool, retry_rejects: bool) -> None:
    """Process new and changed articles of CORPUS into the tables in OUT."""
    from .run import run

    if scheduler and engine != "dask":
        raise click.BadParameter("--scheduler is for --engine dask", param_hint="--scheduler")
    config = load_config(config_path)
    result = run(corpus, out, config, workers=workers, full=full, retry_rejects=retry_rejects, engine=engine,
                 scheduler=scheduler)
    click.echo(result.summary())


@cli.command("status")
@click.option("--corpus", type=DIR, default=Path("corpus"), show_default=True)
@click.option("--out", type=DIR, default=Path("outputs"), show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--full", is_flag=True)
@click.option("--retry-rejects", is_flag=True)
def status_cmd(corpus: Path, out: Path, config_path: Path | None, full: bool, retry_rejects: bool) -> None:
    """Show what a run would do, without running it."""
    from .run import status

    plan = status(corpus, out, load_config(config_path), full=full, retry_rejects=retry_rejects)
    click.echo(plan.summary())
    for label, items in (("add", [a.path for a in plan.added]), ("reprocess", [a.path for a in plan.changed]),
                         ("remove", list(plan.removed))):
        for path in items:
            click.echo(f"  {label}: {path}")
    for rej in plan.rejects:
        click.echo(f"  reject: {rej.path}: {rej.reason}")


@cli.command("clean")
@click.option("--out", type=DIR, default=Path("outputs"), show_default=True)
def clean_cmd(out: Path) -> None:
    """Remove the tables of OUT; refuses a folder that is not a pipeline output folder."""
    from .run import clean

    removed = clean(out)
    click.echo(f"removed {len(removed)} table links and generations from {out}/" if removed
               else f"nothing to remove in {out}/")


@cli.command("docs")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("docs/DATA_DICTIONARY.md"), show_default=True)
def docs_cmd(out: Path) -> None:
    """Write the data dictionary generated from the table schemas."""
    from .schemas import data_dictionary

    out.write_text(data_dictionary(), encoding="utf-8")
    click.echo(f"wrote {out}")


@cli.group("aliases")
def aliases_group() -> None:
    """Work with the alias table."""


@aliases_group.command("suggest")
@click.option("--out", type=DIR, default=Path("outputs"), show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--top", type=click.IntRange(1), default=30, show_default=True)
def aliases_suggest_cmd(out: Path, config_path: Path | None, top: int) -> None:
    """Frequent unlinked names and likely variants, as rows to paste into the alias table."""
    from .aliases import load_aliases
    from .entities import suggest_aliases
    from .store import Store

    config = load_config(config_path)
    table = load_aliases(config.rule_path("entities", "aliases"))
    for line in suggest_aliases(Store(out).read("mentions").to_pylist(), table, top):
        click.echo(line)


@cli.command("eval")
@click.option("--gold", "gold_dirs", type=DIR, required=True, multiple=True,
              help="Folder of NAME.gold.json files; repeat with --corpus and --out to pool several sets.")
@click.option("--corpus", "corpora", type=DIR, multiple=True, help="Folder of the articles [default: corpus].")
@click.option("--out", "outs", type=DIR, multiple=True, help="Output folder [default: outputs].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--errors", "show_errors", is_flag=True, help="List false positives and misses.")
@click.option("--save-baseline", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Record the figures under --name in this JSON file.")
@click.option("--name", default=None, help="Name of this gold set in reports and the baseline.")
def eval_cmd(gold_dirs: tuple[Path, ...], corpora: tuple[Path, ...], outs: tuple[Path, ...],
             config_path: Path | None, fmt: str, show_errors: bool, save_baseline: Path | None,
             name: str | None) -> None:
    """Run the pipeline on the corpus if needed and score the tables against the gold."""
    from .evaluate import evaluate_sets, format_report
    from .evaluate import save_baseline as save

    corpora = corpora or (Path("corpus"),)
    outs = outs or (Path("outputs"),)
    if not (len(gold_dirs) == len(corpora) == len(outs)):
        raise click.BadParameter("give as many --corpus and --out as --gold (one set each)", param_hint="--gold")
    for gold_dir in gold_dirs:
        if not any(gold_dir.glob("*.json")):
            raise click.BadParameter(f"no *.json gold files in {gold_dir}", param_hint="--gold")
    report = evaluate_sets(list(zip(gold_dirs, corpora, outs)), load_config(config_path))
    name = name or " + ".join(g.parent.name for g in gold_dirs)
    click.echo(format_report(report, f"evaluation: {name}", fmt, show_errors))
    if save_baseline:
        save(save_baseline, name, report)


@cli.command("bench")
@click.option("--articles", type=click.IntRange(1), default=300, show_default=True,
              help="Generated articles (24 sentences each) of the throughput measures.")
@click.option("--noop-articles", type=click.IntRange(1), default=1000, show_default=True,
              help="Articles of the incremental measures (no-op re-run, one article added).")
@click.option("--memory-articles", type=(click.IntRange(1), click.IntRange(1)), default=(300, 3000),
              show_default=True, help="The two corpus sizes of the peak-memory measures.")
@click.option("--source", type=DIR, default=Path("corpus"), show_default=True,
              help="Folder whose sentences make up the generated articles.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--repeats", type=click.IntRange(1), default=2, show_default=True,
              help="Rounds of the throughput measures, in alternating order (two: each pair forwards and backwards).")
@click.option("--no-dask", is_flag=True, help="Leave out the Dask engine's measure.")
def bench_cmd(articles: int, noop_articles: int, memory_articles: tuple[int, int], source: Path,
              config_path: Path | None, repeats: int, no_dask: bool) -> None:
    """Words per second of runs against bare nlp.pipe, peak memory, incremental costs, happenings."""
    from .bench import benchmark, format_report

    click.echo(format_report(benchmark(load_config(config_path), source, articles, noop_articles, repeats,
                                       memory_articles, dask=not no_dask)))


@cli.command("report")
@click.option("--out", type=DIR, default=Path("outputs"), show_default=True, help="Output folder of a run.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="HTML file to write [default: OUT/report.html].")
@click.option("--full-articles", is_flag=True,
              help="Embed whole articles in the reports, not the evidence sentence and its neighbours.")
def report_cmd(out: Path, html_path: Path | None, full_articles: bool) -> None:
    """Write one self-contained HTML report of the tables in OUT (no network needed to view it)."""
    from .desk.report import write_report

    path = write_report(out, html_path or out / "report.html", full_articles=full_articles)
    click.echo(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")


@cli.command("sql")
@click.option("--out", type=DIR, default=Path("outputs"), show_default=True, help="Output folder of a run.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.argument("query_text", metavar="QUERY")
def sql_cmd(out: Path, fmt: str, query_text: str) -> None:
    """Run one SQL QUERY (DuckDB) over the tables of OUT; each table is a view of the same name."""
    from .desk.sql import query

    click.echo(query(out, query_text, fmt))


@cli.command("export")
@click.option("--out", type=DIR, default=Path("outputs"), show_default=True, help="Output folder of a run.")
@click.option("--format", "fmt", type=click.Choice(["acled"]), default="acled", show_default=True)
@click.option("--to", "to", type=click.Path(dir_okay=False, path_type=Path), required=True, help="CSV file to write.")
@click.option("--rules", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Outlets' ACLED source scales [default: configs/acled.yaml]; the ACLED types are in the "
                   "event taxonomy.")
def export_cmd(out: Path, fmt: str, to: Path, rules: Path | None) -> None:
    """Export the happenings of OUT as a CSV in ACLED's column layout."""
    from .desk.export import RULES, export_acled

    n = export_acled(out, to, rules or RULES)
    click.echo(f"wrote {n} happenings to {to}")


def main() -> None:
    try:
        cli(standalone_mode=True)
    except PipelineError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
