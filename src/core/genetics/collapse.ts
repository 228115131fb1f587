/**
 * Detects populations that have collapsed to one allele per gene. At temperature > 0 a model
 * gives several alleles on most genes (method.md: N = 32 samples at temperature 0.7); when
 * almost every gene has a single allele the endpoint is probably sampling greedily (a local
 * server that forces temperature 0 when a seed is sent, say), and distances computed from it
 * would be silently wrong.
 */
import type { AlleleCounts } from './population';

export interface CollapseReport {
  /** genes with at least two samples */
  genesChecked: number;
  /** of those, genes whose samples all share one allele */
  singleAllele: number;
  fraction: number;
}

export function collapseReport(counts: AlleleCounts): CollapseReport {
  let genesChecked = 0;
  let singleAllele = 0;
  for (const gene of counts) {
    if (gene === null) continue;
    const alleles = Object.keys(gene);
    const total = alleles.reduce((sum, a) => sum + gene[a], 0);
    if (total < 2) continue;
    genesChecked++;
    if (alleles.length === 1) singleAllele++;
  }
  return { genesChecked, singleAllele, fraction: genesChecked === 0 ? 0 : singleAllele / genesChecked };
}

/** Collapsed: at least `threshold` of at least 8 checked genes have a single allele. */
export function isCollapsed(report: CollapseReport, threshold = 0.9): boolean {
  return report.genesChecked >= 8 && report.fraction >= threshold;
}
