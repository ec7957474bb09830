"""No input stops a run: a hostile corpus, random inputs, killed runs with workers, a full or read-only disk."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import load_config
from pipeline.errors import PipelineError
from pipeline.ingest import Reject, drop_duplicates, ingest_settings, read_corpus
from pipeline.schemas import to_table
from pipeline.store import Store

from .conftest import CORPUS, ROOT, write

SETTINGS = ingest_settings(load_config())
BODY = "Gunmen attacked a police post in {place} on Monday, officials said. Two policemen were injured.\n"


def hostile_corpus(folder: Path) -> tuple[dict[str, str], set[str]]:
    """Every kind of odd or hostile input the issue lists: {path: expected reject code} and the good paths."""
    bad: dict[str, str] = {}
    good: set[str] = set()

    def ok(name, content):
        write(folder / name, content)
        good.add(name)

    def no(name, content, code):
        write(folder / name, content)
        bad[name] = code

    ok("impossible_date.md", "---\ntitle: T1\npublished: 2024-02-30\n---\n" + BODY.format(place="Gao"))
    ok("impossible_month.md", "---\npublished: 2024-13-45\n---\n" + BODY.format(place="Mopti"))
    ok("surrogate.jsonl", json.dumps({"text": BODY.format(place="Kidal")})[:-1] + ', "title": "bad \\ud800 t"}\n')
    good.discard("surrogate.jsonl")
    good.add("surrogate.jsonl:1")
    ok("utf16.txt", codecs.BOM_UTF16_LE + BODY.format(place="Timbuktu").encode("utf-16-le"))
    ok("utf32.txt", codecs.BOM_UTF32_BE + BODY.format(place="Segou").encode("utf-32-be"))
    ok("latin1.txt", BODY.format(place="Caf\xe9").encode("latin-1"))
    ok("control.md", "---\ntitle: \"Nul\\0 and\\x07 bell\\ttab\"\nsource: \"Src\\x1b[31m\"\n---\n"
       + BODY.format(place="Menaka"))
    ok("dict_title.md", "---\ntitle: {a: 1}\npublished: [2024, 1, 2]\n---\n" + BODY.format(place="Niono"))
    ok("int_keys.md", "---\n1: one\ntitle: Keys\n---\n" + BODY.format(place="Bamako"))
    ok("folder.txt/inner.txt", BODY.format(place="Kayes"))
    bad["folder.txt"] = "E118"
    # duplicates: the copy with metadata is kept over the bare one, though the bare one comes first
    no("a_bare.txt", BODY.format(place="Douentza"), "E109")
    ok("b_meta.md", "---\ntitle: With metadata\n---\n" + BODY.format(place="Douentza"))
    # metadata.csv: a row with too many fields (a warning) and a row naming no file (a reject)
    ok("sidecar/one.txt", BODY.format(place="Bandiagara"))
    write(folder / "sidecar" / "metadata.csv", "file,title,published\none.txt,Side,2024-01-02,extra,more\n"
                                               "missing.txt,Gone,2024-01-03\n")
    bad["sidecar/metadata.csv:3"] = "E125"

    no("deep.jsonl", '{"text": "x", "a": ' + "[" * 5000 + "]" * 5000 + "}\n", "E105")
    bad["deep.jsonl:1"] = bad.pop("deep.jsonl")
    no("deep40.jsonl", '{"text": "x", "a": ' + "[" * 40 + "]" * 40 + "}\n", "E105")
    bad["deep40.jsonl:1"] = bad.pop("deep40.jsonl")
    no("deep.md", "---\na: " + "[" * 5000 + "]" * 5000 + "\n---\nBody.\n", "E104")
    laughs = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)) + "---\nBody.\n"
    no("laughs.md", laughs, "E104")
    no("explicit_ts.md", "---\npublished: !!timestamp 2024-02-30\n---\nBody.\n", "E104")
    no("mostly_bad.txt", bytes(range(0x80, 0x100)) * 8, "E120")
    no("empty.txt", "  \n", "E101")
    no("binary.txt", b"\x89PNG\x00\x00", "E102")
    no("big.txt", "word " * 300_000, "E108")
    no("notes.docx", "x", "E107")
    os.mkfifo(folder / "fifo.txt")
    bad["fifo.txt"] = "E119"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    sock.close()
    bad["sock.txt"] = "E119"
    (folder / "zero.txt").symlink_to("/dev/zero")
    bad["zero.txt"] = "E117"
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    bad["passwd.txt"] = "E117"
    (folder / "up.txt").symlink_to(folder.parent / "outside.txt")
    write(folder.parent / "outside.txt", "Text outside the corpus must not be read.")
    bad["up.txt"] = "E117"
    (folder / "z_link.txt").symlink_to(folder / "utf16.txt")
    bad["z_link.txt"] = "E109"                                # followed: the same text as its target
    (folder / "loop").symlink_to(folder)                      # a folder loop is walked once
    raw = os.fsencode(str(folder)) + b"/caf\xe9_name.txt"
    with open(raw, "wb") as fh:
        fh.write(BODY.format(place="Ansongo").encode())
    good.add("caf\\xe9_name.txt")
    return bad, good


def codes(rejects: list[Reject]) -> dict[str, str]:
    return {r.path: r.reason[1:5] for r in rejects}


def test_hostile_corpus_ingests_without_stopping(tmp_path):
    corpus = tmp_path / "corpus"
    bad, good = hostile_corpus(corpus)
    articles, rejects = read_corpus(corpus, SETTINGS)
    articles, dups = drop_duplicates(articles)
    rejects += dups
    assert codes(rejects) == bad
    assert {a.path for a in articles} == good
    assert all("\n" not in r.reason and r.reason.startswith("[E") for r in rejects)
    by = {a.path: a for a in articles}
    assert by["impossible_date.md"].published is None and by["impossible_date.md"].warnings[0].startswith("[E111]")
    assert by["utf16.txt"].text.startswith("Gunmen attacked") and by["utf32.txt"].text.startswith("Gunmen")
    assert by["latin1.txt"].warnings[0].startswith("[E110]")
    assert by["control.md"].title == "Nul and bell tab" and by["control.md"].source == "Src[31m"
    assert by["dict_title.md"].title is None and by["dict_title.md"].published is None
    assert [w[:6] for w in by["dict_title.md"].warnings] == ["[E122]", "[E122]"]
    assert by["surrogate.jsonl:1"].title == "bad \ufffd t" and by["surrogate.jsonl:1"].warnings[0].startswith("[E123]")
    assert by["sidecar/one.txt"].title == "Side" and by["sidecar/one.txt"].warnings[0].startswith("[E124]")
    assert "b_meta.md" in next(r.reason for r in dups if r.path == "a_bare.txt")
    assert by["int_keys.md"].extra == {"1": "one"}
    # every row can be written: a strange name or value never breaks a write
    to_table("documents", [{"doc_id": a.doc_id, "path": a.path, "title": a.title, "text": a.text,
                            "extra": json.dumps(a.extra, sort_keys=True), "source": a.source} for a in articles])
    to_table("rejects", [{"path": r.path, "reason": r.reason} for r in rejects])


def test_jsonl_file_bounded_as_a_whole(tmp_path):
    write(tmp_path / "feed.jsonl", '{"text": "one"}\n' * 100)
    arts, (r,) = read_corpus(tmp_path, {**SETTINGS, "max_jsonl_bytes": 1000})
    assert arts == [] and r.reason.startswith("[E127]")


names = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1,
                max_size=20).filter(lambda s: not s.startswith(".") and s not in (".", ".."))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.tuples(names, st.sampled_from([".txt", ".md", ".jsonl", ".csv", ""]),
                                st.one_of(st.binary(max_size=300),
                                          st.text(max_size=300).map(lambda t: ("---\n" + t + "\n---\nBody.")
                                                                    .encode("utf-8", "surrogatepass")),
                                          st.text(max_size=200).map(lambda t: json.dumps({"text": t, "title": t})
                                                                    .encode()))),
                      max_size=8, unique_by=lambda f: f[0] + f[1]),
       raw_name=st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\x00" not in b
                                                         and not b.startswith(b".")))
def test_random_inputs_never_stop_ingest(tmp_path_factory, files, raw_name):
    corpus = tmp_path_factory.mktemp("fuzz")
    for name, ext, content in files:
        (corpus / (name + ext)).write_bytes(content)
    with open(os.fsencode(str(corpus)) + b"/" + raw_name + b".txt", "wb") as fh:
        fh.write(b"Some text.")
    articles, rejects = read_corpus(corpus, SETTINGS)
    articles, dups = drop_duplicates(articles)
    for r in rejects + dups:
        assert r.reason.startswith("[E") and "\n" not in r.reason
        r.path.encode("utf-8")
    for a in articles:
        for value in (a.path, a.text, a.title or "", a.source or "", json.dumps(a.extra)):
            value.encode("utf-8")
        assert "\x00" not in (a.title or "") + (a.source or "") + (a.author or "") + (a.url or "")


def test_lock_of_a_dead_process_is_taken_over(tmp_path, caplog):
    out = tmp_path / "out"
    store = Store(out)
    with store.lock():
        pass
    # an orphan holds the lock file open while the pid in it is of a process that has ended
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time\n"
                               f"f = open({str(out / '.lock')!r}, 'a+'); fcntl.flock(f, fcntl.LOCK_EX)\n"
                               f"f.seek(0); f.truncate(); f.write({dead!r}); f.flush()\n"
                               "print('locked', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with caplog.at_level("WARNING"), store.lock():
            assert (out / ".lock").read_text() == str(os.getpid())
        assert f"dead process {dead}" in caplog.text
        # a live holder is respected
        live = subprocess.Popen([sys.executable, "-c", "import fcntl, os, time\n"
                                 f"f = open({str(out / '.lock')!r}, 'a+'); fcntl.flock(f, fcntl.LOCK_EX)\n"
                                 "f.seek(0); f.truncate(); f.write(str(os.getpid())); f.flush()\n"
                                 "print('locked', flush=True); time.sleep(60)"], stdout=subprocess.PIPE, text=True)
        try:
            assert live.stdout.readline().strip() == "locked"
            with pytest.raises(PipelineError, match=r"\[E201\].*pid %d" % live.pid):
                with store.lock():
                    pass
        finally:
            live.kill()
            live.wait()
    finally:
        holder.kill()
        holder.wait()


def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, **kw)


def test_clean_refuses_a_folder_that_is_not_an_output_folder(tmp_path):
    other = tmp_path / "mine"
    write(other / "thesis.txt", "do not delete")
    r = cli("clean", "--out", str(other))
    assert r.returncode == 2 and "[E205]" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert (other / "thesis.txt").read_text() == "do not delete"


@pytest.mark.slow
def test_hostile_corpus_runs_to_completion_end_to_end(tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(CORPUS, corpus)
    bad, good = hostile_corpus(corpus)
    good |= {p.name for p in CORPUS.glob("*.txt")}
    r = cli("run", "--corpus", str(corpus), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert f"processed {len(good)} ({len(good)} new, 0 changed), unchanged 0, rejected {len(bad)}," in r.stdout
    assert f"tables in {out}/" in r.stdout
    rejects = pd.read_parquet(out / "rejects")
    assert dict(zip(rejects.path, rejects.reason.str[1:5])) == bad
    assert set(pd.read_parquet(out / "documents").path) == good
    # the next run and status see the same rejects and process nothing
    r = cli("run", "--corpus", str(corpus), "--out", str(out))
    assert r.returncode == 0 and f"processed 0 (0 new, 0 changed), unchanged {len(good)}, rejected {len(bad)}" in r.stdout
    assert cli("status", "--corpus", str(corpus), "--out", str(out)).returncode == 0
    # clean removes the tables of an output folder
    r = cli("clean", "--out", str(out))
    assert r.returncode == 0 and not (out / "documents").exists() and not (out / ".gen").exists()


def children_of(pid: int) -> set[int]:
    found = set()
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if int((p / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(p.name))
            except (OSError, IndexError, ValueError):
                pass
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
def test_killed_run_with_workers_leaves_no_process_and_next_run_succeeds(tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    seeds = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for i in range(120):
        write(corpus / f"a{i:03d}.txt", f"Report {i}.\n\n" + seeds[i % 3])
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out),
                             "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline, kids = time.time() + 240, set()
        while time.time() < deadline and len(kids) < 2:
            kids = {k for k in children_of(proc.pid) if "pipeline" in _cmdline(k) or "python" in _cmdline(k)}
            time.sleep(0.2)
        assert len(kids) >= 2, "the run did not start its workers"
        time.sleep(1.0)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.time() + 20
        while time.time() < deadline and any(alive(k) for k in kids):
            time.sleep(0.2)
        assert not any(alive(k) for k in kids), "worker processes outlived the killed run"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    r = cli("run", "--corpus", str(corpus), "--out", str(out), "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert len(pd.read_parquet(out / "documents")) == 120


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _can_mount() -> str | None:
    if os.geteuid() != 0:
        return "needs root to mount a small tmpfs"
    probe = Path("/tmp") / f"claimex-mount-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe)],
                          capture_output=True).returncode:
            return "this machine does not allow mounting a tmpfs"
        subprocess.run(["umount", str(probe)], check=True)
        return None
    except FileNotFoundError:
        return "no mount command"
    finally:
        probe.rmdir()


MOUNT_SKIP = _can_mount()


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)], check=True)
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.slow
@pytest.mark.skipif(MOUNT_SKIP is not None, reason=MOUNT_SKIP or "")
def test_full_or_read_only_disk_is_one_coded_line_and_costs_nothing(tmp_path, small_disk):
    corpus, out = tmp_path / "corpus", small_disk / "out"
    shutil.copytree(CORPUS, corpus)
    assert cli("run", "--corpus", str(corpus), "--out", str(out)).returncode == 0
    before = {t: pd.read_parquet(out / t) for t in ("documents", "sentences", "events")}
    write(corpus / "new.txt", BODY.format(place="Gao"))
    filler = small_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)      # fill the disk to the last byte
    try:
        for chunk in (65536, 1):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError:
                pass
    finally:
        os.close(fd)

    def check_refused(r):
        assert r.returncode == 2
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "[E204]" in lines[0], r.stderr
        for t, df in before.items():
            pd.testing.assert_frame_equal(pd.read_parquet(out / t), df)
        assert not [p for p in (out / ".gen").iterdir() if p.name.startswith("tmp-")]

    check_refused(cli("run", "--corpus", str(corpus), "--out", str(out)))
    filler.unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    check_refused(cli("run", "--corpus", str(corpus), "--out", str(out)))
    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    r = cli("run", "--corpus", str(corpus), "--out", str(out))
    assert r.returncode == 0 and len(pd.read_parquet(out / "documents")) == 4


def test_stored_names_are_one_to_one(tmp_path):
    with open(os.fsencode(str(tmp_path)) + b"/caf\xe9.txt", "wb") as fh:
        fh.write(b"One text about a raid.")
    write(tmp_path / "caf\\xe9.txt", "Another text about a march.")
    arts, rejects = read_corpus(tmp_path, SETTINGS)
    assert rejects == [] and len({a.path for a in arts}) == 2


def test_a_file_swapped_for_a_symlink_after_the_walk_is_not_read(tmp_path):
    from pipeline.ingest import read_entry, walk_corpus
    write(tmp_path / "a.txt", "A harmless article.")
    (entry,), _ = walk_corpus(tmp_path, [".txt"])
    (tmp_path / "a.txt").unlink()
    (tmp_path / "a.txt").symlink_to("/etc/passwd")
    arts, rejects = [], []
    try:
        arts, rejects = read_entry(entry, ".txt", None, SETTINGS)
    except Exception as e:  # noqa: BLE001 - an InputError is the expected outcome
        assert str(e).startswith("[E103]")
    assert not any("root:" in a.text for a in arts)


def test_one_bad_jsonl_line_costs_only_that_line(tmp_path):
    write(tmp_path / "feed.jsonl", b'{"text": "First good article."}\n\x00\x01\x02\n'
                                   + b'{"text": "Caf\xe9 attack."}\n{"text": "Third good article."}\n')
    arts, rejects = read_corpus(tmp_path, SETTINGS)
    assert [a.path for a in arts] == ["feed.jsonl:1", "feed.jsonl:3", "feed.jsonl:4"]
    assert arts[1].warnings[0].startswith("[E110]")
    assert [(r.path, r.reason[:6]) for r in rejects] == [("feed.jsonl:2", "[E102]")]


def test_aliases_cannot_hide_the_depth_of_front_matter(tmp_path):
    deep = "[" * 25 + "&a [" + "[" * 24 + "]" * 24 + "]" + "]" * 25
    write(tmp_path / "a.md", f"---\nx: [{deep}, *a]\n---\nBody.\n")
    arts, (r,) = read_corpus(tmp_path, SETTINGS)
    assert arts == [] and r.reason.startswith("[E104]") and "E121" in r.reason


def test_nul_bytes_after_a_utf8_bom_are_binary_and_infinite_numbers_are_not_kept(tmp_path):
    write(tmp_path / "bom.txt", b"\xef\xbb\xbfText\x00\x00 more")
    write(tmp_path / "inf.md", "---\nscore: .inf\nratio: .nan\n---\nBody of the article.\n")
    arts, rejects = read_corpus(tmp_path, SETTINGS)
    assert [(r.path, r.reason[:6]) for r in rejects] == [("bom.txt", "[E102]")]
    (a,) = arts
    assert a.extra == {"score": None, "ratio": None} and "Infinity" not in json.dumps(a.extra)
