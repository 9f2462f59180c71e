/**
 * Escapes LIKE's wildcards in a search term, so `%`, `_` and `\` match themselves. Prisma's
 * `contains`/`startsWith` put the term between `%…%` as it is; PostgreSQL's LIKE takes `\` as its
 * escape character by default, so a searched `%` would otherwise match every row.
 */
export function escapeLikePattern(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
