"""The benchmark's arithmetic: paired ratios from rounds taken in alternating order, and the report."""

import pytest

from pipeline.bench import cpu_seconds, format_report, paired_ratio


def test_paired_ratio_cancels_a_steady_drift():
    # the machine slows by 10 s per measure; the run costs the same as the bare parse: B1 R1 | R2 B2
    bare, runs = [100.0, 130.0], [110.0, 120.0]
    assert paired_ratio(bare, runs) == pytest.approx(1.0)
    # a best-of on each side would have said 100 / 110
    assert min(bare) / min(runs) < 0.95


def test_paired_ratio_wants_pairs():
    with pytest.raises(ValueError, match="paired measures expected"):
        paired_ratio([1.0, 2.0], [1.0])
    with pytest.raises(ValueError):
        paired_ratio([], [])


def test_cpu_seconds_counts_children_that_ended():
    import subprocess
    import sys

    before = cpu_seconds()
    subprocess.run([sys.executable, "-c", "sum(i * i for i in range(3_000_000))"], check=True)
    assert cpu_seconds() - before > 0.05


def test_report_states_the_rounds_and_the_cpu():
    r = {"words": 1000, "articles": 3, "model": "m", "parse_batch": 8, "repeats": 2, "startup_s": 2.0,
         "bare_load_s": 0.7,
         "rounds": {"bare1": [10.0, 12.0], "workers1": [11.0, 11.0], "bare2": [5.0, 6.0], "workers2": [6.0, 5.0],
                    "dask": [8.0, 8.0], "dask_total": [12.0, 12.0], "dask_startup": [4.0, 4.0]},
         "cpu": {"bare1": [10.0, 12.0], "workers1": [10.0, 12.0], "bare2": [10.0, 11.0], "workers2": [11.0, 11.0]},
         "memory": [], "noop_s": 1.0, "noop_articles": 10, "noop_corpus_s": 0.0, "add_s": 3.0, "add_corpus_s": 0.1,
         "add_worker_load_s": 2.0, "happening_resolve_s": 1.0, "happening_events": 30, "happenings": 10}
    text = format_report(r)
    assert "--workers 1         91 words/s  ratio 1.000 to 1 bare process (target >= 0.95) (rounds 0.909 / 1.091)" \
        in text
    assert "CPU 1.000x the bare parse's" in text
    assert "ratio 1.000 to 2 bare processes (target >= 0.95) (rounds 0.833 / 1.200); CPU 1.048x" in text
    assert "ratio 0.688 to 2 bare processes (rounds 0.625 / 0.750), after a cluster start-up of 4.0 s" in text
