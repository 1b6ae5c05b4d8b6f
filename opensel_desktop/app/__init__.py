"""Use-cases shared by the GUI and the CLI: open a contest, enter, count, declare, sign, audit."""
