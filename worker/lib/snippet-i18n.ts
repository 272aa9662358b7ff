import type { Locale } from './i18n';

/**
 * Texts of snippets, survey emails and the signature-link additions to the thank-you page. Kept apart from the page texts in `i18n.ts` (the same
 * languages; `Record<Locale, …>` makes the compiler ask for every one).
 */
export interface SnippetMessages {
  /** Under the answers of a snippet. */
  oneClick: string;
  /** Under the answers when the agent is known. */
  agentAsks: (agent: string) => string;
  emailSubject: (workspace: string) => string;
  emailIntro: string;
  emailOutro: string;
  /** Why the recipient got the email (footer). */
  emailWhy: (workspace: string, subject: string) => string;
  /** Plain-text version: before the list of links. */
  textChoose: string;
  /** Thank-you page after an anonymous signature-link vote: the optional email or ticket number. */
  contactLabel: string;
  contactHint: string;
  contactSend: string;
  contactSaved: string;
  contactInvalid: string;
}

export const SNIPPET_MESSAGES: Record<Locale, SnippetMessages> = {
  en: {
    oneClick: 'One click is enough.',
    agentAsks: (agent) => `${agent} would love to know. One click is enough.`,
    emailSubject: (workspace) => `${workspace}: how did we do?`,
    emailIntro: 'Your request has been resolved. Would you tell us how it went?',
    emailOutro: 'One click records your answer; you can add a comment on the next page if you like.',
    emailWhy: (workspace, subject) => `You are receiving this email because you contacted ${workspace} support (${subject}). We only ask once per request.`,
    textChoose: 'Choose an answer:',
    contactLabel: 'Your email or ticket number (optional)',
    contactHint: 'Only if you would like us to connect your answer to your request.',
    contactSend: 'Send',
    contactSaved: 'Thank you, we have connected your answer to your request.',
    contactInvalid: 'Please enter an email address or a ticket number.',
  },
  it: {
    oneClick: 'Basta un clic.',
    agentAsks: (agent) => `${agent} vorrebbe saperlo. Basta un clic.`,
    emailSubject: (workspace) => `${workspace}: com’è andata?`,
    emailIntro: 'La tua richiesta è stata risolta. Ci dici com’è andata?',
    emailOutro: 'Un clic registra la tua risposta; nella pagina successiva puoi aggiungere un commento, se vuoi.',
    emailWhy: (workspace, subject) => `Ricevi questa email perché hai contattato l’assistenza di ${workspace} (${subject}). Lo chiediamo una sola volta per richiesta.`,
    textChoose: 'Scegli una risposta:',
    contactLabel: 'La tua email o il numero del ticket (facoltativo)',
    contactHint: 'Solo se vuoi che colleghiamo la tua risposta alla tua richiesta.',
    contactSend: 'Invia',
    contactSaved: 'Grazie, abbiamo collegato la tua risposta alla tua richiesta.',
    contactInvalid: 'Inserisci un indirizzo email o un numero di ticket.',
  },
  de: {
    oneClick: 'Ein Klick genügt.',
    agentAsks: (agent) => `${agent} möchte es gern wissen. Ein Klick genügt.`,
    emailSubject: (workspace) => `${workspace}: Wie war unser Service?`,
    emailIntro: 'Ihre Anfrage wurde gelöst. Verraten Sie uns, wie es gelaufen ist?',
    emailOutro: 'Ein Klick speichert Ihre Antwort; auf der nächsten Seite können Sie, wenn Sie möchten, einen Kommentar hinzufügen.',
    emailWhy: (workspace, subject) => `Sie erhalten diese E-Mail, weil Sie den Support von ${workspace} kontaktiert haben (${subject}). Wir fragen nur einmal pro Anfrage.`,
    textChoose: 'Wählen Sie eine Antwort:',
    contactLabel: 'Ihre E-Mail-Adresse oder Ticketnummer (optional)',
    contactHint: 'Nur wenn wir Ihre Antwort Ihrer Anfrage zuordnen sollen.',
    contactSend: 'Senden',
    contactSaved: 'Vielen Dank, wir haben Ihre Antwort Ihrer Anfrage zugeordnet.',
    contactInvalid: 'Bitte geben Sie eine E-Mail-Adresse oder eine Ticketnummer ein.',
  },
  fr: {
    oneClick: 'Un clic suffit.',
    agentAsks: (agent) => `${agent} aimerait le savoir. Un clic suffit.`,
    emailSubject: (workspace) => `${workspace} : comment cela s’est-il passé ?`,
    emailIntro: 'Votre demande a été résolue. Pouvez-vous nous dire comment cela s’est passé ?',
    emailOutro: 'Un clic enregistre votre réponse ; vous pourrez ajouter un commentaire sur la page suivante si vous le souhaitez.',
    emailWhy: (workspace, subject) => `Vous recevez cet e-mail parce que vous avez contacté le support de ${workspace} (${subject}). Nous ne le demandons qu’une fois par demande.`,
    textChoose: 'Choisissez une réponse :',
    contactLabel: 'Votre e-mail ou numéro de ticket (facultatif)',
    contactHint: 'Seulement si vous souhaitez que nous associions votre réponse à votre demande.',
    contactSend: 'Envoyer',
    contactSaved: 'Merci, nous avons associé votre réponse à votre demande.',
    contactInvalid: 'Saisissez une adresse e-mail ou un numéro de ticket.',
  },
  es: {
    oneClick: 'Basta con un clic.',
    agentAsks: (agent) => `A ${agent} le gustaría saberlo. Basta con un clic.`,
    emailSubject: (workspace) => `${workspace}: ¿qué tal lo hicimos?`,
    emailIntro: 'Tu solicitud se ha resuelto. ¿Nos cuentas qué tal fue?',
    emailOutro: 'Un clic registra tu respuesta; en la página siguiente puedes añadir un comentario si quieres.',
    emailWhy: (workspace, subject) => `Recibes este correo porque contactaste con el soporte de ${workspace} (${subject}). Solo lo preguntamos una vez por solicitud.`,
    textChoose: 'Elige una respuesta:',
    contactLabel: 'Tu correo o número de ticket (opcional)',
    contactHint: 'Solo si quieres que relacionemos tu respuesta con tu solicitud.',
    contactSend: 'Enviar',
    contactSaved: 'Gracias, hemos relacionado tu respuesta con tu solicitud.',
    contactInvalid: 'Escribe una dirección de correo o un número de ticket.',
  },
};
