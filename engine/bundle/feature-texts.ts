/**
 * A GeoJSON FeatureCollection read one feature at a time: the text of each element of the
 * top-level "features" array, and the collection with that array emptied. JSON.parse of a whole
 * county layer (50 MB of text) builds ≈ 200 MB of objects at once, which the process keeps as
 * resident memory long after they are garbage; parsing feature by feature keeps the peak to one
 * feature's objects. Only the structure is scanned here (strings, brackets); JSON.parse judges
 * everything else. Null when the text is not an object with a "features" array (the caller then
 * parses it whole, for the usual error message).
 */
export interface SplitCollection {
  /** The collection with "features": [] — for its own members (type…). */
  outer: string;
  /** The text of each feature, in order. */
  features: string[];
}

export function splitFeatureCollection(text: string): SplitCollection | null {
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return null;
  i = skipSpace(text, i + 1);
  while (i < text.length && text[i] !== '}') {
    if (text[i] !== '"') return null;
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return null;
    const key = text.slice(i + 1, keyEnd - 1);
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':') return null;
    i = skipSpace(text, i + 1);
    if (key === 'features' && text[i] === '[') {
      const features: string[] = [];
      const open = i;
      i = skipSpace(text, i + 1);
      while (text[i] !== ']') {
        const end = valueEnd(text, i);
        if (end < 0) return null;
        features.push(text.slice(i, end));
        i = skipSpace(text, end);
        if (text[i] === ',') i = skipSpace(text, i + 1);
        else if (text[i] !== ']') return null;
      }
      return { outer: text.slice(0, open) + '[]' + text.slice(i + 1), features };
    }
    const end = valueEnd(text, i);
    if (end < 0) return null;
    i = skipSpace(text, end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return null;
}

function skipSpace(t: string, i: number): number {
  while (i < t.length && (t[i] === ' ' || t[i] === '\n' || t[i] === '\r' || t[i] === '\t')) i++;
  return i;
}

/** Index just past the string starting at i (a '"'), or -1. */
function stringEnd(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c === 92) j++; // backslash: skip the escaped character
    else if (c === 34) return j + 1;
  }
  return -1;
}

/** Index just past the JSON value starting at i, or -1 (brackets balanced outside strings). */
function valueEnd(t: string, i: number): number {
  const c = t[i];
  if (c === '"') return stringEnd(t, i);
  if (c !== '{' && c !== '[') {
    // A number, true, false or null: up to the next delimiter.
    let j = i;
    while (j < t.length && !',]} \n\r\t'.includes(t[j])) j++;
    return j > i ? j : -1;
  }
  let depth = 0;
  for (let j = i; j < t.length; j++) {
    const d = t.charCodeAt(j);
    if (d === 34) {
      j = stringEnd(t, j) - 1;
      if (j < 0) return -1;
    } else if (d === 123 || d === 91) depth++;
    else if (d === 125 || d === 93) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}
