"""Step two: the AST held to the schema and the vocabulary. Every problem at once, each a
located diagnostic: structure (`collect`, `schema`), names and references (`checker`),
types (`types`), dates (`periods`) and values (`values`)."""
