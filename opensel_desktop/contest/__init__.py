"""Contest files (YAML) and interchange formats (BLT, CSV, JSON): parse, validate, write."""
