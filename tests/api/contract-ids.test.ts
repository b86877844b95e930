/**
 * Every id of the public contract (../shared/contract.md) is accepted and documented, and an unknown
 * one is a 422 naming it. The ids are read from the contract's own tables.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVITIES, ATTRIBUTES, AUTHORITIES, LAND_SUPPLY_METHODS, LAYER_KINDS } from '../../engine/index.js';
import { testApp } from '../helpers/app.js';
import { LAYOUT, writeTestBundle } from '../helpers/test-bundle.js';

const contract = readFileSync(join(__dirname, '../../../shared/contract.md'), 'utf8');
const section = (title: string) => contract.split(/\n## /).find((s) => s.startsWith(title)) ?? '';
const firstColumnIds = (text: string) => [...text.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);

const { post, app } = await testApp([writeTestBundle(mkdtempSync(join(tmpdir(), 'ids-')))]);
const [w, s, e, n] = LAYOUT.concentrated;
const point = { type: 'Point', coordinates: [(w + e) / 2, (s + n) / 2] };
const evaluate = (activity: string, attributes: Record<string, unknown> = {}) =>
  post({ jurisdiction: 'test-town', project: { activity, attributes }, site: point });

describe('contract ids', () => {
  it('activities of §3 are exactly the engine vocabulary, listed by GET /v1/activities', async () => {
    const ids = firstColumnIds(section('3. Activities'));
    expect(ids.length).toBe(29);
    expect(Object.keys(ACTIVITIES).sort()).toEqual([...ids].sort());
    const listed = (await (await app.request('/v1/activities')).json()).activities;
    expect(listed.map((a: any) => a.id).sort()).toEqual([...ids].sort());
    expect(listed.every((a: any) => a.name.length > 0)).toBe(true);
  });

  it('every activity is accepted', async () => {
    for (const a of Object.keys(ACTIVITIES)) expect((await evaluate(a)).status, a).toBe(200);
  });

  it('attributes of §4 are all known, and every listed value is accepted', async () => {
    const ids = firstColumnIds(section('4. Attributes'));
    for (const id of ids) expect(ATTRIBUTES[id], id).toBeDefined();
    for (const [id, def] of Object.entries(ATTRIBUTES)) {
      const values: unknown[] = def.type === 'boolean' ? [true, false] : def.type === 'integer' ? [1, 3] : def.type === 'number' ? [12.5] : [...(def.values ?? [])];
      for (const v of values) {
        // A value that names a kind of project is accepted with an activity of that kind.
        const activity = def.fits && typeof v === 'string' && def.fits[v] ? def.fits[v][0] : 'industrial';
        expect((await evaluate(activity, { [id]: v })).status, `${id}=${v} (${activity})`).toBe(200);
      }
    }
    expect((await evaluate('industrial', { mineral: 'antimony' })).status).toBe(200); // "or another"
  });

  it('a value naming another kind of project than the activity is a 422 naming both', async () => {
    const a = await evaluate('housing', { keyProjectSector: 'military' });
    expect(a.status).toBe(422);
    expect(a.body.errors[0]).toMatchObject({ path: '/project/attributes/keyProjectSector' });
    expect(a.body.errors[0].message).toMatch(/defense[\s\S]*housing/);
    expect((await evaluate('housing', { majorProjectBasis: 'national-plan-grid' })).status).toBe(422);
    expect((await evaluate('defense', { keyProjectSector: 'military' })).status).toBe(200);
    expect((await evaluate('linear-infrastructure', { keyProjectSector: 'transport' })).status).toBe(200);
    // Bases that name no kind of project fit every activity.
    expect((await evaluate('housing', { majorProjectBasis: 'state-council-approved' })).status).toBe(200);
  });

  it('layer kinds of §2, authorities and land-supply methods of §5 match the vocabulary', () => {
    const kinds = firstColumnIds(section('2. Jurisdiction bundles')).filter((k) => !k.startsWith('local.'));
    expect(Object.keys(LAYER_KINDS).sort()).toEqual(kinds.sort());
    const s5 = section('5. `POST /v1/evaluate`');
    for (const a of Object.keys(AUTHORITIES)) expect(s5).toContain(`\`${a}\``);
    for (const m of Object.keys(LAND_SUPPLY_METHODS)) expect(s5).toContain(`\`${m}\``);
  });

  it('an unknown activity, attribute or value is a 422 naming it', async () => {
    const a = await evaluate('casino');
    expect(a.status).toBe(422);
    expect(a.body.errors).toEqual([expect.objectContaining({ path: '/project/activity', message: expect.stringContaining('casino') })]);
    const b = await evaluate('industrial', { hasPool: true });
    expect(b.status).toBe(422);
    expect(b.body.errors[0]).toMatchObject({ path: '/project/attributes/hasPool' });
    const c = await evaluate('industrial', { majorProjectBasis: 'provincial-plan' });
    expect(c.status).toBe(422);
    expect(c.body.errors[0].message).toContain('provincial-plan');
    const d = await evaluate('industrial', { intendedUsers: 0 });
    expect(d.status).toBe(422);
    const e = await evaluate('industrial', { unavoidable: 'yes' });
    expect(e.status).toBe(422);
    expect(e.body.type).toMatch(/unknown-id/);
  });

  it('names of JavaScript built-ins are unknown ids like any other', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
      const a = await evaluate(name);
      expect(a.status, `activity ${name}`).toBe(422);
      expect(a.body.errors[0]).toMatchObject({ path: '/project/activity' });
      // An attribute key as JSON text: "__proto__" is then an own property, as a client sends it.
      const b = await post(`{"jurisdiction":"test-town","project":{"activity":"industrial","attributes":{${JSON.stringify(name)}:true}},"site":${JSON.stringify(point)}}`);
      expect(b.status, `attribute ${name}`).toBe(422);
      expect(b.body.errors[0].path).toBe(`/project/attributes/${name}`);
    }
  });
});
