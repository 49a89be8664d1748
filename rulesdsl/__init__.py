"""Jawaz rule language: text → checked AST → IR. Never imports the engine or durable.

    from rulesdsl.loader import check_paths, load_bundle

    report = check_paths([Path("jurisdictions")])   # diagnostics, counts, the IR if clean
    bundle = load_bundle()                            # the bundled rules' IR, or DslError

Modules, in pipeline order: `sources` (reading files safely), `parser` (Lark, LALR;
`grammar/jawaz.lark`), `syntax_errors` (what a syntax error means), `transformer` and
`nodes` (the AST), `schema` (what each block may contain), `collect`, `checker`,
`typecheck`, `periods` and `values` (the checker's passes), `lower` and `ir` (the IR),
`formatter` (`jawaz fmt`), `diagnostics` (codes and rendering), `loader` and `cache`.
"""

from __future__ import annotations
