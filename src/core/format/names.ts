/**
 * Names made safe and unique for each export format. Model names are free text ("llama 3.1 8b",
 * "it's", "x(y):z"); each format has its own idea of a name, and a renamed taxon must never
 * collide with another ("a b" and "a_b" stay two taxa).
 *
 * - Newick: the Newick standard quotes such labels ('a b', with '' for a quote), but the two
 *   readers people use do not honour it: ape::read.tree (5.7) keeps the quotes as part of the
 *   label and turns 'it''s' into NA; Bio.Phylo (1.80) reads 'it''s' as "s". Checked by
 *   test/core/oracles/formats.live.test.ts. So labels are written bare, and a bare label both read
 *   literally may hold anything but blanks, control characters and ( ) [ ] ' : ; , ". Names
 *   that already qualify are kept; others get each offending run replaced by "_", then a
 *   suffix when taken. (Bare underscores are blanks in the standard; both readers keep them.)
 * - PHYLIP: at most 10 characters, padded to 10 in the strict layout every PHYLIP program reads;
 *   printable ASCII (PHYLIP counts bytes), no blanks (they end a relaxed name) and none of
 *   ( ) [ ] ' : ; , (neighbor copies names into its Newick outtree). A longer name loses its
 *   organisation prefix (up to the last "/") before it is cut.
 * - NEXUS (Maddison, Swofford & Maddison 1997, section 3.2): a word holding blanks or
 *   punctuation is quoted, with a single quote inside written twice.
 *
 * Complexity: O(total length of the names) apart from suffix searches on collisions.
 */

const NEWICK_UNSAFE = /[\s\p{Cc}()[\]':;,"]+/gu;
const PHYLIP_UNSAFE = /[^!-~]|[()[\]':;,]/g;
const PHYLIP_WIDTH = 10;
/** NEXUS punctuation ( ) [ ] { } / \ , ; : = * ' " ` + - < > and blanks force quoting */
const NEXUS_NEEDS_QUOTES = /[\s\p{Cc}()[\]{}/\\,;:=*'"`+\-<>]/u;

/** Bare Newick labels, one per name, unique, that ape::read.tree and Bio.Phylo read as written. */
export function newickLabels(names: readonly string[]): string[] {
  return uniqueNames(
    names,
    (name) => name.length > 0 && !new RegExp(NEWICK_UNSAFE.source, 'u').test(name),
    (name) => name.replace(NEWICK_UNSAFE, '_') || '_',
    (base, k) => `${base}_${k}`,
  );
}

/** PHYLIP names, one per name, unique, of 1 to 10 printable ASCII characters. */
export function phylipNames(names: readonly string[]): string[] {
  return uniqueNames(
    names,
    (name) => name.length > 0 && name.length <= PHYLIP_WIDTH && !new RegExp(PHYLIP_UNSAFE.source).test(name),
    (name) =>
      // an organisation prefix ("meta-llama/", "simulated/") says little in 10 characters
      (name.replace(/^.*\/(?=[^/]+$)/, '') || name)
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .replace(PHYLIP_UNSAFE, '_')
        .replace(/_+/g, '_')
        .slice(0, PHYLIP_WIDTH) || '_',
    (base, k) => {
      const suffix = String(k);
      return base.slice(0, PHYLIP_WIDTH - suffix.length) + suffix;
    },
  );
}

/** A NEXUS word for `name`: as it is when it needs no quotes, else quoted with '' for '. */
export function nexusWord(name: string): string {
  if (name.length > 0 && !NEXUS_NEEDS_QUOTES.test(name)) return name;
  return `'${name.replace(/'/g, "''")}'`;
}

/**
 * One unique name per input: names that are `safe` keep themselves (the first of equal ones),
 * then every other gets `sanitise(name)`, or `withSuffix(base, k)` for the first k = 2, 3, ...
 * that is free. Safe names are placed first so a rename never takes a name someone already has.
 */
function uniqueNames(
  names: readonly string[],
  safe: (name: string) => boolean,
  sanitise: (name: string) => string,
  withSuffix: (base: string, k: number) => string,
): string[] {
  const taken = new Set<string>();
  const out: (string | null)[] = names.map((name) => {
    if (!safe(name) || taken.has(name)) return null;
    taken.add(name);
    return name;
  });
  return out.map((kept, i) => {
    if (kept !== null) return kept;
    const base = sanitise(names[i]);
    let name = base;
    for (let k = 2; taken.has(name); k++) name = withSuffix(base, k);
    taken.add(name);
    return name;
  });
}
