/**
 * The faces of the `image` snippet style, drawn in code and encoded as PNG (RFC 2083) at 2x
 * (72 px for a 36 px slot). No asset files and no image library: the same code runs on Node and
 * in workerd, and the bytes depend only on this file (zlib comes from CompressionStream, which
 * both runtimes have). Each image is made once per process and then served with long caching.
 */

export const FACE_NAMES = ['angry', 'sad', 'frown', 'neutral', 'smile', 'grin', 'love', 'thumbs-down', 'thumbs-up'] as const;
export type FaceName = (typeof FACE_NAMES)[number];

/** Which face stands for which emoji mark of the scale labels (`lib/i18n.ts`). */
export const FACE_OF_MARK: Record<string, FaceName> = {
  '😠': 'angry',
  '😞': 'sad',
  '🙁': 'frown',
  '😐': 'neutral',
  '🙂': 'smile',
  '😀': 'grin',
  '😍': 'love',
  '👎': 'thumbs-down',
  '👍': 'thumbs-up',
};

/** Pixel size of the PNG; it is shown at half that (2x for high-density screens). */
export const FACE_PIXELS = 72;
const SAMPLES = 4; // per axis: 16 samples a pixel for anti-aliased edges

type Rgb = readonly [number, number, number];
type Shape = { color: Rgb; inside: (x: number, y: number) => boolean };

const YELLOW: Rgb = [255, 204, 77];
const ORANGE: Rgb = [247, 148, 60];
const EDGE: Rgb = [214, 150, 20];
const INK: Rgb = [102, 69, 0];
const RED: Rgb = [221, 46, 68];
const WHITE: Rgb = [255, 255, 255];
const BLUE: Rgb = [59, 136, 195];
const GREY_RED: Rgb = [200, 70, 60];

const C = FACE_PIXELS / 2;
const disc = (cx: number, cy: number, r: number) => (x: number, y: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ellipse = (cx: number, cy: number, rx: number, ry: number) => (x: number, y: number) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
/** A stroke of width `w` along the circle (cx, cy, r), kept where `keep` holds. */
const arc = (cx: number, cy: number, r: number, w: number, keep: (x: number, y: number) => boolean) => (x: number, y: number) =>
  Math.abs(Math.hypot(x - cx, y - cy) - r) <= w / 2 && keep(x, y);
/** A capsule: every point within w/2 of the segment (x1,y1)-(x2,y2). */
const segment = (x1: number, y1: number, x2: number, y2: number, w: number) => (x: number, y: number) => {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) <= w / 2;
};
/** The heart curve (x²+y²−1)³ − x²y³ ≤ 0, centred on (cx, cy), `s` pixels a unit. */
const heart = (cx: number, cy: number, s: number) => (x: number, y: number) => {
  const u = (x - cx) / s;
  const v = -(y - cy) / s + 0.2;
  return (u * u + v * v - 1) ** 3 - u * u * v ** 3 <= 0;
};
const roundedRect = (x1: number, y1: number, x2: number, y2: number, r: number) => (x: number, y: number) => {
  const dx = Math.max(x1 + r - x, 0, x - (x2 - r));
  const dy = Math.max(y1 + r - y, 0, y - (y2 - r));
  return x >= x1 && x <= x2 && y >= y1 && y <= y2 && dx * dx + dy * dy <= r * r;
};
const flipY = (inside: (x: number, y: number) => boolean) => (x: number, y: number) => inside(x, FACE_PIXELS - y);

function faceBase(color: Rgb = YELLOW): Shape[] {
  return [
    { color: EDGE, inside: disc(C, C, 35) },
    { color, inside: disc(C, C, 33) },
  ];
}
const eyes = (y = 28): Shape[] => [
  { color: INK, inside: ellipse(25, y, 4, 5.5) },
  { color: INK, inside: ellipse(47, y, 4, 5.5) },
];

function thumb(): (x: number, y: number) => boolean {
  const fist = roundedRect(30, 32, 54, 56, 6);
  const up = segment(36, 34, 38, 14, 10);
  const cuff = roundedRect(17, 32, 27, 57, 2);
  return (x, y) => fist(x, y) || up(x, y) || cuff(x, y);
}

const DRAWINGS: Record<FaceName, Shape[]> = {
  angry: [
    ...faceBase(ORANGE),
    { color: INK, inside: segment(17, 20, 30, 25, 4) },
    { color: INK, inside: segment(55, 20, 42, 25, 4) },
    ...eyes(31),
    { color: INK, inside: arc(C, 62, 16, 4, (_x, y) => y < 52) },
  ],
  sad: [...faceBase(), ...eyes(), { color: INK, inside: arc(C, 60, 15, 4, (_x, y) => y < 50) }],
  frown: [...faceBase(), ...eyes(), { color: INK, inside: arc(C, 64, 20, 4, (_x, y) => y < 50) }],
  neutral: [...faceBase(), ...eyes(), { color: INK, inside: segment(24, 48, 48, 48, 4) }],
  smile: [...faceBase(), ...eyes(), { color: INK, inside: arc(C, 30, 18, 4, (_x, y) => y > 40) }],
  grin: [
    ...faceBase(),
    ...eyes(),
    { color: INK, inside: (x, y) => disc(C, 38, 20)(x, y) && y > 40 },
    { color: WHITE, inside: (x, y) => disc(C, 38, 16.5)(x, y) && y > 42 && y < 47 },
  ],
  love: [
    ...faceBase(),
    { color: RED, inside: heart(24, 27, 7) },
    { color: RED, inside: heart(48, 27, 7) },
    { color: INK, inside: (x, y) => disc(C, 38, 18)(x, y) && y > 42 },
  ],
  'thumbs-up': [
    { color: BLUE, inside: disc(C, C, 35) },
    { color: WHITE, inside: thumb() },
  ],
  'thumbs-down': [
    { color: GREY_RED, inside: disc(C, C, 35) },
    { color: WHITE, inside: flipY(thumb()) },
  ],
};

/** RGBA pixels of a face, 16 samples a pixel. */
export function rasterizeFace(name: FaceName): Uint8Array {
  const shapes = DRAWINGS[name];
  const out = new Uint8Array(FACE_PIXELS * FACE_PIXELS * 4);
  for (let py = 0; py < FACE_PIXELS; py++) {
    for (let px = 0; px < FACE_PIXELS; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = px + (sx + 0.5) / SAMPLES;
          const y = py + (sy + 0.5) / SAMPLES;
          let color: Rgb | null = null;
          for (const shape of shapes) if (shape.inside(x, y)) color = shape.color;
          if (color) {
            r += color[0];
            g += color[1];
            b += color[2];
            a++;
          }
        }
      }
      const i = (py * FACE_PIXELS + px) * 4;
      // Colour averaged over the covered samples (straight, not premultiplied, alpha).
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((a * 255) / (SAMPLES * SAMPLES));
      }
    }
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function zlib(data: Uint8Array): Promise<Uint8Array> {
  // 'deflate' is the zlib format (RFC 1950), which is what PNG's IDAT holds.
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A PNG (8-bit RGBA, no filter) of `width` x `height` pixels. */
export async function encodePng(rgba: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, filter 0, no interlace
  const raw = new Uint8Array(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', await zlib(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const cache = new Map<FaceName, Promise<Uint8Array>>();

/** The PNG of a face, made once per process or isolate. */
export function facePng(name: FaceName): Promise<Uint8Array> {
  let png = cache.get(name);
  if (!png) {
    png = encodePng(rasterizeFace(name), FACE_PIXELS, FACE_PIXELS);
    cache.set(name, png);
  }
  return png;
}

export function isFaceName(value: string): value is FaceName {
  return (FACE_NAMES as readonly string[]).includes(value);
}
