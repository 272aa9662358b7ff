import { HELPDESK_PRESETS, PRESET_NAMES, SNIPPET_STYLES } from '../lib/helpdesk-presets';
import { LOCALES } from '../lib/i18n';

/**
 * The snippet builder: a team member pastes the workspace API key into the page (never into a
 * URL), and the page's script calls the API with it as a bearer header and shows a live preview,
 * the HTML and a copy button. The key stays in the page's memory only.
 *
 * Content-Security-Policy: the one script and the one stylesheet by hash (CSP Level 3 §8.3);
 * `style-src-attr 'unsafe-inline'` because the preview IS the snippet, whose inline style
 * attributes are the point (attributes cannot run script); `connect-src 'self'` for the API.
 */
const CSS = `:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--text:#1b1f24;--muted:#4a5360;--accent:#0b57d0;--border:#c5cbd3}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--card:#1d2126;--text:#eef1f4;--muted:#b4bcc6;--accent:#8ab4f8;--border:#3c434c}}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:48rem;margin:0 auto;padding:1.5rem 1rem}section{background:var(--card);border:1px solid var(--border);border-radius:12px;padding:1rem 1.25rem;margin:0 0 1rem}
h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;font-weight:600;margin:.6rem 0 .2rem}
input,select,textarea{font:inherit;color:var(--text);background:var(--bg);border:1px solid var(--border);border-radius:8px;padding:.45rem .6rem;width:100%;box-sizing:border-box}
textarea{min-height:8rem;font:13px/1.4 ui-monospace,monospace}button{font:inherit;font-weight:600;padding:.6rem 1.1rem;border:0;border-radius:8px;background:var(--accent);color:var(--bg);cursor:pointer;margin-top:.8rem}
.row{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:0 1rem}.muted{color:var(--muted);font-size:.9rem}
#preview{background:#fff;color:#1b1f24;border:1px dashed var(--border);border-radius:8px;padding:1rem;margin:.5rem 0;overflow:auto}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid var(--accent);outline-offset:2px}`;

const options = (values: readonly string[], labels: (v: string) => string = (v) => v) => values.map((v) => `<option value="${v}">${labels(v)}</option>`).join('');

const SCRIPT = `'use strict';
const PRESETS = ${JSON.stringify(Object.fromEntries(PRESET_NAMES.map((n) => [n, { pasteInto: HELPDESK_PRESETS[n].pasteInto, placeholders: HELPDESK_PRESETS[n].placeholders, source: HELPDESK_PRESETS[n].source }])))};
const $ = (id) => document.getElementById(id);
let key = '';
let current = null;
let timer = 0;
const say = (text) => { $('status').textContent = text; };
async function api(path, body) {
  const headers = { authorization: 'Bearer ' + key };
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch('/api/v1' + path, { method: body ? 'POST' : 'GET', headers, body: body ? JSON.stringify(body) : undefined, cache: 'no-store', referrerPolicy: 'no-referrer' });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((json.error && json.error.message) || 'HTTP ' + res.status);
  return json;
}
function describePreset() {
  const p = PRESETS[$('preset').value];
  const ph = Object.values(p.placeholders);
  $('preset-info').textContent = 'Paste into: ' + p.pasteInto + '. ' + (ph.length ? 'Placeholders: ' + ph.join(', ') + '.' : 'No placeholders: votes are one per browser.') + ' Source: ' + p.source;
}
async function refresh() {
  describePreset();
  const body = { survey: $('survey').value, preset: $('preset').value, style: $('style').value };
  if ($('locale').value) body.locale = $('locale').value;
  if ($('agent').value.trim()) body.agent = $('agent').value.trim();
  try {
    current = await api('/snippets', body);
    // Server-rendered, escaped markup of our own API; the CSP would block any script anyway.
    $('preview').innerHTML = current.html;
    $('source').value = current.html;
    $('size').textContent = current.html.length + ' characters';
    say('');
  } catch (err) { say(err.message); }
}
function soon() { clearTimeout(timer); timer = setTimeout(refresh, 250); }
$('key-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  key = $('key').value.trim();
  try {
    const { data } = await api('/surveys');
    const select = $('survey');
    select.textContent = '';
    for (const s of data) { const o = document.createElement('option'); o.value = s.id; o.textContent = s.name + ' (' + s.scale + ')'; select.append(o); }
    $('key').value = '';
    $('builder').hidden = false;
    if (data.length) refresh(); else say('No surveys yet: create one with the API or the CLI.');
  } catch (err) { key = ''; say(err.message); }
});
for (const id of ['survey', 'preset', 'style', 'locale']) $(id).addEventListener('change', soon);
// The agent is stored on the link: ask once typing stops, not for every letter.
$('agent').addEventListener('change', soon);
$('copy').addEventListener('click', async () => {
  if (!current) return;
  try {
    await navigator.clipboard.write([new ClipboardItem({ 'text/html': new Blob([current.html], { type: 'text/html' }), 'text/plain': new Blob([current.text], { type: 'text/plain' }) })]);
  } catch {
    const range = document.createRange();
    range.selectNodeContents($('preview'));
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.execCommand('copy');
  }
  say('Copied: paste it into your signature or macro.');
});`;

const BODY = `<main><h1>Feedback snippet</h1>
<section><form id="key-form" autocomplete="off"><label for="key">Workspace API key</label>
<input id="key" type="password" autocomplete="off" spellcheck="false" placeholder="cbk_…" required>
<p class="muted">Kept in this page only, sent as a bearer header; never put in the address.</p>
<button type="submit">Load surveys</button></form></section>
<section id="builder" hidden><div class="row">
<div><label for="survey">Survey</label><select id="survey"></select></div>
<div><label for="preset">Helpdesk</label><select id="preset">${options(PRESET_NAMES, (n) => HELPDESK_PRESETS[n as keyof typeof HELPDESK_PRESETS].title)}</select></div>
<div><label for="style">Style</label><select id="style">${options(SNIPPET_STYLES)}</select></div>
<div><label for="locale">Language</label><select id="locale"><option value="">survey's</option>${options(LOCALES)}</select></div>
<div><label for="agent">Agent name</label><input id="agent" autocomplete="off"></div>
</div>
<p class="muted" id="preset-info"></p>
<label>Preview</label><div id="preview" aria-live="polite"></div>
<button type="button" id="copy">Copy snippet</button> <span class="muted" id="size"></span>
<label for="source">HTML</label><textarea id="source" readonly></textarea></section>
<p id="status" role="status"></p></main>`;

export const SNIPPET_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow"><title>Feedback snippet</title><style>${CSS}</style></head><body>${BODY}<script>${SCRIPT}</script></body></html>`;

async function hash(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return `'sha256-${btoa(binary)}'`;
}

let hashes: Promise<[string, string]> | undefined;

/** The page's Content-Security-Policy; images may also come from PUBLIC_URL, where snippets point. */
export async function snippetPagePolicy(publicUrl: string): Promise<string> {
  hashes ??= Promise.all([hash(SCRIPT), hash(CSS)]);
  const [script, style] = await hashes;
  return `default-src 'none'; script-src ${script}; style-src-elem ${style}; style-src-attr 'unsafe-inline'; img-src 'self' ${new URL(publicUrl).origin}; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`;
}
