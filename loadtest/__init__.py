"""The bounded loopback load test (bin/loadtest)."""
