// Functions the compiler implements itself (they need rows, tables or the query plan), so they are not in the
// builtin registry. scripts/kql-coverage.ts counts them as implemented in the coverage report.
export const COMPILER_FUNCTIONS = ["toscalar", "materialize", "view", "row_number", "row_cumsum", "row_window_session", "prev", "next", "pack_all", "column_ifexists", "columnifexists"];
