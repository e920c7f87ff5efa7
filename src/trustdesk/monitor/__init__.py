"""Monitoring: metrics now; drift, anomalies, QA and fairness later. Fails open."""
