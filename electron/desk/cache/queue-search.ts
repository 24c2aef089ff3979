// How the queue's search box is read. Each whitespace-separated term must match (AND). A term of three
// characters or more matches any substring of the case's search text through the trigram index. Shorter
// terms cannot use trigrams; when the search has nothing longer they match the start of the case id
// instead ("10" finds nothing, "DS" every DSP- case), through the id index. Alongside a longer term they
// are left out: the results are then a superset, which narrows as the user keeps typing, rather than an
// empty list that would look like "no such case".

export type SearchPlan =
  { kind: 'none' } | { kind: 'text'; match: string } | { kind: 'id_prefix'; glob: string };

const TRIGRAM = 3;

const characters = (term: string) => [...term].length;

/** An FTS5 string literal: the term as one phrase, so its punctuation is never read as query syntax. */
const phrase = (term: string) => `"${term.replaceAll('"', '""')}"`;

/** A GLOB pattern matching values that start with `prefix`; its wildcards are matched literally. */
const globPrefix = (prefix: string) => `${prefix.replace(/[*?[]/g, (wildcard) => `[${wildcard}]`)}*`;

export function planSearch(search: string): SearchPlan {
  const terms = search.trim().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return { kind: 'none' };
  const long = terms.filter((term) => characters(term) >= TRIGRAM);
  if (long.length > 0) return { kind: 'text', match: long.map(phrase).join(' AND ') };
  // Case ids are upper case ("DSP-100001"); GLOB is case-sensitive, and unlike LIKE it can use the index.
  return { kind: 'id_prefix', glob: globPrefix(terms.join(' ').toUpperCase()) };
}
