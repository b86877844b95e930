/** The feature-by-feature reading of a FeatureCollection (engine/bundle/feature-texts.ts) gives what JSON.parse gives. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitFeatureCollection } from '../../engine/bundle/feature-texts.js';

const parsedBoth = (text: string) => {
  const s = splitFeatureCollection(text);
  if (!s) return null;
  return { ...JSON.parse(s.outer), features: s.features.map((f) => JSON.parse(f)) };
};

describe('splitFeatureCollection', () => {
  it('splits at the top-level features only, whatever the strings and nesting hold', () => {
    const text = `{ "name": "a]},{\\"x", "features" : [
      {"type":"Feature","properties":{"name":"括号 ] } [ { \\" 与逗号 ,","n":[1,[2,{"z":"]"}]]},"geometry":null} ,
      {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[112.6,26.9]}}
    ], "type": "FeatureCollection", "crs": {"type":"name","properties":{"name":"EPSG:4490"}} }`;
    const s = splitFeatureCollection(text)!;
    expect(s.features).toHaveLength(2);
    expect(parsedBoth(text)).toEqual(JSON.parse(text));
  });

  it('gives null where the structure is not an object with a features array (the caller parses whole)', () => {
    for (const t of ['[]', '{"type":"FeatureCollection"}', '{"features": {}}', '{"features": [1, 2', 'not json', '{"a" 1}', '']) {
      expect(splitFeatureCollection(t), t).toBeNull();
    }
  });

  it('agrees with JSON.parse on random collections', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 8 }), fc.dictionary(fc.string().filter((k) => k !== 'features'), fc.jsonValue(), { maxKeys: 3 }), fc.boolean(), (features, others, pretty) => {
        const text = JSON.stringify({ ...others, features }, null, pretty ? 2 : undefined);
        expect(parsedBoth(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});
