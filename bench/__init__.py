"""`make bench`: page weights, server times and query counts on a large data set."""
