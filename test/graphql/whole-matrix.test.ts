import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { asksWholeMatrix } from '../../src/graphql/distance/whole-matrix';
import { MAX_WHOLE_MODELS } from '../../src/services/distance.service';
import { startGraphQL } from '../helpers/graphql';

function asks(query: string): boolean {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return asksWholeMatrix({ fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments });
}

it('asksWholeMatrix finds a whole-matrix field, through fragments too, and not inside pages', () => {
  expect(asks(`{ distanceMatrix(genome: "g") { fingerprint distance } }`)).toBe(true);
  expect(
    asks(`{ distanceMatrix(genome: "g") { ...F } } fragment F on DistanceMatrix { ... on DistanceMatrix { csv } }`),
  ).toBe(true);
  expect(asks(`{ distanceMatrix(genome: "g") { ...F ...F } } fragment F on DistanceMatrix { size }`)).toBe(false);
  expect(asks(`{ distanceMatrix(genome: "g") { size rows(count: 3) { distance similarity } } }`)).toBe(false);
});

it('requireWholeAnswer (called by distanceMatrix before computing) refuses over the limit, saying how to page or stream', async () => {
  const api = await startGraphQL();
  try {
    expect(() => api.services.distances.requireWholeAnswer(MAX_WHOLE_MODELS)).not.toThrow();
    expect(() => api.services.distances.requireWholeAnswer(MAX_WHOLE_MODELS + 1)).toThrow(
      /too big to answer whole.*rows\(offset, count\).*\/matrices\/<genome>\.bin/,
    );
  } finally {
    await api.close();
  }
});
