/**
 * The `zoning` CLI, spawned for real (`node bin/zoning.mjs …`, tsx registered by the bin): exit codes
 * by verdict, JSON / table / report output, input errors, `bundle check` on the demo bundle and on a
 * broken one, and `zoning batch` over 10,000 generated sites, over CSV, interrupted and resumed.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPolicyRegistry, evaluateProject, type Bundle, type EngineContext } from '../../engine/index.js';
import { loadBundleDir } from '../../api/node/load-bundle-dir.js';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';
import { parseAttr } from '../../cli/common.js';
import { csvLine, parseCsv } from '../../cli/csv.js';
import { parseWkt } from '../../cli/wkt.js';
import { geojsonSites, readCsvSites } from '../../cli/batch.js';
import { run } from '../../cli/main.js';
import { generateSites, ROOT, start, townshipSampler, square, waitForStderr, zoning } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'zoning-cli-'));
let bundle: Bundle;
let ctx: EngineContext;
const EXIT: Record<string, number> = { allowed: 0, conditional: 1, forbidden: 2 };

beforeAll(async () => {
  bundle = await loadBundleDir(join(ROOT, 'fixtures/demo'));
  ctx = { bundles: new Map([[bundle.id, bundle]]), policies: await buildPolicyRegistry(POLICY_DOCUMENTS), engineVersion: 'test' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = (name: string) => {
  const r = JSON.parse(readFileSync(join(ROOT, 'fixtures/projects', `${name}.json`), 'utf8'));
  delete r.expect;
  return r;
};
const attrArgs = (attrs: Record<string, unknown>) => Object.entries(attrs).flatMap(([k, v]) => ['--attr', `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`]);

describe('cli units', () => {
  it('parses attributes as JSON values when they are JSON, else strings', () => {
    expect(parseAttr('unavoidable=true')).toEqual(['unavoidable', true]);
    expect(parseAttr('intendedUsers=2')).toEqual(['intendedUsers', 2]);
    expect(parseAttr('corridorWidthM=12.5')).toEqual(['corridorWidthM', 12.5]);
    expect(parseAttr('mineral=coal')).toEqual(['mineral', 'coal']);
    expect(parseAttr('mineral="12"')).toEqual(['mineral', '12']);
    expect(parseAttr('name=a=b')).toEqual(['name', 'a=b']);
    expect(() => parseAttr('novalue')).toThrow(/key=value/);
    expect(typeof run).toBe('function');
  });

  it('reads WKT and CSV', () => {
    expect(parseWkt('POINT (112.6 26.9)')).toEqual({ type: 'Point', coordinates: [112.6, 26.9] });
    expect(parseWkt('SRID=4490;POLYGON Z ((0 0 1, 1 0 1, 1 1 1, 0 0 1))')).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] });
    expect(parseWkt('MULTIPOINT (1 2, 3 4)')).toEqual({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] });
    expect(parseWkt('MULTIPOLYGON (((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2)))').coordinates).toHaveLength(2);
    expect(() => parseWkt('POLYGON ((0 0, 1 x))')).toThrow(/坐标无效/);
    expect(() => parseWkt('CIRCLE (0 0)')).toThrow(/不支持/);
    expect(parseCsv('\uFEFFid,wkt\r\n1,"POINT (1 2)"\n2,"a ""b"", c"\n')).toEqual([['id', 'wkt'], ['1', 'POINT (1 2)'], ['2', 'a "b", c']]);
    expect(csvLine(['a', 'b,c', 'd"e', null, 3])).toBe('a,"b,c","d""e",,3\n');
    const warnings: string[] = [];
    const sites = readCsvSites('id,name,activity,lon,lat,unavoidable,colour\n7,甲,industrial,112.6,26.9,true,red\n,乙,,x,26.9,,\n', { activity: 'housing', attributes: { inCountyPlan: true } }, (w) => warnings.push(w));
    expect(sites[0]).toMatchObject({ id: '7', name: '甲', activity: 'industrial', attributes: { inCountyPlan: true, unavoidable: true }, geometry: { type: 'Point', coordinates: [112.6, 26.9] } });
    expect(sites[1]).toMatchObject({ id: '2', activity: 'housing' });
    expect(sites[1].readError).toMatch(/经纬度无效/);
    expect(warnings.join()).toContain('colour');
    const g = geojsonSites({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { activity: 'patrol', unavoidable: false, attributes: { inCountyPlan: true } }, geometry: null }] }, { activity: 'industrial', attributes: { unavoidable: true } });
    expect(g[0]).toMatchObject({ id: '1', activity: 'patrol', attributes: { unavoidable: false, inCountyPlan: true } });
    expect(g[0].readError).toBeTruthy();
  });
});

describe('zoning check', () => {
  const projects = [
    'industrial-concentrated-1ha', 'industrial-flexible-zone', 'industrial-on-permanent-farmland', 'transport-key-project-farmland',
    'major-project-redline', 'patrol-point-redline', 'linear-infrastructure-redline', 'commercial-multipolygon-two-zones',
  ];
  it('exit code by verdict, JSON output equal to the engine in-process', { timeout: 120_000 }, async () => {
    const seen = new Set<number>();
    const results = await Promise.all(
      projects.map(async (name) => {
        const req = fixture(name);
        const file = join(dir, `${name}.geojson`);
        // As a Feature with a name, the way officers' GIS tools write single sites.
        writeFileSync(file, JSON.stringify({ type: 'Feature', properties: { name: req.project.name }, geometry: req.site }));
        const r = await zoning(['check', file, '--jurisdiction', 'demo-county', '--activity', req.project.activity, ...attrArgs(req.project.attributes ?? {}), '--as-of', '2026-11-25', '--format', 'json']);
        return { name, req, r };
      }),
    );
    for (const { name, req, r } of results) {
      expect(r.stderr, name).not.toMatch(/内部错误/);
      const d = JSON.parse(r.stdout);
      const want = await evaluateProject(ctx, { ...req, asOf: '2026-11-25' }, { decisionId: 'x', now: new Date('2026-11-25T00:00:00Z') });
      expect(d.verdict, name).toBe(want.verdict);
      expect(r.code, `${name} exit code`).toBe(EXIT[d.verdict]);
      expect(d.project.name).toBe(req.project.name);
      expect(d.findings.map((f: { kind: string; zone: string | null }) => `${f.kind}|${f.zone}`)).toEqual(want.findings.map((f) => `${f.kind}|${f.zone}`));
      expect(d.findings.map((f: { overlapAreaM2: number | null }) => f.overlapAreaM2)).toEqual(want.findings.map((f) => f.overlapAreaM2));
      seen.add(r.code!);
    }
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });

  it('table format in Chinese: verdict, findings in 公顷, approvals, conditions, land supply, questions', { timeout: 60_000 }, async () => {
    const req = fixture('transport-key-project-farmland');
    const file = join(dir, 'tk.json');
    writeFileSync(file, JSON.stringify(req.site));
    const r = await zoning(['check', file, '-j', join(ROOT, 'fixtures/demo'), '-a', 'transport', '--attr', 'keyProjectSector=transport', '--attr', 'unavoidable=true', '--name', '国道改线']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('判定结果：有条件允许（conditional）');
    expect(r.stdout).toContain('项目名称：国道改线');
    expect(r.stdout).toMatch(/永久基本农田\s+1\.4439/);
    expect(r.stdout).toContain('审批要求');
    expect(r.stdout).toContain('国务院：批准占用永久基本农田的农用地转用、土地征收');
    expect(r.stdout).toContain('附加条件');
    expect(r.stdout).toContain('土地供应方式');
    expect(r.stdout).toContain('待核实事项');
    expect(r.stdout).toContain('《中华人民共和国土地管理法》第三十五条');
    // A question: leaving `unavoidable` out makes the verdict depend on it.
    const q = await zoning(['check', file, '-j', 'demo-county', '-a', 'transport', '--attr', 'keyProjectSector=transport']);
    expect(q.code).toBe(2);
    expect(q.stdout).toMatch(/选址是否确实难以避让.*答“是”→有条件允许/);
  });

  it('report format writes the printable HTML', { timeout: 60_000 }, async () => {
    const file = join(dir, 'mr.geojson');
    const req = fixture('major-project-redline');
    writeFileSync(file, JSON.stringify(req.site));
    const out = join(dir, 'report.html');
    const r = await zoning(['check', file, '-j', 'demo-county', '-a', 'transport', ...attrArgs(req.project.attributes), '--format', 'report', '--out', out, '--applicant', '<b>省交通厅</b>']);
    expect(r.code).toBe(1);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('有条件允许');
    expect(html).toContain('&lt;b&gt;省交通厅&lt;/b&gt;');
    expect(html).toContain('<svg');
  });

  it('input errors exit 3 with a clear message on stderr', { timeout: 120_000 }, async () => {
    const good = join(dir, 'good.geojson');
    writeFileSync(good, JSON.stringify(fixture('industrial-concentrated-1ha').site));
    const unclosed = join(dir, 'unclosed.geojson');
    writeFileSync(unclosed, JSON.stringify({ type: 'Polygon', coordinates: [[[112.6, 26.9], [112.601, 26.9], [112.601, 26.901], [112.6, 26.9005]]] }));
    const outside = join(dir, 'outside.geojson');
    writeFileSync(outside, JSON.stringify({ type: 'Point', coordinates: [113.5, 27.5] }));
    const notJson = join(dir, 'bad.geojson');
    writeFileSync(notJson, '{ not json');
    const cases: [string[], RegExp][] = [
      [['check', join(dir, 'missing.geojson'), '-j', 'demo-county', '-a', 'industrial'], /无法读取用地文件|文件/],
      [['check', good, '-j', 'atlantis', '-a', 'industrial'], /未知的辖区 "atlantis".*demo-county/],
      [['check', good, '-j', 'demo-county', '-a', 'flying'], /未知的活动类型 "flying"/],
      [['check', good, '-j', 'demo-county'], /缺少 --activity/],
      [['check', good, '-j', 'demo-county', '-a', 'industrial', '--attr', 'unavoidable=maybe'], /unavoidable/],
      [['check', unclosed, '-j', 'demo-county', '-a', 'industrial'], /\/site|闭合|环/],
      [['check', outside, '-j', 'demo-county', '-a', 'industrial'], /辖区/],
      [['check', notJson, '-j', 'demo-county', '-a', 'industrial'], /JSON|json|无法读取/],
      [['check', good, '-j', 'demo-county', '-a', 'industrial', '--format', 'pptx'], /--format/],
      [['check', good, '--jurisdiction', 'demo-county', '-a', 'industrial', '--frobnicate'], /frobnicate/],
      [['explode'], /未知的命令/],
    ];
    const results = await Promise.all(cases.map(([args]) => zoning(args)));
    results.forEach((r, i) => {
      expect(r.code, `${cases[i][0].join(' ')}\n${r.stderr}`).toBe(3);
      expect(r.stderr, cases[i][0].join(' ')).toMatch(cases[i][1]);
      expect(r.stderr).toMatch(/^zoning: /);
      expect(r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/); // no stack traces for input errors
    });
  });
});

describe('zoning bundle check', () => {
  it('the demo bundle: valid, with its layer statistics', { timeout: 60_000 }, async () => {
    const r = await zoning(['bundle', 'check', join(ROOT, 'fixtures/demo')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('数据包有效');
    expect(r.stdout).toContain(bundle.hash);
    expect(r.stdout).toMatch(/永久基本农田\s+permanent-farmland\s+—\s+1135\s+2529\.8298/);
    expect(r.stdout).toMatch(/城镇开发边界\s+urban-boundary\s+集中建设区（concentrated）\s+1\s+126\.0478/);
    expect(r.stdout).toMatch(/公路\s+road\s+高速公路（expressway）\s+1\s+（线，长 \d+\.\d+ 千米）/);
    const j = await zoning(['bundle', 'check', join(ROOT, 'fixtures/demo'), '--format', 'json']);
    expect(j.code).toBe(0);
    const body = JSON.parse(j.stdout);
    expect(body.valid).toBe(true);
    expect(body.layers.find((l: { kind: string }) => l.kind === 'permanent-farmland')).toMatchObject({ features: 1135 });
  });

  it('a broken bundle: exit 3 naming the file, the feature and the problem', { timeout: 60_000 }, async () => {
    const b = join(dir, 'broken');
    cpSync(join(ROOT, 'fixtures/demo'), b, { recursive: true });
    const file = join(b, 'layers/protection.geojson');
    const fc = JSON.parse(readFileSync(file, 'utf8'));
    fc.features[3].properties.kind = 'wetland';
    fc.features[5].geometry.coordinates[0].pop(); // unclosed ring
    writeFileSync(file, JSON.stringify(fc));
    const r = await zoning(['bundle', 'check', b]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('数据包无效');
    expect(r.stderr).toMatch(/layers\/protection\.geojson features\[3\] \/properties\/kind: 未知的图层类型 kind="wetland"/);
    expect(r.stderr).toMatch(/layers\/protection\.geojson features\[5\] \/geometry\/coordinates\/0: .*闭合/);
    const j = await zoning(['bundle', 'check', b, '--format', 'json']);
    expect(j.code).toBe(3);
    expect(JSON.parse(j.stdout)).toMatchObject({ valid: false });
    // A missing directory and a manifest naming a missing layer file.
    const m = await zoning(['bundle', 'check', join(dir, 'nowhere')]);
    expect(m.code).toBe(3);
    const b2 = join(dir, 'broken2');
    cpSync(join(ROOT, 'fixtures/demo'), b2, { recursive: true });
    rmSync(join(b2, 'layers/roads.geojson'));
    const r2 = await zoning(['bundle', 'check', b2]);
    expect(r2.code).toBe(3);
    expect(r2.stderr).toMatch(/layers\/roads\.geojson.*无法读取/);
  });
});

describe('zoning batch', () => {
  it('10,000 generated sites run to completion with a summary; the output is one valid FeatureCollection', { timeout: 150_000 }, async () => {
    const fc = generateSites(10_000);
    // Errors are rows, not fatal: no geometry, an unknown activity, a site outside the township.
    (fc.features as unknown[]).push(
      { type: 'Feature', id: 'bad-no-geometry', properties: {}, geometry: null },
      { type: 'Feature', id: 'bad-activity', properties: { activity: 'flying' }, geometry: { type: 'Point', coordinates: [112.6, 26.9] } },
      { type: 'Feature', id: 'bad-outside', properties: {}, geometry: square([113.5, 27.5], 30) },
    );
    const input = join(dir, 'sites.geojson');
    writeFileSync(input, JSON.stringify(fc));
    const out = join(dir, 'results.geojson');
    const r = await zoning(['batch', input, '--jurisdiction', 'demo-county', '--activity', 'industrial', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(out, 'utf8'));
    expect(res.type).toBe('FeatureCollection');
    expect(res.bundleHash).toBe(bundle.hash);
    expect(res.features).toHaveLength(10_003);
    expect(new Set(res.features.map((f: { id: string }) => f.id)).size).toBe(10_003);
    // Progress on stderr, one line every 10 % (not a TTY).
    expect(r.stderr.match(/^进度 \d+%（\d+\/10003）/gm)?.length).toBe(10);
    // The summary: counts by verdict add up and match the file.
    const count = (v: string | null) => res.features.filter((f: { properties: { verdict: string | null } }) => f.properties.verdict === v).length;
    for (const [v, name] of [['allowed', '允许'], ['conditional', '有条件允许'], ['forbidden', '禁止']] as const) {
      expect(r.stdout).toMatch(new RegExp(`${name}（${v}）\\s+${count(v)}\\s`));
    }
    const errors = res.features.filter((f: { properties: { error: string | null } }) => f.properties.error);
    expect(r.stdout).toMatch(new RegExp(`出错（error）\\s+${errors.length}\\s`));
    expect(r.stdout).toMatch(/合计\s+10003\s/);
    expect(r.stdout).toMatch(/批量判定完成：共 10003 个用地.*用时 [\d.]+ 秒（\d+ 个\/秒）/);
    const byId = new Map(res.features.map((f: { id: string; properties: unknown }) => [f.id, f.properties]));
    expect(byId.get('bad-no-geometry')).toMatchObject({ verdict: null, error: expect.stringMatching(/没有几何/) });
    expect(byId.get('bad-activity')).toMatchObject({ verdict: null, activity: 'flying', error: expect.stringMatching(/flying/) });
    expect(byId.get('bad-outside')).toMatchObject({ verdict: null, error: expect.stringMatching(/辖区/) });
    // Per-site overrides reached the engine: the site's own activity, and the same verdict as in-process.
    for (const id of ['site-1', 'site-2', 'site-6', 'site-12', 'site-14', 'site-5001']) {
      const f = fc.features.find((x: { id: string }) => x.id === id)! as any;
      const props = byId.get(id) as any;
      const attributes = { ...(f.properties.attributes ?? {}), ...(f.properties.keyProjectSector ? { keyProjectSector: f.properties.keyProjectSector } : {}) };
      const activity = f.properties.activity ?? 'industrial';
      expect(props.activity).toBe(activity);
      let want: string | null = null;
      try {
        want = (await evaluateProject(ctx, { jurisdiction: 'demo-county', project: { activity, attributes }, site: f.geometry }, { decisionId: 'x', now: new Date() })).verdict;
      } catch {
        want = null;
      }
      expect(props.verdict, id).toBe(want);
    }
    const rate = Number(/（(\d+) 个\/秒）/.exec(r.stdout)![1]);
    console.log(`zoning batch: 10,003 sites in ${(r.ms / 1000).toFixed(1)} s wall (process), engine loop ${rate} sites/s`);
    expect(rate).toBeGreaterThan(40);
  });

  it('SIGINT mid-run leaves a valid FeatureCollection; --resume completes it without repeating a site', { timeout: 150_000 }, async () => {
    const input = join(dir, 'sites-int.geojson');
    const fc = generateSites(4000, 99);
    writeFileSync(input, JSON.stringify(fc));
    const out = join(dir, 'results-int.geojson');
    const p = start(['batch', input, '-j', 'demo-county', '-a', 'housing', '--out', out, '--progress-every', '5']);
    await waitForStderr(p.child, /进度 (1[0-9]|[2-9][0-9])%/);
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toMatch(/批量判定已中断/);
    expect(r.stdout).toContain('--resume');
    const partial = JSON.parse(readFileSync(out, 'utf8'));
    const n = partial.features.length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(4000);
    expect(r.stdout).toMatch(new RegExp(`结果文件共 ${n}/4000 个用地`));

    // Refuses to overwrite without --resume / --force.
    const refuse = await zoning(['batch', input, '-j', 'demo-county', '-a', 'housing', '--out', out]);
    expect(refuse.code).toBe(3);
    expect(refuse.stderr).toMatch(/--resume/);

    // A hard crash mid-line (SIGKILL) is simulated by a torn last line: resume drops it.
    const closed = readFileSync(out, 'utf8');
    writeFileSync(out, closed.replace(/\]\}\n$/, '') + ',{"type":"Feature","id":"site-39');
    const again = await zoning(['batch', input, '-j', 'demo-county', '-a', 'housing', '--out', out, '--resume']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`已有 ${n} 个结果，跳过 ${n} 个用地`));
    const full = JSON.parse(readFileSync(out, 'utf8'));
    const ids = full.features.map((f: { id: string }) => f.id);
    expect(ids).toHaveLength(4000);
    expect(new Set(ids)).toEqual(new Set(fc.features.map((f: { id: string }) => f.id)));
    // The summary counts the whole file, earlier run included.
    expect(again.stdout).toMatch(/合计\s+4000\s/);
    expect(again.stdout).toMatch(new RegExp(`续跑跳过 ${n} 个`));
  });

  it('CSV in (wkt or lon/lat, attribute columns) and CSV out, resumable after a torn row', { timeout: 120_000 }, async () => {
    const sampler = townshipSampler(5);
    const lines = ['id,name,activity,wkt,lon,lat,unavoidable,keyProjectSector'];
    for (let i = 1; i <= 300; i++) {
      const p = sampler.point();
      if (i % 3 === 0) lines.push(`${i},"地块,${i}",,,${p[0]},${p[1]},,`);
      else {
        const sq = square(p, 40).coordinates[0].map((c) => `${c[0]} ${c[1]}`).join(', ');
        lines.push(`${i},地块${i},${i % 4 === 0 ? 'transport' : ''},"POLYGON ((${sq}))",,,${i % 4 === 0 ? 'true' : ''},${i % 4 === 0 ? 'transport' : ''}`);
      }
    }
    lines.push('301,坏地块,,"POLYGON ((1 2, 3))",,,,');
    const input = join(dir, 'sites.csv');
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(dir, 'results.csv');
    const r = await zoning(['batch', input, '-j', 'demo-county', '-a', 'industrial', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows[0]).toEqual(['id', 'name', 'activity', 'verdict', 'verdictName', 'siteAreaM2', 'siteAreaHa', 'findings', 'kinds', 'approvals', 'conditions', 'questions', 'landSupply', 'decisionId', 'error']);
    expect(rows).toHaveLength(302);
    const byId = new Map(rows.slice(1).map((x) => [x[0], x]));
    expect(byId.get('3')![1]).toBe('地块,3');
    expect(byId.get('4')![2]).toBe('transport');
    expect(byId.get('301')![14]).toMatch(/WKT/);
    expect(byId.get('1')![3]).toMatch(/^(allowed|conditional|forbidden)$/);
    expect(byId.get('1')![7]).toMatch(/公顷/);

    // Tear the last rows off mid-line, resume: the same 301 ids, each once.
    const size = statSync(out).size;
    truncateSync(out, size - 150);
    const again = await zoning(['batch', input, '-j', 'demo-county', '-a', 'industrial', '--out', out, '--resume']);
    expect(again.code, again.stderr).toBe(0);
    const rows2 = parseCsv(readFileSync(out, 'utf8'));
    expect(rows2).toHaveLength(302);
    expect(new Set(rows2.slice(1).map((x) => x[0])).size).toBe(301);
    expect(rows2.slice(1).map((x) => `${x[0]}|${x[3]}`).sort()).toEqual(rows.slice(1).map((x) => `${x[0]}|${x[3]}`).sort());
  });

  it('without --out, GeoJSON results go to stdout and the summary to stderr', { timeout: 60_000 }, async () => {
    const input = join(dir, 'few.geojson');
    writeFileSync(input, JSON.stringify(generateSites(25, 3)));
    const r = await zoning(['batch', input, '-j', 'demo-county', '-a', 'patrol']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).features).toHaveLength(25);
    expect(r.stderr).toMatch(/批量判定完成：共 25 个用地/);
    expect(existsSync(join(ROOT, 'results.geojson'))).toBe(false);
  });
});

describe('progress', () => {
  it('redraws one bar on a terminal, prints a line every N % otherwise', async () => {
    const { progress } = await import('../../cli/progress.js');
    const sink = (isTTY: boolean) => {
      const chunks: string[] = [];
      return { chunks, stream: { isTTY, columns: 100, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream };
    };
    const tty = sink(true);
    const bar = progress(1000, { stream: tty.stream });
    for (let i = 1; i <= 1000; i++) bar.tick(i);
    bar.end();
    expect(tty.chunks.every((c) => c.startsWith('\r'))).toBe(true);
    expect(tty.chunks.some((c) => c.includes('100.0% 1000/1000'))).toBe(true);
    expect(tty.chunks.join('')).not.toContain('\n');
    const plain = sink(false);
    const p = progress(1000, { stream: plain.stream, everyPercent: 25 });
    for (let i = 1; i <= 1000; i++) p.tick(i);
    expect(plain.chunks.map((c) => c.split('（')[0])).toEqual(['进度 25%', '进度 50%', '进度 75%', '进度 100%']);
  });
});
