/**
 * The nesting depth of a parsed JSON value, measured without recursion. JSON.parse takes any
 * depth, but JSON.stringify, structuredClone and most code walking a value recurse, so a body of
 * 200,000 nested arrays (a few hundred kilobytes) overflowed the stack in the response-cache key.
 */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
