// Finds the nodule on a whole 2D slice in HU (an LDFC BMP has no nodule position): the same algorithm, operation for
// operation, as training/pulmo_train/locate2d.py, so `pulmo eval classification --model` crops where training did.
// Half resolution; lung mask; scale-normalised Hessian blob response weighted by roundness at 4 scales; isolated
// soft-tissue blobs inside the lungs win. scipy's conventions are kept: reflect borders for filters, cross
// (4-connected) structures unless stated, border value 0 for erosion/dilation.

/** A 2D float64 image, row-major. */
interface Img { w: number; h: number; d: Float64Array }
type Mask = Uint8Array;

/** scipy.ndimage._gaussian_kernel1d: normalised Gaussian times the derivative polynomial, radius round(4σ). */
function kernel(sigma: number, order: 0 | 1 | 2): Float64Array {
  const r = Math.floor(4 * sigma + 0.5);
  const phi = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let x = -r; x <= r; x++) sum += phi[x + r] = Math.exp((-0.5 / (sigma * sigma)) * x * x);
  for (let i = 0; i < phi.length; i++) phi[i] /= sum;
  const s2 = sigma * sigma;
  for (let x = -r; x <= r; x++) {
    const q = order === 0 ? 1 : order === 1 ? -x / s2 : (x * x) / (s2 * s2) - 1 / s2;
    phi[x + r] *= q;
  }
  return phi;
}

const reflect = (i: number, n: number): number => {
  for (;;) {
    if (i < 0) i = -i - 1;
    else if (i >= n) i = 2 * n - i - 1;
    else return i;
  }
};

/** Convolution along one axis (0 = rows/y, 1 = columns/x), reflect mode. */
function convolve(src: Img, k: Float64Array, axis: 0 | 1): Img {
  const { w, h, d } = src;
  const r = (k.length - 1) / 2;
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let t = -r; t <= r; t++) {
        // convolution: weight k[r - t]... scipy correlates with the reversed kernel
        const v = axis === 1 ? d[y * w + reflect(x + t, w)] : d[reflect(y + t, h) * w + x];
        s += v * k[r - t];
      }
      out[y * w + x] = s;
    }
  return { w, h, d: out };
}

function gaussian(src: Img, sigma: number, orderY: 0 | 1 | 2, orderX: 0 | 1 | 2): Img {
  return convolve(convolve(src, kernel(sigma, orderY), 0), kernel(sigma, orderX), 1);
}

const CROSS = [[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]];
const SQUARE = [-1, 0, 1].flatMap((a) => [-1, 0, 1].map((b) => [a, b]));

function erode(m: Mask, w: number, h: number, st: number[][], it: number): Mask {
  let cur = m;
  for (let n = 0; n < it; n++) {
    const out = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let ok = 1;
        for (const [dy, dx] of st) {
          const yy = y + dy, xx = x + dx;
          if (yy < 0 || xx < 0 || yy >= h || xx >= w || !cur[yy * w + xx]) { ok = 0; break; }
        }
        out[y * w + x] = ok;
      }
    cur = out;
  }
  return cur;
}

function dilate(m: Mask, w: number, h: number, st: number[][], it: number): Mask {
  let cur = m;
  for (let n = 0; n < it; n++) {
    const out = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        if (!cur[y * w + x]) continue;
        for (const [dy, dx] of st) {
          const yy = y + dy, xx = x + dx;
          if (yy >= 0 && xx >= 0 && yy < h && xx < w) out[yy * w + xx] = 1;
        }
      }
    cur = out;
  }
  return cur;
}

/** 4-connected components: labels 1..n (0 = background) and each label's size. */
function label(m: Mask, w: number, h: number): { lab: Int32Array; sizes: number[] } {
  const lab = new Int32Array(w * h);
  const sizes = [0];
  const stack: number[] = [];
  for (let p = 0; p < m.length; p++) {
    if (!m[p] || lab[p]) continue;
    const id = sizes.length;
    let size = 0;
    lab[p] = id;
    stack.push(p);
    while (stack.length) {
      const q = stack.pop()!;
      size++;
      const x = q % w, y = (q - x) / w;
      for (const [dy, dx] of CROSS.slice(1)) {
        const yy = y + dy, xx = x + dx;
        if (yy < 0 || xx < 0 || yy >= h || xx >= w) continue;
        const r = yy * w + xx;
        if (m[r] && !lab[r]) { lab[r] = id; stack.push(r); }
      }
    }
    sizes.push(size);
  }
  return { lab, sizes };
}

function borderLabels(lab: Int32Array, w: number, h: number): Set<number> {
  const s = new Set<number>();
  for (let x = 0; x < w; x++) s.add(lab[x]).add(lab[(h - 1) * w + x]);
  for (let y = 0; y < h; y++) s.add(lab[y * w]).add(lab[y * w + w - 1]);
  return s;
}

/** scipy binary_fill_holes: background not 4-connected to the border becomes foreground. */
function fillHoles(m: Mask, w: number, h: number): Mask {
  const bg = new Uint8Array(m.length);
  for (let p = 0; p < m.length; p++) bg[p] = m[p] ? 0 : 1;
  const { lab } = label(bg, w, h);
  const border = borderLabels(lab, w, h);
  const out = new Uint8Array(m.length);
  for (let p = 0; p < m.length; p++) out[p] = m[p] || !border.has(lab[p]) ? 1 : 0;
  return out;
}

function lungMask(hu: Img): Mask {
  const { w, h, d } = hu;
  const above = Uint8Array.from(d, (v) => (v > -400 ? 1 : 0));
  let body = fillHoles(dilate(erode(above, w, h, CROSS, 2), w, h, CROSS, 2), w, h);
  const bl = label(body, w, h);
  if (bl.sizes.length > 1) {
    let best = 1;
    for (let i = 2; i < bl.sizes.length; i++) if (bl.sizes[i] > bl.sizes[best]) best = i;
    body = fillHoles(Uint8Array.from(bl.lab, (l) => (l === best ? 1 : 0)), w, h);
  }
  const air = Uint8Array.from(d, (v, p) => (v < -400 && body[p] ? 1 : 0));
  const { lab, sizes } = label(air, w, h);
  if (sizes.length === 1) return new Uint8Array(w * h);
  const border = borderLabels(lab, w, h);
  const order = sizes.map((s, i) => [s, i]).slice(1).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const keep = new Set(order.filter(([s, i]) => !border.has(i) && s > 500).slice(0, 2).map(([, i]) => i));
  const m = Uint8Array.from(lab, (l) => (keep.has(l) ? 1 : 0));
  return fillHoles(erode(dilate(m, w, h, SQUARE, 5), w, h, SQUARE, 5), w, h);
}

function maxFilter5(src: Float64Array, w: number, h: number): Float64Array {
  const tmp = new Float64Array(w * h);
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) { let m = -Infinity; for (let t = -2; t <= 2; t++) m = Math.max(m, src[y * w + reflect(x + t, w)]); tmp[y * w + x] = m; }
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) { let m = -Infinity; for (let t = -2; t <= 2; t++) m = Math.max(m, tmp[reflect(y + t, h) * w + x]); out[y * w + x] = m; }
  return out;
}

export interface SliceCandidate { x: number; y: number; radiusPx: number; score: number }

/** Nodule candidates on a slice of HU values (width w, height h, both even), best first, full-resolution pixels. */
export function locateNodule2d(hu: ArrayLike<number>, width: number, height: number, top = 5): SliceCandidate[] {
  if (width % 2 || height % 2) throw new Error(`locateNodule2d: ${width}x${height} slice; even sizes are required`);
  const w = width / 2, h = height / 2;
  const d = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = 2 * y * width + 2 * x;
      d[y * w + x] = (hu[p] + hu[p + 1] + hu[p + width] + hu[p + width + 1]) / 4;
    }
  const img: Img = { w, h, d };
  const lung = lungMask(img);
  let nLung = 0;
  for (const v of lung) nLung += v;
  if (nLung < 500) return [];
  const best = new Float64Array(w * h).fill(-Infinity);
  const scale = new Float64Array(w * h);
  for (const s of [1.0, 1.7, 2.8, 4.2]) {
    const hxx = gaussian(img, s, 0, 2).d, hyy = gaussian(img, s, 2, 0).d, hxy = gaussian(img, s, 1, 1).d;
    for (let p = 0; p < d.length; p++) {
      const tr = hxx[p] + hyy[p], det = hxx[p] * hyy[p] - hxy[p] * hxy[p];
      const disc = Math.sqrt(Math.max((tr * tr) / 4 - det, 0));
      const l1 = tr / 2 - disc, l2 = tr / 2 + disc;
      const round = Math.min(1, Math.max(0, l2 / Math.min(l1, -1e-6)));
      const r = -s * s * tr * round;
      if (r > best[p]) { best[p] = r; scale[p] = s; }
    }
  }
  const smooth = gaussian(img, 1.0, 0, 0).d;
  const soft = Uint8Array.from(smooth, (v) => (v > -500 ? 1 : 0));
  const mx = maxFilter5(best, w, h);
  const core = erode(lung, w, h, CROSS, 2);
  const softCore = Uint8Array.from(soft, (v, p) => (v && core[p] ? 1 : 0));
  const { lab: comp, sizes: area } = label(softCore, w, h);
  const notCore = dilate(Uint8Array.from(core, (v) => (v ? 0 : 1)), w, h, CROSS, 1);
  const edge = new Set<number>();
  for (let p = 0; p < comp.length; p++) if (notCore[p] && comp[p]) edge.add(comp[p]);
  const out: SliceCandidate[] = [];
  for (let p = 0; p < d.length; p++) {
    if (!(best[p] === mx[p] && lung[p] && soft[p] && best[p] > 0)) continue;
    let score = best[p];
    const c = comp[p];
    const blob = Math.PI * (scale[p] * 1.414) ** 2;
    if (c === 0 || area[c] > 6 * blob + 20) score *= 0.2;
    if (c && edge.has(c) && area[c] > 3 * blob + 20) score *= 0.2;
    const x = p % w, y = (p - x) / w;
    out.push({ x: x * 2 + 1, y: y * 2 + 1, radiusPx: scale[p] * 2 * 1.414, score });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, top);
}
