/**
 * Whether a `distanceMatrix` selection asks for the whole matrix in one answer, fragments
 * included, so the service can refuse a matrix too big for that before computing it.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** DistanceMatrix fields whose answer holds all n x n numbers. */
export const WHOLE_MATRIX_FIELDS = new Set(['similarity', 'distance', 'knownDistance', 'phylip', 'csv']);

export function asksWholeMatrix(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): boolean {
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return WHOLE_MATRIX_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return walk(selection.selectionSet);
      const name = selection.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      return walk(info.fragments[name]?.selectionSet);
    });
  return info.fieldNodes.some((node) => walk(node.selectionSet));
}
