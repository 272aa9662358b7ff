/**
 * Rating scales and the sentiment of each answer.
 *
 * Sentiment bands follow the usual industry definitions: NPS 0-6 detractor, 7-8 passive,
 * 9-10 promoter (Reichheld, "The One Number You Need to Grow", HBR 2003); CSAT 1-2 / 3 / 4-5;
 * CES 7-point with 7 = very easy (Gartner CES 2.0).
 */
export const SCALES = ['csat3', 'csat5', 'nps', 'ces7', 'thumbs'] as const;
export type Scale = (typeof SCALES)[number];

export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

/** Lowest and highest answer of each scale (inclusive), and the sentiment bands. */
export const SCALE_RANGES: Record<Scale, { min: number; max: number; negativeMax: number; positiveMin: number }> = {
  csat3: { min: 1, max: 3, negativeMax: 1, positiveMin: 3 },
  csat5: { min: 1, max: 5, negativeMax: 2, positiveMin: 4 },
  nps: { min: 0, max: 10, negativeMax: 6, positiveMin: 9 },
  ces7: { min: 1, max: 7, negativeMax: 3, positiveMin: 5 },
  thumbs: { min: 0, max: 1, negativeMax: 0, positiveMin: 1 },
};

export function isScale(value: unknown): value is Scale {
  return typeof value === 'string' && (SCALES as readonly string[]).includes(value);
}

const ANSWERS = Object.fromEntries(
  SCALES.map((scale) => {
    const { min, max } = SCALE_RANGES[scale];
    return [scale, Object.freeze(Array.from({ length: max - min + 1 }, (_, i) => min + i))];
  }),
) as Record<Scale, readonly number[]>;

/** Every answer of a scale, lowest first (one shared, frozen list per scale: it is on the click path). */
export function scaleAnswers(scale: Scale): readonly number[] {
  return ANSWERS[scale];
}

/** True when `score` is a whole number inside the scale. */
export function isValidScore(scale: Scale, score: number): boolean {
  const { min, max } = SCALE_RANGES[scale];
  return Number.isInteger(score) && score >= min && score <= max;
}

export function sentimentOf(scale: Scale, score: number): Sentiment {
  const { negativeMax, positiveMin } = SCALE_RANGES[scale];
  if (score <= negativeMax) return 'negative';
  if (score >= positiveMin) return 'positive';
  return 'neutral';
}
