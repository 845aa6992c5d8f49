"""Research toolkit: synthetic corpora with a known latent structure.

The Python API returns plain data (a notebook makes a DataFrame of rows with
``pandas.DataFrame(rows)``); the ``asiakasarvo research`` commands write the same.
"""
