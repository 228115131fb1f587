/**
 * A validation rule that refuses operations nested deeper than a limit. The schema has cycles
 * (Model.scores -> Score.model -> Model.scores ...), so without a bound one small request could
 * ask for an arbitrarily deep, expensive answer.
 *
 * Linear in the document: the depth of every selection set (a fragment's included) is computed
 * once and remembered, so a fragment spread 2^23 times through a chain of fragments costs one
 * visit per fragment, not one per path (the walk it replaces took 30 s on an 898-byte document).
 * Fragment cycles are refused by graphql-js's NoFragmentCyclesRule; a cycle met here counts 0
 * rather than looping.
 */
import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql';

export function maxDepthRule(maxDepth: number): (context: ValidationContext) => ASTVisitor {
  return (context) => {
    const known = new Map<SelectionSetNode, number>();
    const inProgress = new Set<SelectionSetNode>();
    const depthOf = (set: SelectionSetNode): number => {
      const remembered = known.get(set);
      if (remembered !== undefined) return remembered;
      if (inProgress.has(set)) return 0;
      inProgress.add(set);
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          deepest = Math.max(deepest, selection.selectionSet ? 1 + depthOf(selection.selectionSet) : 1);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet));
        } else {
          const fragment = context.getFragment(selection.name.value);
          if (fragment) deepest = Math.max(deepest, depthOf(fragment.selectionSet));
        }
      }
      inProgress.delete(set);
      known.set(set, deepest);
      return deepest;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet);
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`the operation is nested ${depth} levels deep; at most ${maxDepth} are allowed`, {
              nodes: [operation],
            }),
          );
        }
      },
    };
  };
}
