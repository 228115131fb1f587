/**
 * One colour per model family, the same in the tree, the table and the model panel. The palette
 * is Okabe & Ito's (2008), distinguishable with the common colour-vision deficiencies; models
 * without a family are grey.
 */
import { scaleOrdinal } from 'd3-scale';

const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'];
const NO_FAMILY = '#999999';

export function familyColours(families: readonly (string | null | undefined)[]): (family?: string | null) => string {
  const known = [...new Set(families.filter((f): f is string => !!f))].sort();
  const scale = scaleOrdinal<string, string>().domain(known).range(OKABE_ITO);
  return (family) => (family ? scale(family) : NO_FAMILY);
}
