/**
 * Newick text <-> Tree. String conversion only; no file access.
 *
 * Grammar (Olsen 1990, the Newick spec as published with PHYLIP):
 *     tree   = subtree [":" length] ";"
 *     subtree = "(" subtree {"," subtree} ")" [label] | label
 * Unquoted labels may not contain blanks, parentheses, square brackets, single quotes,
 * colons, semicolons or commas, and their underscores stand for blanks. Quoted labels
 * are enclosed in single quotes, with a single quote inside written twice. Comments are
 * in square brackets and ignored, except a leading [&R] / [&U] rooting hint.
 *
 * Parsed trees are `rooted` when the text says [&R], unrooted for [&U], and otherwise
 * rooted iff the root has exactly two children (the usual convention: NJ trees are
 * written with a trifurcation at the root). Leaves get `taxon` = order of appearance.
 *
 * Complexity: O(length of text) both ways; neither recurses, so nesting depth is unbounded.
 *
 * @see https://phylipweb.github.io/phylip/newicktree.html
 */
import { PhyloInputError } from '../errors';
import { depthFirst } from '../tree/traversal';
import { newNode, type Tree, type TreeNode } from '../tree/tree';

export interface NewickFormatOptions {
  /** significant digits for branch lengths; default: shortest text that reads back exactly */
  digits?: number;
  /**
   * write labels as they are, unquoted: for labels made by `newickLabels` (names.ts), which
   * ape::read.tree and Bio.Phylo read literally where they would mangle quoted ones
   */
  bare?: boolean;
}

const UNQUOTED_FORBIDDEN = /[\s()[\]':;,_]/;
/** what a bare label may not hold (names.ts `newickLabels` avoids it) */
const BARE_FORBIDDEN = /[\s\p{Cc}()[\]':;,"]/u;

/**
 * Newick text of `tree` (children in stored order), ending with ";". A rooted tree starts with
 * the rooting hint "[&R] " (read by ape, PAUP*, MrBayes, FigTree; a comment to others), so a
 * reader does not take a rooted tree for an unrooted one drawn from a bifurcation.
 */
export function formatNewick(tree: Tree, options: NewickFormatOptions = {}): string {
  const { digits, bare = false } = options;
  if (digits !== undefined && (!Number.isInteger(digits) || digits < 1 || digits > 17)) {
    throw new RangeError(`digits must be an integer in 1..17, got ${digits}`);
  }
  const parts: string[] = tree.rooted ? ['[&R] '] : [];
  // subtree = "(" subtree {"," subtree} ")" label [":" length]
  depthFirst(tree, {
    enter(id, rank) {
      if (rank > 0) parts.push(',');
      if (tree.nodes[id].children.length > 0) parts.push('(');
    },
    leave(id) {
      const node = tree.nodes[id];
      if (node.children.length > 0) parts.push(')');
      parts.push(bare ? bareLabel(node.name) : formatLabel(node.name));
      if (node.branchLength !== null) parts.push(':' + formatLength(node.branchLength, digits));
    },
  });
  return parts.join('') + ';';
}

/** A label, quoted (with '' for ') when unquoted text would not read back the same. */
export function formatLabel(name: string | null): string {
  if (name === null || name === '') return '';
  if (!UNQUOTED_FORBIDDEN.test(name)) return name;
  return `'${name.replace(/'/g, "''")}'`;
}

function bareLabel(name: string | null): string {
  if (name !== null && BARE_FORBIDDEN.test(name))
    throw new PhyloInputError(`not a bare Newick label: ${JSON.stringify(name)}`);
  return name ?? '';
}

function formatLength(length: number, digits: number | undefined): string {
  if (!Number.isFinite(length)) throw new PhyloInputError(`branch lengths must be finite, got ${length}`);
  // String(x) is the shortest repr that round-trips (ECMA-262 Number::toString)
  return digits === undefined ? String(length) : String(Number(length.toPrecision(digits)));
}

/** Parses one Newick tree. Throws PhyloInputError naming the position of malformed input. */
export function parseNewick(text: string): Tree {
  return new NewickParser(text).parse();
}

class NewickParser {
  private pos = 0;
  private readonly nodes: TreeNode[] = [];
  private leafCount = 0;
  private rootedHint: boolean | null = null;

  constructor(private readonly text: string) {}

  parse(): Tree {
    this.skipSpaceAndComments(true);
    if (this.pos >= this.text.length) this.fail('expected a tree, got empty input');
    const root = this.subtree();
    this.skipSpaceAndComments(false);
    if (this.text[this.pos] !== ';') this.fail(`expected ';' at the end of the tree, got ${this.describe()}`);
    this.pos++;
    this.skipSpaceAndComments(false);
    if (this.pos < this.text.length) this.fail(`unexpected text after ';': ${this.describe()}`);
    const rooted = this.rootedHint ?? this.nodes[root].children.length === 2;
    return { nodes: this.nodes, root, rooted };
  }

  /**
   * One subtree, read without recursion so that nesting deeper than the call stack (a
   * caterpillar of many thousand leaves) still parses: `open` holds the inner nodes whose ")"
   * is still to come. Nodes are numbered in order of appearance, parents before children.
   */
  private subtree(): number {
    const open: number[] = [];
    let id = this.startNode(null);
    for (;;) {
      // "(" opens an inner node whose first child starts right after it
      while (this.text[this.pos] === '(') {
        this.pos++;
        open.push(id);
        id = this.startNode(id);
      }
      this.nodes[id].taxon = this.leafCount++;
      this.endNode(id);
      // after a subtree: "," starts its next sibling, ")" closes its parent
      for (;;) {
        if (open.length === 0) return id;
        this.skipSpaceAndComments(false);
        const parent = open[open.length - 1];
        if (this.text[this.pos] === ',') {
          this.pos++;
          id = this.startNode(parent);
          break;
        }
        if (this.text[this.pos] !== ')') this.fail(`expected ',' or ')', got ${this.describe()}`);
        this.pos++;
        id = open.pop() as number;
        this.endNode(id);
      }
    }
  }

  /** A new node (the next child of `parent`), with the reader at its first character. */
  private startNode(parent: number | null): number {
    const id = this.nodes.length;
    this.nodes.push({ ...newNode(id), parent });
    if (parent !== null) this.nodes[parent].children.push(id);
    this.skipSpaceAndComments(false);
    return id;
  }

  /** The label and branch length that follow a node's text. */
  private endNode(id: number): void {
    this.nodes[id].name = this.label();
    this.skipSpaceAndComments(false);
    if (this.text[this.pos] === ':') {
      this.pos++;
      this.nodes[id].branchLength = this.number();
    }
  }

  private label(): string | null {
    this.skipSpaceAndComments(false);
    if (this.text[this.pos] === "'") return this.quoted();
    const start = this.pos;
    while (this.pos < this.text.length && !/[\s()[\]':;,]/.test(this.text[this.pos])) this.pos++;
    // underscores in unquoted labels stand for blanks
    return this.pos > start ? this.text.slice(start, this.pos).replace(/_/g, ' ') : null;
  }

  private quoted(): string {
    const start = this.pos;
    let value = '';
    this.pos++;
    for (;;) {
      const end = this.text.indexOf("'", this.pos);
      if (end < 0) this.fail('unterminated quoted label', start);
      value += this.text.slice(this.pos, end);
      this.pos = end + 1;
      if (this.text[this.pos] !== "'") return value;
      value += "'";
      this.pos++;
    }
  }

  private number(): number {
    this.skipSpaceAndComments(false);
    const match = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 64));
    if (match === null) this.fail(`expected a branch length after ':', got ${this.describe()}`);
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private skipSpaceAndComments(atStart: boolean): void {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
      if (this.text[this.pos] !== '[') return;
      const end = this.text.indexOf(']', this.pos);
      if (end < 0) this.fail('unterminated comment', this.pos);
      const comment = this.text
        .slice(this.pos + 1, end)
        .trim()
        .toUpperCase();
      if (atStart && (comment === '&R' || comment === '&U')) this.rootedHint = comment === '&R';
      this.pos = end + 1;
    }
  }

  private describe(): string {
    return this.pos >= this.text.length ? 'end of input' : `'${this.text[this.pos]}'`;
  }

  private fail(message: string, at = this.pos): never {
    throw new PhyloInputError(`Newick: ${message} at position ${at}`);
  }
}
