"""asiakasarvo-engine: customer-value analysis engine."""
