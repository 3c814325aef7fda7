"""Load generator, benchmark and fault drill: how fast and how robust the system is, in figures."""
