"""The analyst's desk: reading the tables of a finished run (load, SQL, the ACLED export, the HTML report) and
their datapackage.json.

These modules live in a sub-package on purpose: the settings fingerprint hashes the extraction code
(``pipeline/*.py``), and a change to a report or an export must not make the next run reprocess the corpus.
Their public names are re-exported from :mod:`pipeline`.
"""
