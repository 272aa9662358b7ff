/**
 * Where a snippet is pasted, and which placeholders the helpdesk substitutes there. Data only:
 * adding a helpdesk = adding an entry. Each entry cites the helpdesk's own documentation.
 *
 * `ticket` and `email` are inserted verbatim into the link's query (`?t=…&e=…`); the helpdesk
 * replaces them when the email is sent. Where a context substitutes only agent placeholders
 * (Zendesk signatures), the preset has none, and votes are one per browser.
 */
export interface HelpdeskPreset {
  name: PresetName;
  /** Human name, for the snippet page. */
  title: string;
  /** Where the snippet goes. */
  pasteInto: string;
  placeholders: { ticket?: string; email?: string };
  /** The documentation the placeholders come from. */
  source: string;
}

export const PRESET_NAMES = ['zendesk-macro', 'zendesk-signature', 'freshdesk', 'front', 'gorgias', 'helpscout', 'hubspot', 'jira', 'plain'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const SNIPPET_STYLES = ['emoji', 'image', 'text'] as const;
export type SnippetStyle = (typeof SNIPPET_STYLES)[number];

export const HELPDESK_PRESETS: Record<PresetName, HelpdeskPreset> = {
  'zendesk-macro': {
    name: 'zendesk-macro',
    title: 'Zendesk macro or trigger',
    pasteInto: 'Admin Center › Objects and rules › Macros (or Triggers) › Email user / Comment (HTML)',
    placeholders: { ticket: '{{ticket.id}}', email: '{{ticket.requester.email}}' },
    source: 'https://support.zendesk.com/hc/en-us/articles/4408886858138-Zendesk-Support-placeholders-reference',
  },
  'zendesk-signature': {
    name: 'zendesk-signature',
    title: 'Zendesk agent signature',
    pasteInto: 'Admin Center › Channels › Email › Agent signature (agent placeholders only)',
    // Signatures are rendered with the agent's placeholders only ({{agent.name}} …), not ticket ones.
    placeholders: {},
    source: 'https://support.zendesk.com/hc/en-us/articles/4408832757146-Adding-an-agent-signature-to-email-notifications',
  },
  freshdesk: {
    name: 'freshdesk',
    title: 'Freshdesk',
    pasteInto: 'Admin › Email notifications, or a canned response',
    placeholders: { ticket: '{{ticket.id}}', email: '{{ticket.requester.email}}' },
    source: 'https://support.freshdesk.com/support/solutions/articles/196556-list-of-placeholders-in-freshdesk',
  },
  front: {
    name: 'front',
    title: 'Front signature',
    pasteInto: 'Settings › Signatures',
    placeholders: { ticket: '{{conversation.id}}', email: '{{recipient.email}}' },
    source: 'https://help.front.com/en/articles/2052',
  },
  gorgias: {
    name: 'gorgias',
    title: 'Gorgias',
    pasteInto: 'Settings › Macros, or an email signature',
    placeholders: { ticket: '{{ticket.id}}', email: '{{ticket.customer.email}}' },
    source: 'https://docs.gorgias.com/en-US/macro-variables-81869',
  },
  helpscout: {
    name: 'helpscout',
    title: 'Help Scout',
    pasteInto: 'Manage › Mailbox › Signature, or a saved reply',
    placeholders: { ticket: '{%conversation.number%}', email: '{%customer.email%}' },
    source: 'https://docs.helpscout.com/article/58-variables',
  },
  hubspot: {
    name: 'hubspot',
    title: 'HubSpot Service Hub',
    pasteInto: 'Ticket email template or snippet',
    // HubSpot writes these as `{{ ticket.hs_ticket_id }}`; HubL reads them without the spaces
    // too, and a space inside an href is percent-encoded by rich-text editors on paste
    // (`{{%20ticket…`, measured in Chromium), after which HubSpot no longer recognises it.
    placeholders: { ticket: '{{ticket.hs_ticket_id}}', email: '{{contact.email}}' },
    source: 'https://knowledge.hubspot.com/help-desk/use-personalization-tokens-in-help-desk',
  },
  jira: {
    name: 'jira',
    title: 'Jira Service Management',
    pasteInto: 'Project settings › Customer notifications (or an automation email)',
    placeholders: { ticket: '{{issue.key}}', email: '{{reporter.emailAddress}}' },
    source: 'https://support.atlassian.com/cloud-automation/docs/jira-smart-values-issues/',
  },
  plain: {
    name: 'plain',
    title: 'Plain mail client (Gmail, Outlook, Apple Mail)',
    pasteInto: 'Your signature settings',
    placeholders: {},
    source: 'https://support.google.com/mail/answer/8395',
  },
};

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && (PRESET_NAMES as readonly string[]).includes(value);
}

export function isSnippetStyle(value: unknown): value is SnippetStyle {
  return typeof value === 'string' && (SNIPPET_STYLES as readonly string[]).includes(value);
}
