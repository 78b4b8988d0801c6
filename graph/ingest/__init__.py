"""Getting articles in: one at a time, from files and feeds, in bulk, and from GDELT."""
