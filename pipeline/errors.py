"""One catalogue of the messages the pipeline shows to users.

Each message says what was expected, what came in and how to fix it, and
carries a code so it can be looked up in the docs and grepped in logs
(the pattern of spaCy's ``errors.py``).
"""

from __future__ import annotations


class Errors:
    # configuration (E0xx)
    E001 = "[E001] Config file {path} not found. Pass --config with an existing YAML file."
    E002 = "[E002] Config file {path}: expected {expected} at '{key}', got {value!r}."
    E003 = ("[E003] Model '{model}' could not be loaded ({reason}). Install it into the "
            "environment (pip install ...) or set `model:` in {path} to an installed one.")
    # corpus / ingest rejects (E1xx): one line each, stored in the rejects table
    E101 = "[E101] empty file: no text after removing whitespace"
    E102 = "[E102] binary file: contains NUL bytes; expected UTF-8 text"
    E103 = "[E103] unreadable file: {reason}"
    E104 = "[E104] malformed front matter: {reason}; expected a YAML mapping between '---' lines"
    E105 = "[E105] JSONL line {line}: not valid JSON ({reason})"
    E106 = "[E106] JSONL line {line}: no non-empty 'text' field; expected an object with \"text\""
    E107 = "[E107] unknown extension '{ext}': expected one of {expected}"
    E108 = "[E108] file of {size} bytes exceeds ingest.max_file_bytes = {limit}; raise the limit in the config to accept it"
    E109 = "[E109] duplicate of {other}: same text, processed once; {other} is kept ({why})"
    E110 = "[E110] invalid UTF-8 at byte {pos}: decoded with replacement characters"
    E111 = "[E111] bad '{key}' value {value!r}: expected an ISO date (YYYY-MM-DD); kept empty"
    E112 = "[E112] metadata.csv: {reason}"
    E113 = "[E113] JSONL line {line}: expected a JSON object, got {kind}"
    E114 = ("[E114] article of {size} characters exceeds ingest.max_file_bytes = {limit}; split it or raise "
            "the limit in the config")
    E115 = ("[E115] extraction failed ({kind}: {reason}); retried when the file or the settings change, "
            "or with --retry-rejects")
    E116 = "[E116] could not read this input ({kind}: {reason}); the rest of the corpus is processed"
    E117 = "[E117] symlink to {target}, outside the corpus folder: only files inside the corpus are read"
    E118 = "[E118] a folder named like a file ({ext}): not an article; the files inside it are read as usual"
    E119 = "[E119] not a regular file but a {kind}: only regular files are read"
    E120 = ("[E120] not text: {share:.0%} of the characters could not be decoded (limit "
            "ingest.max_replacement_share = {limit:.0%}); expected UTF-8, or UTF-16/32 with a byte-order mark")
    E121 = "[E121] nested {depth} levels deep or more; ingest.max_nesting_depth = {limit}"
    E122 = "[E122] '{key}' is a {kind}, expected a text value; kept empty"
    E123 = "[E123] lone surrogate escapes (e.g. \\ud800) replaced with U+FFFD"
    E124 = "[E124] metadata.csv line {line}: {got} fields, the header has {expected}; the extra fields are ignored"
    E125 = "[E125] metadata.csv line {line}: names {file!r}, which is not a file in this folder; row not used"
    E126 = ("[E126] front matter expands to more than {limit} YAML nodes (aliases included); "
            "ingest.max_front_matter_nodes bounds it")
    E127 = "[E127] .jsonl file of {size} bytes exceeds ingest.max_jsonl_bytes = {limit}; split it or raise the limit"
    # run / store (E2xx)
    E201 = ("[E201] Another run holds the lock on {out} (pid {pid}). Wait for it to finish, "
            "or remove {lock} if no such process is running.")
    E202 = "[E202] Corpus folder {path} does not exist or is not a folder."
    E203 = ("[E203] {path} exists but is not a pipeline output folder (no {marker}). "
            "Choose an empty or new --out folder; nothing was written.")
    E204 = ("[E204] could not write to {path}: {reason}. The tables of the previous run are unchanged; "
            "free some space or make the folder writable, then run again.")
    E206 = ("[E206] the new tables of {path} were published, but tidying up after them failed: {reason}. "
            "The tables are complete; free some space so the next run can remove the old generation.")
    E207 = ("[E207] a worker process died ({reason}). The batches committed before it are kept; run again to "
            "complete the tables (a worker killed for lack of memory: lower run.parse_batch or --workers).")
    E208 = ("[E208] could not reach the Dask scheduler at {address} ({reason}); expected the address of a running "
            "`dask scheduler` such as tcp://127.0.0.1:8786. Start one, or leave out --scheduler for a local cluster.")
    E209 = ("[E209] --engine dask needs the dask[distributed] package ({reason}); install it with "
            "pip install -e '.[dask]' (make install does).")
    E210 = ("[E210] the Dask cluster lost the tasks of partition {partition} ({reason}) after {retries} retries; "
            "the batches committed before are kept; run again to complete the tables.")
    W211 = ("[W211] {n} worker(s) of the Dask cluster give freed memory back to the system below {mb} MiB "
            "(MALLOC_TRIM_THRESHOLD_, 64 KiB by Dask's default), which makes the parse 30-45 % dearer; start the "
            "workers with DASK_CONFIG=configs/dask dask worker ... (README, Scaling out).")
    E205 = "[E205] {path} is not a pipeline output folder (no {marker}); nothing was removed."
    # alias table (E3xx)
    E301 = "[E301] {path}: missing column(s) {missing}; expected header {expected}."
    E302 = "[E302] {path} line {line}: unknown type {value!r}; expected one of {expected}."
    E303 = "[E303] {path} line {line}: empty alias in {value!r}; separate aliases with '|' and no empty items."
    E304 = ("[E304] {path} line {line}: alias {alias!r} maps to both {first!r} and {second!r} "
            "of type {type}; keep it on one row.")
    E305 = "[E305] {path} line {line}: empty {column}; every row needs an id, a name and a type."
    E306 = "[E306] {path} line {line}: duplicate id {value!r}; ids must be unique."
    E307 = "[E307] {path} line {line}: geonames_id {value!r} is not a number; give the GeoNames id or leave it empty."
    # gold / evaluation (E4xx)
    E401 = "[E401] {path}: not valid JSON ({reason})"
    E402 = "[E402] {path} {where}: evidence not found in the article: {evidence!r}"
    E403 = "[E403] {path} {where}: unknown {field} {value!r}; expected one of {expected}"
    E404 = "[E404] {path}: article {file!r} is not in the corpus {corpus}"
    E405 = "[E405] {path} {where}: bad {field} {value!r}; expected {expected}. The field is not scored."
    # YAML rule files (E5xx)
    E501 = "[E501] {path}: {reason}"
    E502 = "[E502] {path}: unknown key '{key}'; expected one of: {expected}. Check its spelling."
    E503 = "[E503] {path}: missing key '{key}'; expected {expected}."
    E504 = "[E504] {path}: '{key}' is {got}; expected {expected}."
    # the analyst's desk: report, SQL, export (E6xx)
    E601 = ("[E601] {out} holds no tables (no committed run). Run `pipeline run --out {out}` first, "
            "or pass the --out folder of a run.")
    E602 = "[E602] SQL error: {reason}"
    E603 = "[E603] {path}: {where}: {reason}"
    E604 = "[E604] could not write {path}: {reason}"


class PipelineError(Exception):
    """An error whose message comes from :class:`Errors`; the CLI prints it on one line."""
