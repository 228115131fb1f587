/**
 * Lists of model references (a matrix of 2,000 named models) are resolved a slice of keys at a
 * time, so one request's lookups never hold the event loop for one long read; the answer keeps
 * the list's order and the id-then-name rule (README, "Ids or names").
 */
import { lookUpMany } from '../../src/services/reference';

const rows = Array.from({ length: 600 }, (_, i) => ({ id: i + 1, name: `m${i + 1}` }));

function recording() {
  const slices: { by: 'id' | 'name'; size: number }[] = [];
  return {
    slices,
    lookups: {
      byIds: async (ids: readonly number[]) => {
        slices.push({ by: 'id', size: ids.length });
        return rows.filter((r) => ids.includes(r.id));
      },
      byNames: async (names: readonly string[]) => {
        slices.push({ by: 'name', size: names.length });
        return rows.filter((r) => names.includes(r.name));
      },
    },
  };
}

it('reads 600 ids in slices of at most 250, in the order asked', async () => {
  const { slices, lookups } = recording();
  const references = rows.map((r) => String(r.id)).reverse();
  const found = await lookUpMany('model', references, lookups);
  expect(found.map((r) => r.id)).toEqual(rows.map((r) => r.id).reverse());
  expect(slices).toEqual([
    { by: 'id', size: 250 },
    { by: 'id', size: 250 },
    { by: 'id', size: 100 },
  ]);
});

it('falls back to names for references that are not ids, and names a missing one', async () => {
  const { lookups } = recording();
  expect((await lookUpMany('model', ['m3', '2'], lookups)).map((r) => r.id)).toEqual([3, 2]);
  await expect(lookUpMany('model', ['m3', 'nobody'], lookups)).rejects.toThrow(/no model named "nobody"/);
});
