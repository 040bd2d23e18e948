"""drillbook: an ETL pipeline from the interview-problems ebook to study material."""

__version__ = "0.1.0"
