import { DEFAULT_THRESHOLDS } from '../../services/evidence.service';

/** Descriptions of the evidence thresholds a request may override (README, "Evidence per model"). */
export const MIN_SAMPLES_PER_GENE = `median samples per sampled gene a model needs to be used by default (default ${DEFAULT_THRESHOLDS.minSamplesPerGene}); ignored for models named in \`models\``;
export const MIN_GENE_COVERAGE = `share of the genome's genes a model needs samples on to be used by default, 0 to 1 (default ${DEFAULT_THRESHOLDS.minGeneCoverage}); ignored for models named in \`models\``;
