// Cartoon faces for synthetic ID photos and liveness frames. Every face is built from ellipses and lines
// chosen by a seed, so no real person's likeness is ever involved (DESIGN §4). Heads can turn: features
// sit on a sphere and are projected after a yaw, so the nose and eyes slide sideways as in a real
// "turn your head" liveness check, and the whole head can roll.

import { hexColor, mix } from './canvas';
import type { RasterCanvas, Rgb } from './canvas';
import { pick, randomBetween, seededRandom } from './random';

const SKIN_TONES: readonly Rgb[] = ['#f6d7c3', '#ebc09f', '#d9a47e', '#c08660', '#9a6343', '#6e4530'].map(
  hexColor,
);
const HAIR_COLORS: readonly Rgb[] = ['#1e1a18', '#3b2619', '#6a4327', '#8e3b1f', '#d2b06a', '#a8a4a0'].map(
  hexColor,
);
const EYE_COLORS: readonly Rgb[] = ['#3d2616', '#5a3a1e', '#6b5a2e', '#4f6b3a', '#4b6a88'].map(hexColor);
const SHIRT_COLORS: readonly Rgb[] = [
  '#2f4a7a',
  '#7a2f3b',
  '#2f6b4f',
  '#5b5b5b',
  '#c9a227',
  '#e6e6e6',
  '#3b3b4f',
].map(hexColor);
const HAIR_STYLES = ['short', 'long', 'curly', 'bun', 'buzz'] as const;
type HairStyle = (typeof HAIR_STYLES)[number];

/** What identifies a synthetic person's face: palette indices plus a seed for the finer features. */
export interface FaceTraits {
  skinTone: number;
  hairColor: number;
  seed: string;
}

export interface FaceLook {
  skin: Rgb;
  hair: Rgb;
  hairStyle: HairStyle;
  eyes: Rgb;
  shirt: Rgb;
  /** Head width as a fraction of its height. */
  faceWidth: number;
  /** Distance of each eye from the centre line, in head widths. */
  eyeSpacing: number;
  mouthWidth: number;
  browWeight: number;
  glasses: boolean;
  beard: boolean;
}

export interface HeadPose {
  cx: number;
  cy: number;
  /** Half the head height in pixels. */
  radius: number;
  /** Turn to the subject's left (positive) or right, in radians; keep within about ±0.4. */
  yaw: number;
  /** Tilt in radians, clockwise on screen. */
  roll: number;
}

function paletteEntry<T>(palette: readonly T[], index: number): T {
  const size = palette.length;
  return palette[((Math.trunc(index) % size) + size) % size]!;
}

/**
 * The look of a person. `differentPerson` gives someone clearly unlike the owner of `traits` (other skin
 * tone, hair colour and style, glasses swapped): the impostor in failed face-match scenarios.
 */
export function faceLookFor(traits: FaceTraits, differentPerson = false): FaceLook {
  const random = seededRandom(`face:${traits.seed}`);
  const own: FaceLook = {
    skin: paletteEntry(SKIN_TONES, traits.skinTone),
    hair: paletteEntry(HAIR_COLORS, traits.hairColor),
    hairStyle: pick(random, HAIR_STYLES),
    eyes: pick(random, EYE_COLORS),
    shirt: pick(random, SHIRT_COLORS),
    faceWidth: randomBetween(random, 0.74, 0.88),
    eyeSpacing: randomBetween(random, 0.33, 0.41),
    mouthWidth: randomBetween(random, 0.24, 0.36),
    browWeight: randomBetween(random, 0.035, 0.07),
    glasses: random() < 0.3,
    beard: random() < 0.15,
  };
  if (!differentPerson) return own;
  const impostor = faceLookFor({ ...traits, seed: `${traits.seed}:impostor` });
  return {
    ...impostor,
    skin: paletteEntry(SKIN_TONES, traits.skinTone + Math.ceil(SKIN_TONES.length / 2)),
    hair: paletteEntry(HAIR_COLORS, traits.hairColor + Math.ceil(HAIR_COLORS.length / 2)),
    hairStyle: paletteEntry(HAIR_STYLES, HAIR_STYLES.indexOf(own.hairStyle) + 2),
    faceWidth: own.faceWidth > 0.81 ? 0.74 : 0.88,
    glasses: !own.glasses,
  };
}

/** Maps points on the face (u across, v down, both in head radii) to canvas pixels for a pose. */
class HeadProjection {
  readonly rx: number;
  readonly ry: number;
  private readonly cos: number;
  private readonly sin: number;
  private readonly originX: number;

  constructor(
    readonly pose: HeadPose,
    faceWidth: number,
  ) {
    this.rx = pose.radius * faceWidth;
    this.ry = pose.radius;
    this.cos = Math.cos(pose.roll);
    this.sin = Math.sin(pose.roll);
    // A turning head also drifts a little towards the side it turns to.
    this.originX = pose.cx + Math.sin(pose.yaw) * this.rx * 0.15;
  }

  /** `depth` is how far the point stands out of the face (1 on the surface, more for the nose). */
  point(u: number, v: number, depth = 1): [number, number] {
    const z = Math.sqrt(Math.max(0, 1 - u * u)) * depth;
    const x = (u * Math.cos(this.pose.yaw) + z * Math.sin(this.pose.yaw)) * this.rx;
    const y = v * this.ry;
    return [this.originX + x * this.cos - y * this.sin, this.pose.cy + x * this.sin + y * this.cos];
  }

  /** How much a feature at `u` is narrowed by the turn (features on the far side get thinner). */
  squeeze(u: number): number {
    const z = Math.sqrt(Math.max(0.05, 1 - u * u));
    return Math.max(0.25, Math.cos(this.pose.yaw) - (u / z) * Math.sin(this.pose.yaw));
  }

  ellipse(
    canvas: RasterCanvas,
    u: number,
    v: number,
    ru: number,
    rv: number,
    color: Rgb,
    alpha = 1,
    depth = 1,
  ): void {
    const [x, y] = this.point(u, v, depth);
    canvas.fillEllipse(x, y, ru * this.rx * this.squeeze(u), rv * this.ry, color, {
      rotation: this.pose.roll,
      alpha,
    });
  }
}

/** Head, neck and shoulders of a person in a pose; the caller paints the background first. */
export function drawPortrait(canvas: RasterCanvas, look: FaceLook, pose: HeadPose): void {
  const head = new HeadProjection(pose, look.faceWidth);
  drawShoulders(canvas, look, pose);
  if (look.hairStyle === 'long') drawHairBehindHead(canvas, look, head);
  drawEars(canvas, look, head);
  drawFaceShape(canvas, look, head);
  drawCheeks(canvas, head);
  if (look.beard) head.ellipse(canvas, 0, 0.62, 0.72, 0.4, look.hair, 0.9);
  drawHairOnTop(canvas, look, head);
  drawEyes(canvas, look, head);
  drawBrows(canvas, look, head);
  drawNose(canvas, look, head);
  drawMouth(canvas, look, head);
  if (look.glasses) drawGlasses(canvas, look, head);
}

function drawShoulders(canvas: RasterCanvas, look: FaceLook, pose: HeadPose): void {
  const neckShade = mix(look.skin, [0, 0, 0], 0.15);
  canvas.fillRect(
    pose.cx - pose.radius * 0.32,
    pose.cy + pose.radius * 0.5,
    pose.radius * 0.64,
    pose.radius,
    neckShade,
  );
  canvas.fillEllipse(
    pose.cx,
    pose.cy + pose.radius * 2.15,
    pose.radius * 1.9,
    pose.radius * 0.95,
    look.shirt,
  );
  // A collar opening in skin colour so the shirt does not look like a bib.
  canvas.fillEllipse(pose.cx, pose.cy + pose.radius * 1.3, pose.radius * 0.3, pose.radius * 0.18, neckShade);
}

function drawHairBehindHead(canvas: RasterCanvas, look: FaceLook, head: HeadProjection): void {
  // The back of the head moves against the face when it turns: depth -0.4 puts it behind.
  head.ellipse(canvas, 0, 0.25, 1.25, 1.25, look.hair, 1, -0.4);
}

function drawEars(canvas: RasterCanvas, look: FaceLook, head: HeadProjection): void {
  const earColor = mix(look.skin, [0, 0, 0], 0.08);
  for (const side of [-1, 1]) {
    const [x, y] = head.point(side * 0.98, 0.08, 1);
    canvas.fillEllipse(x, y, head.rx * 0.17, head.ry * 0.2, earColor, { rotation: head.pose.roll });
  }
}

function drawFaceShape(canvas: RasterCanvas, look: FaceLook, head: HeadProjection): void {
  // Not head.ellipse(): a turning head keeps its full width, only the features on it are foreshortened.
  const [x, y] = head.point(0, 0, 0);
  canvas.fillEllipse(x, y, head.rx, head.ry, look.skin, { rotation: head.pose.roll });
}

function drawCheeks(canvas: RasterCanvas, head: HeadProjection): void {
  const blush: Rgb = [214, 92, 92];
  for (const side of [-1, 1]) head.ellipse(canvas, side * 0.52, 0.3, 0.16, 0.1, blush, 0.12);
}

function drawHairOnTop(canvas: RasterCanvas, look: FaceLook, head: HeadProjection): void {
  switch (look.hairStyle) {
    case 'buzz':
      // Stubble: hair colour showing the scalp through, kept inside the head outline.
      head.ellipse(canvas, 0, -0.64, 0.84, 0.36, mix(look.hair, look.skin, 0.35), 1, 0.3);
      return;
    case 'curly':
      for (let angle = Math.PI * 1.05; angle <= Math.PI * 1.95; angle += Math.PI / 9) {
        head.ellipse(
          canvas,
          Math.cos(angle) * 0.92,
          -0.18 + Math.sin(angle) * 0.86,
          0.26,
          0.22,
          look.hair,
          1,
          0.3,
        );
      }
      head.ellipse(canvas, 0, -0.66, 1.0, 0.42, look.hair, 1, 0.3);
      return;
    case 'bun':
      head.ellipse(canvas, 0, -1.08, 0.34, 0.26, look.hair, 1, 0.2);
      head.ellipse(canvas, 0, -0.66, 1.04, 0.42, look.hair, 1, 0.3);
      return;
    case 'long':
      for (const side of [-1, 1]) head.ellipse(canvas, side * 0.94, 0.2, 0.2, 0.72, look.hair, 1, 0.5);
      head.ellipse(canvas, 0, -0.66, 1.06, 0.44, look.hair, 1, 0.3);
      return;
    case 'short':
      head.ellipse(canvas, 0.12, -0.68, 1.04, 0.42, look.hair, 1, 0.3);
      return;
  }
}

function drawEyes(canvas: RasterCanvas, look: FaceLook, head: HeadProjection): void {
  const white: Rgb = [248, 246, 240];
  const pupil: Rgb = [20, 16, 14];
  const irisRadius = head.ry * 0.055;
  for (const side of [-1, 1]) {
    const u = side * look.eyeSpacing;
    head.ellipse(canvas, u, 0, 0.15, 0.075, white);
    const [x, y] = head.point(u, 0);
    const squeeze = head.squeeze(u);
    canvas.fillEllipse(x, y, irisRadius * squeeze, irisRadius, look.eyes);
    canvas.fillEllipse(x, y, irisRadius * 0.5 * squeeze, irisRadius * 0.5, pupil);
    canvas.fillCircle(x + irisRadius * 0.35, y - irisRadius * 0.35, Math.max(1, irisRadius * 0.22), white);
  }
}

function drawBrows(canvas: RasterCanvas, look: FaceLook, head: HeadProjection): void {
  const thickness = Math.max(2, Math.round(look.browWeight * head.ry));
  for (const side of [-1, 1]) {
    const [x0, y0] = head.point(side * (look.eyeSpacing - 0.14), -0.2);
    const [x1, y1] = head.point(side * (look.eyeSpacing + 0.15), -0.18);
    canvas.line(x0, y0, x1, y1, mix(look.hair, [0, 0, 0], 0.3), thickness);
  }
}

function drawNose(canvas: RasterCanvas, look: FaceLook, head: HeadProjection): void {
  const shade = mix(look.skin, [0, 0, 0], 0.18);
  // The nose stands out of the face (depth > 1), so it slides furthest when the head turns.
  head.ellipse(canvas, 0, 0.12, 0.05, 0.16, shade, 0.35, 1.08);
  head.ellipse(canvas, 0, 0.28, 0.09, 0.055, shade, 1, 1.15);
}

function drawMouth(canvas: RasterCanvas, look: FaceLook, head: HeadProjection): void {
  const lips = mix(look.skin, [150, 40, 50], 0.55);
  head.ellipse(canvas, 0, 0.52, look.mouthWidth, 0.08, lips);
  // Covering the upper part of the lips with skin leaves a crescent: a smile.
  head.ellipse(canvas, 0, 0.47, look.mouthWidth * 1.05, 0.07, look.beard ? look.hair : look.skin, 1);
}

function drawGlasses(canvas: RasterCanvas, look: FaceLook, head: HeadProjection): void {
  const frame: Rgb = [35, 32, 30];
  const thickness = Math.max(2, Math.round(head.ry * 0.03));
  const lenses = [-1, 1].map((side) => {
    const u = side * look.eyeSpacing;
    const [x, y] = head.point(u, 0.01);
    canvas.strokeEllipse(x, y, head.rx * 0.22 * head.squeeze(u), head.ry * 0.14, frame, thickness, {
      rotation: head.pose.roll,
    });
    return head.point(u - side * 0.22, 0);
  });
  const [left, right] = lenses as [[number, number], [number, number]];
  canvas.line(left[0], left[1], right[0], right[1], frame, thickness);
}
