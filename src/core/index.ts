/** The pure numerical core: no I/O, no clock, no randomness that is not injected. */
export * from './errors';
export * from './alleles/allele';
export * from './genetics/population';
export * from './genetics/nei';
export * from './genetics/prepared-population';
export * from './genetics/collapse';
export * from './tree/tree';
export * from './tree/neighbor-joining';
export * from './tree/upgma';
export * from './tree/newick';
export * from './tree/robinson-foulds';
export * from './tree/reroot';
export * from './tree/bootstrap';
export * from './format/phylip';
export * from './random';
export * from './prediction';
