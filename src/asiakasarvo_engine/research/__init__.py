"""Research toolkit: synthetic corpora, corpora of past analyses, re-scoring.

The Python API returns plain data: :func:`~asiakasarvo_engine.research.rescore.rescore`
gives a list of dicts, one per analysis, that a notebook turns into a table with
``pandas.DataFrame(rows)``; the ``asiakasarvo research`` commands write the same rows.

* :mod:`.synth`: ``synthesize`` writes a synthetic corpus with a known latent structure.
* :mod:`.corpus`: ``read_corpus`` reads answers files, session exports and stores;
  ``read_key`` and ``pseudonym`` make keyed HMAC-SHA256 pseudonyms of company ids.
* :mod:`.rescore`: ``rescore`` scores a corpus with a rule set, ``rows_csv``/``rows_json``.
"""
