import { expect } from "vitest";

/**
 * Every element of `xs` satisfies `p`, and there is at least one: `.every` on an empty list is
 * true, and would let a test pass that checked nothing. A failure names the elements that fail.
 */
export function expectEvery<T>(xs: Iterable<T>, p: (x: T) => unknown): void {
  const all = [...xs];
  expect(all.length, "nothing to check").toBeGreaterThan(0);
  expect(all.filter((x) => !p(x))).toEqual([]);
}
