"""열린 데이터: the datasets the features declare (Feature.datasets) as CSV and JSON
downloads, described field by field, and as a small read-only JSON API."""
