"""geokg's service: the REST API, the explorer page and the command line. Thin by design:
it validates input, calls `graph/`, and shapes responses."""
