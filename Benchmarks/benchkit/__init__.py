"""The pieces of `make bench`: processes, the systems measured, wrk runs, and the report."""
