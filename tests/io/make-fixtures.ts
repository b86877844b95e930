/**
 * Generates fixtures/survey/ (界址点坐标 TXT files and their GeoJSON twins) from two demo projects.
 *
 *   npx tsx tests/io/make-fixtures.ts          # write the files
 *
 * The TXT coordinates come from the independent Krüger projection of tests/io/helpers/kruger.ts,
 * rounded to the millimetre. The GBK file is the UTF-8 text converted by `iconv -f UTF-8 -t GBK`.
 * tests/io/fixtures.test.ts checks the files on disk are what this script writes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { surveyText, type LL } from './helpers/survey-file.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const SURVEY_DIR = join(root, 'fixtures/survey');

const project = (name: string) => JSON.parse(readFileSync(join(root, 'fixtures/projects', `${name}.json`), 'utf8'));

/** 3° zone 38: one parcel with a hole (the 街头游园 kept out of the factory). */
export const HOLE = project('straddle-urban-zones-with-hole');
/** 6° zone 19: two parcels. */
export const TWO = project('commercial-multipolygon-two-zones');

const holeRings: LL[][] = HOLE.site.coordinates;
const twoPolys: LL[][][] = TWO.site.coordinates;

export function fixtureFiles(): Record<string, string> {
  const holeName = '厂区（保留街头游园）';
  return {
    'factory-hole-zone38.geojson': JSON.stringify({ type: 'Feature', properties: { 地块编号: 'GY-01', 地块名称: holeName }, geometry: HOLE.site }, null, 2) + '\n',
    // UTF-8, CRLF, [] brackets, easting with the zone prefix, closing points repeated
    'factory-hole-zone38.txt': surveyText([{ rings: holeRings, id: 'GY-01', name: holeName }], { zone: 38, width: 3, prefix: true }),
    // the same site in the other style real files come in; converted to GBK by iconv
    'factory-hole-zone38-gbk.utf8.txt': surveyText([{ rings: holeRings, id: 'GY-01', name: holeName }], {
      zone: 38, width: 3, prefix: false, brackets: '【】', comma: '，', closing: false, blankLines: true, trailingSpaces: true,
    }),
    'two-parcels-zone19-6deg.geojson': JSON.stringify({
      type: 'FeatureCollection',
      features: twoPolys.map((coordinates, k) => ({ type: 'Feature', properties: { 地块编号: `SY-0${k + 1}`, 地块名称: `商业网点${k + 1}` }, geometry: { type: 'Polygon', coordinates } })),
    }, null, 2) + '\n',
    // UTF-8 with BOM, LF, 6° zone 19, easting without the prefix; BOM added when written
    'two-parcels-zone19-6deg.txt': surveyText(twoPolys.map((rings, k) => ({ rings, id: `SY-0${k + 1}`, name: `商业网点${k + 1}`, use: '商业用地' })), {
      zone: 19, width: 6, prefix: false, eol: '\n',
    }),
  };
}

export const BOM_FILES = new Set(['two-parcels-zone19-6deg.txt']);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, text] of Object.entries(fixtureFiles())) {
    if (name.endsWith('.utf8.txt')) {
      const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: text });
      writeFileSync(join(SURVEY_DIR, name.replace('.utf8.txt', '.txt')), gbk);
      continue;
    }
    writeFileSync(join(SURVEY_DIR, name), BOM_FILES.has(name) ? '\uFEFF' + text : text);
  }
  console.log('wrote', SURVEY_DIR);
}
