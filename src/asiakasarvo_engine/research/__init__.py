"""Research toolkit: synthetic corpora, corpora of past analyses, re-scoring, comparison of
rule sets, sensitivity to the weights and exports.

The Python API is for notebooks and returns plain tables: lists of dicts, one per row,
that ``pandas.DataFrame(rows)`` (or ``polars.DataFrame``) turns into a frame, and
:func:`as_columns` gives the same rows as a column dict. The ``asiakasarvo research``
commands write the same rows. Every result is a pure function of the corpus, the rules
and the seed: the same inputs give the same numbers and bytes. ::

    from asiakasarvo_engine import research
    from asiakasarvo_engine.scoring.program import load_program

    program = load_program()
    corpus = research.read_corpus(["corpus/"], program.bank)
    rows = research.rescore(program, corpus)              # one row per analysis
    changes = research.compare_rule_sets(program, load_program("reform.yaml"), corpus)
    summary = research.sensitivity_analysis(program, corpus, perturb=0.1, draws=1000, seed=1)
    tables = research.export_tables(program, corpus)     # items, results, dictionary

* :mod:`.synth`: ``synthesize`` writes a synthetic corpus with a known latent structure.
* :mod:`.corpus`: ``read_corpus`` reads answers files, session exports and stores;
  ``read_key`` and ``pseudonym`` make keyed HMAC-SHA256 pseudonyms of company ids.
* :mod:`.rescore`: ``rescore`` scores a corpus with a rule set, ``rows_csv``/``rows_json``.
* :mod:`.compare`: ``compare_rule_sets`` row by row, ``compare_summary`` counts them.
* :mod:`.sensitivity`: ``sensitivity_analysis`` of levels and rankings to perturbed weights
  (NumPy).
* :mod:`.export`: ``export_tables`` (items, results, dictionary) and ``write_export`` as
  CSV, Parquet or DuckDB.
* :mod:`.reliability`: ``reliability_analysis`` (alpha, omega, item-total r per subscale).
* :mod:`.snapshot`: ``regional_snapshot`` of levels and scores by province, size class and
  industry, small cells suppressed.
* :mod:`.feedback`: ``feedback_summary`` of the quality surveys per module.
* :mod:`.followup`: ``followup_pairs`` of each company's T0 and T1 analyses.
* :mod:`.progress`: progress bars on stderr, shown only on a terminal (``progress=True``).

NumPy, pyarrow, duckdb and tqdm come with ``pip install 'asiakasarvo-engine[research]'``;
they are imported only when a function needs them (RES-020 says what to install).
"""

from asiakasarvo_engine.research.compare import compare as compare_rule_sets
from asiakasarvo_engine.research.compare import summary as compare_summary
from asiakasarvo_engine.research.corpus import Analysis, CodedResearchError, pseudonym, read_corpus, read_key
from asiakasarvo_engine.research.export import export_tables, write_export
from asiakasarvo_engine.research.feedback import feedback as feedback_summary
from asiakasarvo_engine.research.followup import followup as followup_pairs
from asiakasarvo_engine.research.reliability import reliability as reliability_analysis
from asiakasarvo_engine.research.rescore import as_columns, columns, rescore, rows_csv, rows_json
from asiakasarvo_engine.research.sensitivity import parse_perturb, perturbed_program
from asiakasarvo_engine.research.sensitivity import sensitivity as sensitivity_analysis
from asiakasarvo_engine.research.snapshot import snapshot as regional_snapshot
from asiakasarvo_engine.research.synth import synthesize

__all__ = [
    "Analysis",
    "CodedResearchError",
    "as_columns",
    "columns",
    "compare_rule_sets",
    "compare_summary",
    "export_tables",
    "feedback_summary",
    "followup_pairs",
    "parse_perturb",
    "perturbed_program",
    "pseudonym",
    "read_corpus",
    "read_key",
    "regional_snapshot",
    "reliability_analysis",
    "rescore",
    "rows_csv",
    "rows_json",
    "sensitivity_analysis",
    "synthesize",
    "write_export",
]
