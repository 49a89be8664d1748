"""Step one: text → AST. Safe reading (`sources`), the Lark grammar and parser, the AST
(`nodes`) built by `transformer`, and syntax errors in a rule author's words."""
