"""Tools for rule authors over the same pipeline: the formatter and the Pygments lexer."""
