/** GraphQL documents shared by the transport tests. */

/** 23 fragments, each spreading the next twice: 2^22 copies of the last one's field. */
export function fragmentBomb(): string {
  const fragments = Array.from({ length: 23 }, (_, i) =>
    i < 22 ? `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }` : `fragment F${i} on Query { __typename }`,
  );
  return `query { ...F0 } ${fragments.join(' ')}`;
}
