"""Article files into Documents: every format margin reads, each file read within bounds."""
