import { runTask } from '../../src/core/tasks';
import { packPopulations } from '../../src/services/packed-populations';

// alleles are the first characters of real completions: accents, CJK and emoji are multi-byte in UTF-8
const populations = [
  [{ 'Thé ': 3, Okay: 1 }, {}],
  [{ 数学题目: 2 }, { '🙂 ok': 4, 'So, ': 1 }],
  [{}, { x: 1 }],
];
const texts = populations.map((p) => JSON.stringify(p));

describe('packPopulations', () => {
  it('writes the JSON array of the texts as UTF-8 into shared memory', async () => {
    const packed = await packPopulations(texts);
    expect(packed.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(JSON.parse(Buffer.from(packed).toString('utf8'))).toEqual(populations);
    expect(packed.byteLength).toBe(Buffer.byteLength(`[${texts.join(',')}]`));
  });

  it('packs no population as an empty array', async () => {
    expect(Buffer.from(await packPopulations([])).toString('utf8')).toBe('[]');
  });

  it('feeds the compute tasks the same populations as the joined string', async () => {
    const packed = await packPopulations(texts);
    const joined = `[${texts.join(',')}]`;
    expect(runTask('coverage', { populations: packed })).toEqual(runTask('coverage', { populations: joined }));
    expect(runTask('similarity', { populations: packed })).toEqual(runTask('similarity', { populations: joined }));
  });

  it('packs thousands of populations across several turns of the event loop, in order', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => JSON.stringify([{ [`a${i % 7}é`]: i + 1 }]));
    const packed = await packPopulations(many);
    const parsed = JSON.parse(Buffer.from(packed).toString('utf8')) as Record<string, number>[][];
    expect(parsed).toHaveLength(3000);
    expect(parsed[2999][0]).toEqual({ a3é: 3000 });
  });
});
