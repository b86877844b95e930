/** A GBK encoder for tests: the inverse of TextDecoder('gbk') over the two-byte code space (Node has no GBK TextEncoder). */
let table: Map<string, [number, number]> | null = null;

export function gbk(text: string): Uint8Array {
  if (!table) {
    table = new Map();
    const d = new TextDecoder('gbk', { fatal: true });
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        try {
          const s = d.decode(new Uint8Array([a, b]));
          if (s.length === 1 && !table.has(s)) table.set(s, [a, b]);
        } catch {
          // not a GBK pair
        }
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else {
      const pair = table.get(ch);
      if (!pair) throw new Error(`no GBK code for ${ch}`);
      out.push(...pair);
    }
  }
  return new Uint8Array(out);
}
