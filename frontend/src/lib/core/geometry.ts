// Plane geometry for the diagrams: points, axis-aligned rectangles and
// quadratic curves, the few operations layout and label placement need.

export interface Point {
  x: number;
  y: number;
}

/** Rect is an axis-aligned rectangle by its top-left corner. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** rectAt is the w×h rectangle centred on p. */
export function rectAt(p: Point, w: number, h: number): Rect {
  return { x: p.x - w / 2, y: p.y - h / 2, w, h };
}

export function centre(r: Rect): Point {
  return { x: r.x + r.w / 2, y: r.y + r.h / 2 };
}

/** inflate grows r by d on every side (shrinks for d < 0). */
export function inflate(r: Rect, d: number): Rect {
  return { x: r.x - d, y: r.y - d, w: r.w + 2 * d, h: r.h + 2 * d };
}

/** overlapArea is the area two rectangles share (0 when they only touch). */
export function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export function intersects(a: Rect, b: Rect): boolean {
  return overlapArea(a, b) > 0;
}

/** contains says whether inner lies wholly inside outer. */
export function contains(outer: Rect, inner: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

export function inside(p: Point, r: Rect): boolean {
  return p.x > r.x && p.x < r.x + r.w && p.y > r.y && p.y < r.y + r.h;
}

/** distance from p to the nearest point of r (0 inside). */
export function distToRect(p: Point, r: Rect): number {
  const dx = Math.max(r.x - p.x, 0, p.x - (r.x + r.w));
  const dy = Math.max(r.y - p.y, 0, p.y - (r.y + r.h));
  return Math.hypot(dx, dy);
}

/** nearestOnRect is the point of r's area closest to p. */
export function nearestOnRect(p: Point, r: Rect): Point {
  return { x: Math.max(r.x, Math.min(p.x, r.x + r.w)), y: Math.max(r.y, Math.min(p.y, r.y + r.h)) };
}

/** bezier is the point at t on a quadratic curve. */
export function bezier(a: Point, c: Point, b: Point, t: number): Point {
  const u = 1 - t;
  return { x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y };
}

/** tangent is the (unnormalised) direction of a quadratic curve at t. */
export function tangent(a: Point, c: Point, b: Point, t: number): Point {
  return { x: 2 * (1 - t) * (c.x - a.x) + 2 * t * (b.x - c.x), y: 2 * (1 - t) * (c.y - a.y) + 2 * t * (b.y - c.y) };
}

/** subCurve is the part of a quadratic curve between t0 and t1, as a quadratic curve of its own. */
export function subCurve(a: Point, c: Point, b: Point, t0: number, t1: number): [Point, Point, Point] {
  const p0 = bezier(a, c, b, t0);
  const p1 = bezier(a, c, b, t1);
  // The control point: where the tangents at both ends meet (de Casteljau blossom).
  const ctrl = {
    x: (1 - t0) * (1 - t1) * a.x + (t0 + t1 - 2 * t0 * t1) * c.x + t0 * t1 * b.x,
    y: (1 - t0) * (1 - t1) * a.y + (t0 + t1 - 2 * t0 * t1) * c.y + t0 * t1 * b.y,
  };
  return [p0, ctrl, p1];
}

/** sample is n+1 points along a quadratic curve, ends included. */
export function sample(a: Point, c: Point, b: Point, n: number): Point[] {
  return Array.from({ length: n + 1 }, (_, i) => bezier(a, c, b, i / n));
}

/** segmentHitsRect says whether the segment p–q passes through r. */
export function segmentHitsRect(p: Point, q: Point, r: Rect): boolean {
  if (inside(p, r) || inside(q, r)) return true;
  // Liang–Barsky clipping of the segment against the rectangle, one side
  // after the other (left, right, top, bottom). Label searches call this
  // for thousands of places: it allocates nothing.
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  clip0 = 0;
  clip1 = 1;
  return clipSide(-dx, p.x - r.x) && clipSide(dx, r.x + r.w - p.x) && clipSide(-dy, p.y - r.y) && clipSide(dy, r.y + r.h - p.y);
}

// The part of the segment segmentHitsRect has left after the sides so far.
let clip0 = 0;
let clip1 = 1;

/** clipSide cuts the segment at one side (pp: its direction across the side, qq: the room to it); false when nothing is left. */
function clipSide(pp: number, qq: number): boolean {
  if (pp === 0) return qq > 0;
  const t = qq / pp;
  if (pp < 0) clip0 = Math.max(clip0, t);
  else clip1 = Math.min(clip1, t);
  return clip0 < clip1;
}

/** polylineHitsRect says whether any segment of a polyline passes through r. */
export function polylineHitsRect(pts: readonly Point[], r: Rect): boolean {
  for (let i = 1; i < pts.length; i++) if (segmentHitsRect(pts[i - 1], pts[i], r)) return true;
  return false;
}

export function lerp(a: Point, b: Point, t: number): Point {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}
