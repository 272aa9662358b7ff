import type { Scale } from '../../schema/scales';

/**
 * Page texts and answer labels. Adding a language = adding one entry to MESSAGES and SCALE_LABELS;
 * `pickLocale` only chooses among the languages present here.
 */
export const LOCALES = ['en', 'it'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

interface ErrorText {
  title: string;
  message: string;
}

export interface Messages {
  thanksTitle: string;
  recorded: string;
  yourAnswer: string;
  changeAnswer: string;
  commentLabel: string;
  commentHint: string;
  commentSend: string;
  commentUpdate: string;
  commentSaved: string;
  commentEmpty: string;
  commentTooLong: string;
  answersLabel: string;
  footer: string;
  errors: Record<'invalidLink' | 'expired' | 'score' | 'notFound' | 'form' | 'tooLarge' | 'unavailable' | 'internal', ErrorText>;
}

export const MESSAGES: Record<Locale, Messages> = {
  en: {
    thanksTitle: 'Thank you for your feedback',
    recorded: 'Your answer has been recorded.',
    yourAnswer: 'Your answer',
    changeAnswer: 'Changed your mind? Choose another answer:',
    commentLabel: 'Anything you would like to add? (optional)',
    commentHint: 'Up to 2000 characters. Only the team that asked will read it.',
    commentSend: 'Send comment',
    commentUpdate: 'Update comment',
    commentSaved: 'Thank you, we have received your comment.',
    commentEmpty: 'The comment is empty. Write something, or simply close this page.',
    commentTooLong: 'The comment is too long: please keep it under 2000 characters.',
    answersLabel: 'Answers',
    footer: 'You can close this page at any time.',
    errors: {
      invalidLink: { title: 'This link does not work', message: 'The link is incomplete or was changed. Please click the link in your email again, or copy the whole address.' },
      expired: { title: 'This survey has closed', message: 'This link has expired, so we can no longer record answers with it. Thank you all the same.' },
      score: { title: 'This answer is not on the scale', message: 'Please go back to your email and click one of the answers shown there.' },
      notFound: { title: 'We could not find this survey', message: 'It may have been removed. If you were trying to leave feedback, reply to the email you received.' },
      form: { title: 'Your comment could not be sent', message: 'The form has expired or was changed. Please open the page again from your email and try once more.' },
      tooLarge: { title: 'That is too much text', message: 'Please shorten your comment and try again.' },
      unavailable: { title: 'We are having a problem', message: 'Your answer could not be saved right now. Please try again in a few minutes.' },
      internal: { title: 'Something went wrong', message: 'Please try again in a few minutes.' },
    },
  },
  it: {
    thanksTitle: 'Grazie per il tuo feedback',
    recorded: 'La tua risposta è stata registrata.',
    yourAnswer: 'La tua risposta',
    changeAnswer: 'Hai cambiato idea? Scegli un’altra risposta:',
    commentLabel: 'Vuoi aggiungere qualcosa? (facoltativo)',
    commentHint: 'Fino a 2000 caratteri. Lo leggerà solo il team che te lo ha chiesto.',
    commentSend: 'Invia commento',
    commentUpdate: 'Aggiorna commento',
    commentSaved: 'Grazie, abbiamo ricevuto il tuo commento.',
    commentEmpty: 'Il commento è vuoto. Scrivi qualcosa, oppure chiudi semplicemente questa pagina.',
    commentTooLong: 'Il commento è troppo lungo: resta sotto i 2000 caratteri.',
    answersLabel: 'Risposte',
    footer: 'Puoi chiudere questa pagina in qualsiasi momento.',
    errors: {
      invalidLink: { title: 'Questo link non funziona', message: 'Il link è incompleto o è stato modificato. Fai di nuovo clic sul link nella tua email, oppure copia l’indirizzo completo.' },
      expired: { title: 'Questo sondaggio è chiuso', message: 'Il link è scaduto e non possiamo più registrare risposte. Grazie lo stesso.' },
      score: { title: 'Questa risposta non è nella scala', message: 'Torna alla tua email e fai clic su una delle risposte indicate.' },
      notFound: { title: 'Non troviamo questo sondaggio', message: 'Potrebbe essere stato rimosso. Se volevi lasciare un feedback, rispondi all’email che hai ricevuto.' },
      form: { title: 'Non è stato possibile inviare il commento', message: 'Il modulo è scaduto o è stato modificato. Riapri la pagina dalla tua email e riprova.' },
      tooLarge: { title: 'Il testo è troppo lungo', message: 'Accorcia il commento e riprova.' },
      unavailable: { title: 'Abbiamo un problema', message: 'Non è stato possibile salvare la risposta in questo momento. Riprova tra qualche minuto.' },
      internal: { title: 'Qualcosa è andato storto', message: 'Riprova tra qualche minuto.' },
    },
  },
};

interface AnswerLabel {
  /** Short visible mark: an emoji or the number itself. */
  mark: string;
  /** Accessible name and tooltip. */
  text: string;
}

const CES_EN = ['Very difficult', 'Difficult', 'Somewhat difficult', 'Neither easy nor difficult', 'Somewhat easy', 'Easy', 'Very easy'];
const CES_IT = ['Molto difficile', 'Difficile', 'Abbastanza difficile', 'Né facile né difficile', 'Abbastanza facile', 'Facile', 'Molto facile'];

function npsLabels(low: string, high: string): Record<number, AnswerLabel> {
  const labels: Record<number, AnswerLabel> = {};
  for (let n = 0; n <= 10; n++) labels[n] = { mark: String(n), text: n === 0 ? `0 – ${low}` : n === 10 ? `10 – ${high}` : String(n) };
  return labels;
}

function cesLabels(texts: string[]): Record<number, AnswerLabel> {
  return Object.fromEntries(texts.map((text, i) => [i + 1, { mark: String(i + 1), text: `${i + 1} – ${text}` }]));
}

const SCALE_LABELS: Record<Locale, Record<Scale, Record<number, AnswerLabel>>> = {
  en: {
    csat3: { 1: { mark: '😞', text: 'Bad' }, 2: { mark: '😐', text: 'Okay' }, 3: { mark: '😀', text: 'Great' } },
    csat5: {
      1: { mark: '😠', text: 'Very dissatisfied' },
      2: { mark: '🙁', text: 'Dissatisfied' },
      3: { mark: '😐', text: 'Neutral' },
      4: { mark: '🙂', text: 'Satisfied' },
      5: { mark: '😍', text: 'Very satisfied' },
    },
    nps: npsLabels('Not at all likely', 'Extremely likely'),
    ces7: cesLabels(CES_EN),
    thumbs: { 0: { mark: '👎', text: 'Not good' }, 1: { mark: '👍', text: 'Good' } },
  },
  it: {
    csat3: { 1: { mark: '😞', text: 'Male' }, 2: { mark: '😐', text: 'Così così' }, 3: { mark: '😀', text: 'Benissimo' } },
    csat5: {
      1: { mark: '😠', text: 'Molto insoddisfatto' },
      2: { mark: '🙁', text: 'Insoddisfatto' },
      3: { mark: '😐', text: 'Neutrale' },
      4: { mark: '🙂', text: 'Soddisfatto' },
      5: { mark: '😍', text: 'Molto soddisfatto' },
    },
    nps: npsLabels('Per niente probabile', 'Estremamente probabile'),
    ces7: cesLabels(CES_IT),
    thumbs: { 0: { mark: '👎', text: 'Non bene' }, 1: { mark: '👍', text: 'Bene' } },
  },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The label of one answer in a language. */
export function answerLabel(locale: Locale, scale: Scale, score: number): AnswerLabel {
  return SCALE_LABELS[locale][scale][score] ?? { mark: String(score), text: String(score) };
}

/**
 * The survey's own language when it has one we support, otherwise the best match of the
 * Accept-Language header (RFC 9110 §12.5.4, q-values honoured), otherwise English.
 */
export function pickLocale(acceptLanguage: string | null | undefined, surveyLocale?: string | null): Locale {
  if (isLocale(surveyLocale)) return surveyLocale;
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: range.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.q > 0 && !Number.isNaN(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => entry.lang).find(isLocale) ?? DEFAULT_LOCALE;
}

/** The survey's question in `locale`, falling back to its own text. */
export function questionIn(locale: Locale, survey: { question: string; questionI18n: Record<string, string> }): string {
  return survey.questionI18n[locale] ?? survey.question;
}
