/** Shapes of the API responses the page reads (contract §5; extensions as served). */

export type Verdict = 'allowed' | 'conditional' | 'forbidden';
export type Position = [number, number];

export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface Jurisdiction { id: string; name: string; bbox: [number, number, number, number]; features: number }

export interface JurisdictionDetail extends Jurisdiction {
  layers: { kind: string; kindName: string; zone: string | null; zoneName: string | null; features: number; areaHa: number | null }[];
}

export interface Activity { id: string; name: string }
export interface AttributeDef { id: string; name: string; type: 'boolean' | 'enum' | 'integer' | 'number' | 'string'; values: string[] | null; question: string }
export interface Vocabulary {
  kinds: { id: string; name: string; zoneProperty: string | null; values: Record<string, string> | null }[];
  authorities: { id: string; name: string }[];
  landSupplyMethods: { id: string; name: string }[];
}

export interface Clause { id: string; document: string; section: string; text: string }
export interface Approval { authority: string; action: string; basis?: string }
export interface Condition { id: string; text: string }
export interface Check { fact: string; operator: string; expected: unknown; actual: unknown; result: boolean }

export interface Finding {
  kind: string;
  zone: string | null;
  name?: string;
  featureIds: string[];
  overlapAreaM2: number | null;
  overlapShare: number | null;
  distanceM: number | null;
  verdict: Verdict;
  message?: string;
  clauses: Clause[];
  approvals: Approval[];
  conditions: Condition[];
  because?: { policy: string; version?: string; rule: string | null; level?: string; message?: string; checks?: Check[] };
}

export interface Question {
  attribute: string;
  text: string;
  ifTrue: Verdict;
  ifFalse: Verdict;
  answers?: { value: string; verdict: Verdict }[];
  kinds?: string[];
}

/**
 * Answers that only together reach a less restrictive verdict than any one of them alone
 * (extension; absent or empty on servers that do not compute it). `values`: for an enumerated
 * attribute, every value that acts as `value` here.
 */
export interface JointQuestion {
  answers: { attribute: string; value: string | boolean; values?: string[] }[];
  verdict: Verdict;
}

export interface LandSupplyItem { method: string; name?: string; status: 'required' | 'permitted' | 'forbidden'; message?: string; clauses: Clause[]; conditions?: Condition[] }

export interface Decision {
  decisionId: string;
  verdict: Verdict;
  jurisdiction: string;
  bundleHash: string;
  asOf: string;
  project?: { name?: string; activity: string; attributes: Record<string, string | number | boolean> };
  site: { type: string; areaM2: number; corridorWidthM?: number; geometry?: Geometry };
  policies: { id: string; version: string; hash: string }[];
  findings: Finding[];
  approvals: Approval[];
  conditions: Condition[];
  landSupply: LandSupplyItem[];
  questions: Question[];
  jointQuestions?: JointQuestion[];
  warnings: { code: string; message: string }[];
}

export interface SuitabilityFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Polygon'; coordinates: Position[][] };
  properties: {
    verdict: Verdict;
    reasons: { kind: string; zone: string | null; name: string; verdict: Verdict; policy: string; rule: string | null }[];
    questions: string[];
    areaHa: number;
    point: Position;
  };
}

export interface SuitabilityResult {
  type: 'FeatureCollection';
  features: SuitabilityFeature[];
  cellSizeM: number;
  bbox: [number, number, number, number];
  summary: Record<Verdict, { areaHa: number; polygons: number }> & { totalHa: number };
  stats: { cells: number; pieces: number; evaluations: number; timeMs: number };
}

export interface LayerFeature {
  type: 'Feature';
  id: string;
  properties: { id: string; kind: string; zone: string | null; name?: string; [k: string]: unknown };
  geometry: Geometry;
}

/** GET /web/catalogue.json: what the page starts with, in one request. */
export interface Catalogue {
  jurisdictions: Jurisdiction[];
  activities: Activity[];
  attributes: AttributeDef[];
  vocabulary: Vocabulary;
  /** The jurisdiction asked for (or the first), with its layer statistics; null when there is none. */
  jurisdiction: JurisdictionDetail | null;
}

export interface Problem { type?: string; title: string; status: number; detail: string; errors?: { path: string; message: string }[] }
