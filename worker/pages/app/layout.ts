import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { AppLocale, Role } from '../../../schema';
import { hashSource } from '../layout';
import type { AppMessages } from './messages';
import { REPORT_CSS } from './report-styles';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * The team app's one stylesheet, inline and allowed by its hash (no 'unsafe-inline'). GOV.UK
 * Design System conventions: a visible focus ring, labels above inputs, an error summary with a
 * red border, 44 px targets; one column at 360 px. Colours meet WCAG 2.2 AA in light and dark.
 */
export const APP_CSS = `:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--text:#1b1f24;--muted:#4a5360;--accent:#0b57d0;--on-accent:#fff;--border:#6b7480;--line:#c5cbd3;--error:#b3261e;--ok:#146c2e;--focus:#fd0}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--card:#1d2126;--text:#eef1f4;--muted:#b4bcc6;--accent:#8ab4f8;--on-accent:#0b1320;--border:#8d96a1;--line:#3c434c;--error:#f2b8b5;--ok:#7dd99a}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent)}.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:var(--card);padding:.5rem;z-index:1}
header{background:var(--card);border-bottom:1px solid var(--line)}.bar{max-width:60rem;margin:0 auto;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
.brand{font-weight:700;font-size:1.1rem;margin-right:auto}nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0}
nav a{display:inline-block;padding:.6rem 0;text-decoration:none}nav a[aria-current=page]{font-weight:700;text-decoration:underline;text-underline-offset:.3em}
.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:0}.inline label{margin:0}
main{max-width:60rem;margin:0 auto;padding:1.5rem 1rem 3rem}.narrow{max-width:32rem}
h1{font-size:1.75rem;margin:0 0 1rem}h2{font-size:1.3rem;margin:2rem 0 .75rem}p{margin:.5rem 0 1rem}.muted,.hint{color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin:0 0 1rem}
label,legend{display:block;font-weight:600;margin:1.25rem 0 .25rem}.hint{margin:0 0 .35rem;font-size:.95rem}
input[type=text],input[type=search],input[type=email],input[type=password],input[type=url],input[type=date],select{display:block;width:100%;max-width:28rem;min-height:2.75rem;padding:.5rem;font:inherit;color:var(--text);background:var(--bg);border:2px solid var(--border);border-radius:4px}
.inline select{width:auto}
input:focus,select:focus,a:focus,button:focus{outline:3px solid var(--focus);outline-offset:0;box-shadow:0 0 0 5px #0b0c0c}
button{font:inherit;font-weight:600;min-height:2.75rem;padding:.5rem 1rem;border:0;border-radius:4px;background:var(--accent);color:var(--on-accent);cursor:pointer;margin-top:1rem}
.inline button{margin-top:0}button.secondary{background:transparent;color:var(--accent);border:2px solid var(--accent)}button.warning{background:var(--error);color:var(--on-accent)}
.error-summary{border:4px solid var(--error);padding:1rem;margin:0 0 1.5rem;background:var(--card)}.error-summary h2{margin:0 0 .5rem;font-size:1.2rem}.error-summary ul{margin:0;padding-left:1.2rem}.error-summary a{color:var(--error);font-weight:600}
.field-error{color:var(--error);font-weight:600;margin:0 0 .35rem}.invalid{border-left:4px solid var(--error);padding-left:.75rem}
.notice{border-left:6px solid var(--ok);background:var(--card);padding:.75rem 1rem;margin:0 0 1.5rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.6rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.steps{padding-left:1.2rem}.steps li{margin:0 0 1rem}.tag{display:inline-block;font-size:.85rem;font-weight:700;padding:0 .4rem;border-radius:3px;border:1px solid currentColor}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(8rem,1fr));gap:.75rem;margin:0;padding:0}.stats div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.75rem}.stats dt{color:var(--muted)}.stats dd{margin:0;font-size:1.6rem;font-weight:700}
.choice label{display:inline;font-weight:400}.choice input{width:1.5rem;height:1.5rem;vertical-align:middle}fieldset{border:0;padding:0;margin:1rem 0}
code{font-size:.9rem;overflow-wrap:anywhere}
textarea{width:100%;box-sizing:border-box;font:13px/1.4 ui-monospace,monospace;color:var(--text);background:var(--card);border:2px solid var(--border);padding:.5rem}pre.email-text{white-space:pre-wrap;overflow-wrap:anywhere}
.tabs{list-style:none;display:flex;gap:1.5rem;padding:0;margin:0 0 1rem;border-bottom:1px solid var(--line)}.tabs a{display:inline-block;padding:.6rem 0}.tabs a[aria-current=page]{font-weight:700;text-decoration:underline;text-underline-offset:.3em}
h1{overflow-wrap:anywhere}h2.small,.stats dd.small{font-size:1.05rem}.pre{white-space:pre-wrap;overflow-wrap:anywhere}.notes{list-style:none;padding:0}.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:0 1rem;align-items:end}.filters h2,.filters button{grid-column:1/-1}.filters label{margin-top:.75rem}
input[type=checkbox],input[type=radio]{width:1.5rem;height:1.5rem}
@media (max-width:40rem){table,thead,tbody,tr,th,td{display:block}thead{position:absolute;left:-999px}tr{border-bottom:1px solid var(--line);padding:.5rem 0}td{border:0;padding:.25rem 0}}
${REPORT_CSS}`;

/** The Content-Security-Policy of every app page: its stylesheet by hash, forms to itself, nothing else. */
export async function appCsp(): Promise<string> {
  return `default-src 'none'; style-src ${await hashSource(APP_CSS)}; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
}

/** Who is looking: what the header shows (null on the sign-in, setup and invite pages). */
export interface Viewer {
  name: string;
  role: Role;
  workspace: { id: string; name: string };
  workspaces: { id: string; name: string }[];
  formToken: string;
  /** Follow-ups owned by the viewer and not resolved: the count beside "Follow-ups" in the menu. */
  followUpsMine?: number;
}

export type Section = 'home' | 'members' | 'account' | 'sessions' | 'surveys' | 'snippets' | 'responses' | 'reports' | 'followUps' | 'webhooks' | 'apiKeys' | null;

/** A whole page: skip link, header with navigation and workspace switcher (signed in), then `body`. */
export function appPage(input: { locale: AppLocale; t: AppMessages; title: string; viewer: Viewer | null; section?: Section; body: Html; narrow?: boolean }): Html {
  const { t, viewer } = input;
  const link = (href: string, section: Section, text: string) => html`<li><a href="${href}"${input.section === section ? raw(' aria-current="page"') : ''}>${text}</a></li>`;
  const header = viewer
    ? html`<header><div class="bar"><span class="brand">${t.appName}</span>
${
  viewer.workspaces.length > 1
    ? html`<form class="inline" method="post" action="/app/workspace"><input type="hidden" name="form_token" value="${viewer.formToken}"><label for="ws">${t.workspace}</label><select id="ws" name="workspace">${viewer.workspaces.map(
        (w) => html`<option value="${w.id}"${w.id === viewer.workspace.id ? raw(' selected') : ''}>${w.name}</option>`,
      )}</select><button class="secondary" type="submit">${t.switchWorkspace}</button></form>`
    : html`<span>${viewer.workspace.name}</span>`
}
<nav aria-label="${t.nav}"><ul>${link('/app', 'home', t.home)}${link('/app/reports', 'reports', t.reports.navTitle)}${link('/app/surveys', 'surveys', t.surveysTitle)}${link('/app/responses', 'responses', t.responses)}<li><a href="/app/follow-ups"${input.section === 'followUps' ? raw(' aria-current="page"') : ''}>${t.followUps.nav}${
  viewer.followUpsMine ? html` <span class="tag"><span aria-hidden="true">${viewer.followUpsMine}</span><span class="skip">${t.followUps.navMine(viewer.followUpsMine)}</span></span>` : ''
}</a></li>${viewer.role === 'member' ? '' : html`${link('/app/snippets', 'snippets', t.snippetsTitle)}${link('/app/webhooks', 'webhooks', t.webhooks)}${link('/app/api-keys', 'apiKeys', t.apiKeys)}${link('/app/members', 'members', t.members)}`}${link('/app/account', 'account', t.account)}${link('/app/sessions', 'sessions', t.sessions)}</ul></nav>
<form method="post" action="/app/logout" class="inline"><input type="hidden" name="form_token" value="${viewer.formToken}"><button class="secondary" type="submit">${t.signOut}</button></form></div></header>`
    : html`<header><div class="bar"><span class="brand">${t.appName}</span></div></header>`;
  return html`<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow"><title>${input.title} – ${t.appName}</title><style>${raw(APP_CSS)}</style></head><body><a class="skip" href="#main">${t.skip}</a>${header}<main id="main" tabindex="-1"${input.narrow ? raw(' class="narrow"') : ''}>${input.body}</main></body></html>`;
}

/** A problem with one field of a form: the summary links to the field by its id. */
export interface FieldError {
  field: string;
  message: string;
}

/** GOV.UK error summary: first on the page, names each field and links to it. */
export function errorSummary(t: AppMessages, errors: FieldError[]): Html {
  if (!errors.length) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1"><h2 id="error-summary-title">${t.problem}</h2><ul>${errors.map((e) => html`<li><a href="#${e.field}">${e.message}</a></li>`)}</ul></div>`;
}

/** A labelled input with its hint and error message, wired up with aria-describedby and aria-invalid. */
export function field(input: { id: string; label: string; type: 'text' | 'email' | 'password'; value?: string; hint?: string; autocomplete?: string; errors: FieldError[]; name?: string }): Html {
  const error = input.errors.find((e) => e.field === input.id);
  const described = [input.hint ? `${input.id}-hint` : '', error ? `${input.id}-error` : ''].filter(Boolean).join(' ');
  return html`<div${error ? raw(' class="invalid"') : ''}><label for="${input.id}">${input.label}</label>${input.hint ? html`<p class="hint" id="${input.id}-hint">${input.hint}</p>` : ''}${
    error ? html`<p class="field-error" id="${input.id}-error">${error.message}</p>` : ''
  }<input id="${input.id}" name="${input.name ?? input.id}" type="${input.type}"${input.value === undefined ? '' : html` value="${input.value}"`}${input.autocomplete ? html` autocomplete="${input.autocomplete}"` : ''}${
    described ? html` aria-describedby="${described}"` : ''
  }${error ? raw(' aria-invalid="true"') : ''} required></div>`;
}

/** The hidden CSRF field every signed-in form carries. */
export function formToken(token: string): Html {
  return html`<input type="hidden" name="form_token" value="${token}">`;
}

export function notice(message: string | null): Html {
  return message ? html`<div class="notice" role="status">${message}</div>` : html``;
}
