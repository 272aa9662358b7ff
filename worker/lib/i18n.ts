import type { Scale } from '../../schema/scales';

/**
 * Page texts and answer labels. Adding a language = adding one entry to MESSAGES and SCALE_LABELS;
 * `pickLocale` only chooses among the languages present here.
 */
export const LOCALES = ['en', 'it', 'de', 'fr', 'es'] as const;
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
  /** Shown with a vote that waits for a sign of a person (pending or robot-looking click). */
  confirmPrompt: string;
  confirmButton: string;
  confirmed: string;
  /** Self-service deletion: the offer on the thank-you page, the confirmation step, the outcome. */
  deleteOffer: string;
  deleteButton: string;
  deleteTitle: string;
  deleteWarning: string;
  deleteConfirm: string;
  deleteCancel: string;
  deletedTitle: string;
  deletedBody: string;
  deleteRefused: string;
  /**
   * After a click whose vote waits on the queue (the database was unreachable): the answer is safe
   * and will appear shortly, but the page has no response to change or comment on yet.
   */
  queued: string;
  queuedLater: string;
  /**
   * The invitation to a public review, when the survey names a review page: shown to every
   * respondent alike, whatever the answer (asking only happy customers is review gating).
   */
  reviewInvite: string;
  reviewButton: string;
  errors: Record<'invalidLink' | 'expired' | 'score' | 'notFound' | 'form' | 'tooLarge' | 'unavailable' | 'tooMany' | 'internal', ErrorText>;
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
    confirmPrompt: 'Please confirm that this is your answer: touch or click anywhere on this page, or press the button.',
    confirmButton: 'Confirm my answer',
    confirmed: 'Thank you, your answer is confirmed.',
    deleteOffer: 'Changed your mind about answering at all?',
    deleteButton: 'Delete my answer',
    deleteTitle: 'Delete your answer?',
    deleteWarning: 'Your answer, your comment and anything else you sent with it will be deleted. This cannot be undone.',
    deleteConfirm: 'Yes, delete my answer',
    deleteCancel: 'No, keep my answer',
    deletedTitle: 'Your answer has been deleted',
    deletedBody: 'We have deleted your answer and everything you sent with it. You can close this page.',
    deleteRefused: 'We could not confirm that this request comes from you, so nothing was deleted. Please open this page from your email in your browser and try again.',
    queued: 'Your answer is saved and will appear shortly.',
    queuedLater: 'We are having a short technical problem, so you cannot change your answer or add a comment right now. You can do both later: just click the link in your email again.',
    reviewInvite: 'We would be grateful if you shared your experience in a public review, whatever it was.',
    reviewButton: 'Write a public review',
    errors: {
      invalidLink: { title: 'This link does not work', message: 'The link is incomplete or was changed. Please click the link in your email again, or copy the whole address.' },
      expired: { title: 'This survey has closed', message: 'This link has expired, so we can no longer record answers with it. Thank you all the same.' },
      score: { title: 'This answer is not on the scale', message: 'Please go back to your email and click one of the answers shown there.' },
      notFound: { title: 'We could not find this survey', message: 'It may have been removed. If you were trying to leave feedback, reply to the email you received.' },
      form: { title: 'Your comment could not be sent', message: 'The form has expired or was changed. Please open the page again from your email and try once more.' },
      tooLarge: { title: 'That is too much text', message: 'Please shorten your comment and try again.' },
      unavailable: { title: 'We are having a problem', message: 'Your answer could not be saved right now. Please try again in a few minutes.' },
      tooMany: { title: 'One moment, please', message: 'We received many answers from your network in a short time. Please wait a minute, then click the link in your email again.' },
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
    confirmPrompt: 'Conferma che questa è la tua risposta: tocca o fai clic in un punto qualsiasi della pagina, oppure premi il pulsante.',
    confirmButton: 'Conferma la mia risposta',
    confirmed: 'Grazie, la tua risposta è confermata.',
    deleteOffer: 'Preferisci non aver risposto?',
    deleteButton: 'Elimina la mia risposta',
    deleteTitle: 'Eliminare la tua risposta?',
    deleteWarning: 'La tua risposta, il tuo commento e tutto ciò che hai inviato con essa saranno eliminati. Non si può annullare.',
    deleteConfirm: 'Sì, elimina la mia risposta',
    deleteCancel: 'No, mantieni la mia risposta',
    deletedTitle: 'La tua risposta è stata eliminata',
    deletedBody: 'Abbiamo eliminato la tua risposta e tutto ciò che hai inviato con essa. Puoi chiudere questa pagina.',
    deleteRefused: 'Non abbiamo potuto verificare che la richiesta venga da te, quindi non abbiamo eliminato nulla. Apri questa pagina dalla tua email nel browser e riprova.',
    queued: 'La tua risposta è salvata e comparirà a breve.',
    queuedLater: 'Abbiamo un breve problema tecnico, quindi ora non puoi cambiare la risposta né aggiungere un commento. Potrai farlo più tardi: basta cliccare di nuovo il link nella tua email.',
    reviewInvite: 'Ti saremmo grati se raccontassi la tua esperienza in una recensione pubblica, qualunque sia stata.',
    reviewButton: 'Scrivi una recensione pubblica',
    errors: {
      invalidLink: { title: 'Questo link non funziona', message: 'Il link è incompleto o è stato modificato. Fai di nuovo clic sul link nella tua email, oppure copia l’indirizzo completo.' },
      expired: { title: 'Questo sondaggio è chiuso', message: 'Il link è scaduto e non possiamo più registrare risposte. Grazie lo stesso.' },
      score: { title: 'Questa risposta non è nella scala', message: 'Torna alla tua email e fai clic su una delle risposte indicate.' },
      notFound: { title: 'Non troviamo questo sondaggio', message: 'Potrebbe essere stato rimosso. Se volevi lasciare un feedback, rispondi all’email che hai ricevuto.' },
      form: { title: 'Non è stato possibile inviare il commento', message: 'Il modulo è scaduto o è stato modificato. Riapri la pagina dalla tua email e riprova.' },
      tooLarge: { title: 'Il testo è troppo lungo', message: 'Accorcia il commento e riprova.' },
      unavailable: { title: 'Abbiamo un problema', message: 'Non è stato possibile salvare la risposta in questo momento. Riprova tra qualche minuto.' },
      tooMany: { title: 'Un momento, per favore', message: 'Abbiamo ricevuto molte risposte dalla tua rete in poco tempo. Attendi un minuto, poi fai di nuovo clic sul link nella tua email.' },
      internal: { title: 'Qualcosa è andato storto', message: 'Riprova tra qualche minuto.' },
    },
  },
  de: {
    thanksTitle: 'Vielen Dank für Ihr Feedback',
    recorded: 'Ihre Antwort wurde gespeichert.',
    yourAnswer: 'Ihre Antwort',
    changeAnswer: 'Haben Sie es sich anders überlegt? Wählen Sie eine andere Antwort:',
    commentLabel: 'Möchten Sie noch etwas hinzufügen? (optional)',
    commentHint: 'Bis zu 2000 Zeichen. Nur das Team, das Sie gefragt hat, liest es.',
    commentSend: 'Kommentar senden',
    commentUpdate: 'Kommentar aktualisieren',
    commentSaved: 'Vielen Dank, wir haben Ihren Kommentar erhalten.',
    commentEmpty: 'Der Kommentar ist leer. Schreiben Sie etwas, oder schließen Sie diese Seite einfach.',
    commentTooLong: 'Der Kommentar ist zu lang: Bitte bleiben Sie unter 2000 Zeichen.',
    answersLabel: 'Antworten',
    footer: 'Sie können diese Seite jederzeit schließen.',
    confirmPrompt: 'Bitte bestätigen Sie, dass dies Ihre Antwort ist: Tippen oder klicken Sie irgendwo auf diese Seite oder drücken Sie die Schaltfläche.',
    confirmButton: 'Meine Antwort bestätigen',
    confirmed: 'Vielen Dank, Ihre Antwort ist bestätigt.',
    deleteOffer: 'Möchten Sie doch lieber nicht geantwortet haben?',
    deleteButton: 'Meine Antwort löschen',
    deleteTitle: 'Ihre Antwort löschen?',
    deleteWarning: 'Ihre Antwort, Ihr Kommentar und alles, was Sie damit gesendet haben, werden gelöscht. Das kann nicht rückgängig gemacht werden.',
    deleteConfirm: 'Ja, meine Antwort löschen',
    deleteCancel: 'Nein, Antwort behalten',
    deletedTitle: 'Ihre Antwort wurde gelöscht',
    deletedBody: 'Wir haben Ihre Antwort und alles, was Sie damit gesendet haben, gelöscht. Sie können diese Seite schließen.',
    deleteRefused: 'Wir konnten nicht bestätigen, dass diese Anfrage von Ihnen kommt, daher wurde nichts gelöscht. Bitte öffnen Sie diese Seite aus Ihrer E-Mail in Ihrem Browser und versuchen Sie es erneut.',
    queued: 'Ihre Antwort ist gesichert und erscheint in Kürze.',
    queuedLater: 'Wir haben gerade ein kurzes technisches Problem, daher können Sie Ihre Antwort im Moment nicht ändern oder kommentieren. Beides geht später: Klicken Sie einfach noch einmal auf den Link in Ihrer E-Mail.',
    reviewInvite: 'Wir würden uns freuen, wenn Sie Ihre Erfahrung in einer öffentlichen Bewertung teilen, wie auch immer sie war.',
    reviewButton: 'Öffentliche Bewertung schreiben',
    errors: {
      invalidLink: { title: 'Dieser Link funktioniert nicht', message: 'Der Link ist unvollständig oder wurde verändert. Klicken Sie bitte erneut auf den Link in Ihrer E-Mail, oder kopieren Sie die vollständige Adresse.' },
      expired: { title: 'Diese Umfrage ist beendet', message: 'Dieser Link ist abgelaufen, daher können wir damit keine Antworten mehr speichern. Trotzdem vielen Dank.' },
      score: { title: 'Diese Antwort ist nicht auf der Skala', message: 'Gehen Sie bitte zurück zu Ihrer E-Mail und klicken Sie auf eine der dort gezeigten Antworten.' },
      notFound: { title: 'Wir konnten diese Umfrage nicht finden', message: 'Sie wurde möglicherweise entfernt. Wenn Sie Feedback geben wollten, antworten Sie auf die E-Mail, die Sie erhalten haben.' },
      form: { title: 'Ihr Kommentar konnte nicht gesendet werden', message: 'Das Formular ist abgelaufen oder wurde verändert. Öffnen Sie die Seite bitte erneut aus Ihrer E-Mail und versuchen Sie es noch einmal.' },
      tooLarge: { title: 'Das ist zu viel Text', message: 'Bitte kürzen Sie Ihren Kommentar und versuchen Sie es erneut.' },
      unavailable: { title: 'Wir haben ein Problem', message: 'Ihre Antwort konnte gerade nicht gespeichert werden. Bitte versuchen Sie es in einigen Minuten erneut.' },
      tooMany: { title: 'Einen Moment bitte', message: 'Wir haben in kurzer Zeit viele Antworten aus Ihrem Netzwerk erhalten. Bitte warten Sie eine Minute und klicken Sie dann erneut auf den Link in Ihrer E-Mail.' },
      internal: { title: 'Etwas ist schiefgelaufen', message: 'Bitte versuchen Sie es in einigen Minuten erneut.' },
    },
  },
  fr: {
    thanksTitle: 'Merci pour votre avis',
    recorded: 'Votre réponse a été enregistrée.',
    yourAnswer: 'Votre réponse',
    changeAnswer: 'Vous avez changé d’avis ? Choisissez une autre réponse :',
    commentLabel: 'Souhaitez-vous ajouter quelque chose ? (facultatif)',
    commentHint: 'Jusqu’à 2000 caractères. Seule l’équipe qui vous a interrogé le lira.',
    commentSend: 'Envoyer le commentaire',
    commentUpdate: 'Mettre à jour le commentaire',
    commentSaved: 'Merci, nous avons bien reçu votre commentaire.',
    commentEmpty: 'Le commentaire est vide. Écrivez quelque chose, ou fermez simplement cette page.',
    commentTooLong: 'Le commentaire est trop long : restez sous 2000 caractères.',
    answersLabel: 'Réponses',
    footer: 'Vous pouvez fermer cette page à tout moment.',
    confirmPrompt: 'Merci de confirmer que c’est bien votre réponse : touchez ou cliquez n’importe où sur cette page, ou appuyez sur le bouton.',
    confirmButton: 'Confirmer ma réponse',
    confirmed: 'Merci, votre réponse est confirmée.',
    deleteOffer: 'Vous préférez finalement ne pas avoir répondu ?',
    deleteButton: 'Supprimer ma réponse',
    deleteTitle: 'Supprimer votre réponse ?',
    deleteWarning: 'Votre réponse, votre commentaire et tout ce que vous avez envoyé avec seront supprimés. Cette action est définitive.',
    deleteConfirm: 'Oui, supprimer ma réponse',
    deleteCancel: 'Non, garder ma réponse',
    deletedTitle: 'Votre réponse a été supprimée',
    deletedBody: 'Nous avons supprimé votre réponse et tout ce que vous avez envoyé avec. Vous pouvez fermer cette page.',
    deleteRefused: 'Nous n’avons pas pu confirmer que cette demande vient de vous, rien n’a donc été supprimé. Ouvrez cette page depuis votre e-mail dans votre navigateur et réessayez.',
    queued: 'Votre réponse est enregistrée et apparaîtra sous peu.',
    queuedLater: 'Nous rencontrons un bref problème technique : vous ne pouvez pas modifier votre réponse ni ajouter de commentaire pour le moment. Vous pourrez le faire plus tard en cliquant à nouveau sur le lien de votre e-mail.',
    reviewInvite: 'Nous vous serions reconnaissants de partager votre expérience dans un avis public, quelle qu’elle soit.',
    reviewButton: 'Écrire un avis public',
    errors: {
      invalidLink: { title: 'Ce lien ne fonctionne pas', message: 'Le lien est incomplet ou a été modifié. Cliquez à nouveau sur le lien dans votre e-mail, ou copiez l’adresse complète.' },
      expired: { title: 'Ce sondage est clos', message: 'Ce lien a expiré : nous ne pouvons plus enregistrer de réponses avec lui. Merci tout de même.' },
      score: { title: 'Cette réponse ne fait pas partie de l’échelle', message: 'Revenez à votre e-mail et cliquez sur l’une des réponses proposées.' },
      notFound: { title: 'Nous ne trouvons pas ce sondage', message: 'Il a peut-être été supprimé. Si vous vouliez donner votre avis, répondez à l’e-mail que vous avez reçu.' },
      form: { title: 'Votre commentaire n’a pas pu être envoyé', message: 'Le formulaire a expiré ou a été modifié. Rouvrez la page depuis votre e-mail et réessayez.' },
      tooLarge: { title: 'Le texte est trop long', message: 'Raccourcissez votre commentaire et réessayez.' },
      unavailable: { title: 'Nous rencontrons un problème', message: 'Votre réponse n’a pas pu être enregistrée pour le moment. Réessayez dans quelques minutes.' },
      tooMany: { title: 'Un instant, s’il vous plaît', message: 'Nous avons reçu beaucoup de réponses de votre réseau en peu de temps. Patientez une minute, puis cliquez à nouveau sur le lien dans votre e-mail.' },
      internal: { title: 'Une erreur est survenue', message: 'Réessayez dans quelques minutes.' },
    },
  },
  es: {
    thanksTitle: 'Gracias por tu opinión',
    recorded: 'Hemos registrado tu respuesta.',
    yourAnswer: 'Tu respuesta',
    changeAnswer: '¿Has cambiado de opinión? Elige otra respuesta:',
    commentLabel: '¿Quieres añadir algo? (opcional)',
    commentHint: 'Hasta 2000 caracteres. Solo lo leerá el equipo que te lo ha preguntado.',
    commentSend: 'Enviar comentario',
    commentUpdate: 'Actualizar comentario',
    commentSaved: 'Gracias, hemos recibido tu comentario.',
    commentEmpty: 'El comentario está vacío. Escribe algo, o simplemente cierra esta página.',
    commentTooLong: 'El comentario es demasiado largo: no superes los 2000 caracteres.',
    answersLabel: 'Respuestas',
    footer: 'Puedes cerrar esta página en cualquier momento.',
    confirmPrompt: 'Confirma que esta es tu respuesta: toca o haz clic en cualquier parte de esta página, o pulsa el botón.',
    confirmButton: 'Confirmar mi respuesta',
    confirmed: 'Gracias, tu respuesta está confirmada.',
    deleteOffer: '¿Prefieres no haber respondido?',
    deleteButton: 'Eliminar mi respuesta',
    deleteTitle: '¿Eliminar tu respuesta?',
    deleteWarning: 'Se eliminarán tu respuesta, tu comentario y todo lo que enviaste con ella. No se puede deshacer.',
    deleteConfirm: 'Sí, eliminar mi respuesta',
    deleteCancel: 'No, conservar mi respuesta',
    deletedTitle: 'Tu respuesta se ha eliminado',
    deletedBody: 'Hemos eliminado tu respuesta y todo lo que enviaste con ella. Puedes cerrar esta página.',
    deleteRefused: 'No hemos podido confirmar que esta solicitud venga de ti, así que no se ha eliminado nada. Abre esta página desde tu correo en tu navegador e inténtalo de nuevo.',
    queued: 'Tu respuesta está guardada y aparecerá en breve.',
    queuedLater: 'Tenemos un breve problema técnico, así que ahora no puedes cambiar tu respuesta ni añadir un comentario. Podrás hacerlo más tarde: solo tienes que volver a hacer clic en el enlace de tu correo.',
    reviewInvite: 'Te agradeceríamos que compartieras tu experiencia en una reseña pública, sea cual sea.',
    reviewButton: 'Escribir una reseña pública',
    errors: {
      invalidLink: { title: 'Este enlace no funciona', message: 'El enlace está incompleto o ha sido modificado. Vuelve a hacer clic en el enlace de tu correo, o copia la dirección completa.' },
      expired: { title: 'Esta encuesta está cerrada', message: 'Este enlace ha caducado, así que ya no podemos registrar respuestas con él. Gracias de todos modos.' },
      score: { title: 'Esta respuesta no está en la escala', message: 'Vuelve a tu correo y haz clic en una de las respuestas que aparecen allí.' },
      notFound: { title: 'No encontramos esta encuesta', message: 'Puede que se haya eliminado. Si querías dejar tu opinión, responde al correo que recibiste.' },
      form: { title: 'No se ha podido enviar tu comentario', message: 'El formulario ha caducado o ha sido modificado. Vuelve a abrir la página desde tu correo e inténtalo de nuevo.' },
      tooLarge: { title: 'El texto es demasiado largo', message: 'Acorta tu comentario e inténtalo de nuevo.' },
      unavailable: { title: 'Tenemos un problema', message: 'No se ha podido guardar tu respuesta en este momento. Inténtalo de nuevo en unos minutos.' },
      tooMany: { title: 'Un momento, por favor', message: 'Hemos recibido muchas respuestas desde tu red en poco tiempo. Espera un minuto y vuelve a hacer clic en el enlace de tu correo.' },
      internal: { title: 'Algo ha salido mal', message: 'Inténtalo de nuevo en unos minutos.' },
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
const CES_DE = ['Sehr schwierig', 'Schwierig', 'Eher schwierig', 'Weder leicht noch schwierig', 'Eher leicht', 'Leicht', 'Sehr leicht'];
const CES_FR = ['Très difficile', 'Difficile', 'Plutôt difficile', 'Ni facile ni difficile', 'Plutôt facile', 'Facile', 'Très facile'];
const CES_ES = ['Muy difícil', 'Difícil', 'Algo difícil', 'Ni fácil ni difícil', 'Algo fácil', 'Fácil', 'Muy fácil'];

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
  de: {
    csat3: { 1: { mark: '😞', text: 'Schlecht' }, 2: { mark: '😐', text: 'Geht so' }, 3: { mark: '😀', text: 'Sehr gut' } },
    csat5: {
      1: { mark: '😠', text: 'Sehr unzufrieden' },
      2: { mark: '🙁', text: 'Unzufrieden' },
      3: { mark: '😐', text: 'Neutral' },
      4: { mark: '🙂', text: 'Zufrieden' },
      5: { mark: '😍', text: 'Sehr zufrieden' },
    },
    nps: npsLabels('Überhaupt nicht wahrscheinlich', 'Äußerst wahrscheinlich'),
    ces7: cesLabels(CES_DE),
    thumbs: { 0: { mark: '👎', text: 'Nicht gut' }, 1: { mark: '👍', text: 'Gut' } },
  },
  fr: {
    csat3: { 1: { mark: '😞', text: 'Mauvais' }, 2: { mark: '😐', text: 'Correct' }, 3: { mark: '😀', text: 'Excellent' } },
    csat5: {
      1: { mark: '😠', text: 'Très insatisfait' },
      2: { mark: '🙁', text: 'Insatisfait' },
      3: { mark: '😐', text: 'Neutre' },
      4: { mark: '🙂', text: 'Satisfait' },
      5: { mark: '😍', text: 'Très satisfait' },
    },
    nps: npsLabels('Pas du tout probable', 'Extrêmement probable'),
    ces7: cesLabels(CES_FR),
    thumbs: { 0: { mark: '👎', text: 'Pas bien' }, 1: { mark: '👍', text: 'Bien' } },
  },
  es: {
    csat3: { 1: { mark: '😞', text: 'Mal' }, 2: { mark: '😐', text: 'Regular' }, 3: { mark: '😀', text: 'Genial' } },
    csat5: {
      1: { mark: '😠', text: 'Muy insatisfecho' },
      2: { mark: '🙁', text: 'Insatisfecho' },
      3: { mark: '😐', text: 'Neutral' },
      4: { mark: '🙂', text: 'Satisfecho' },
      5: { mark: '😍', text: 'Muy satisfecho' },
    },
    nps: npsLabels('Nada probable', 'Muy probable'),
    ces7: cesLabels(CES_ES),
    thumbs: { 0: { mark: '👎', text: 'No bien' }, 1: { mark: '👍', text: 'Bien' } },
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
